"""Chinese and Arabic numerals as they occur in official documents.

Masked figures (``**``, ``*``) stand for a number someone removed before
publishing; they read as ``None``, never as a guess.
"""

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL = "[零〇一二两三四五六七八九十百千万]+"
# A figure as written: Arabic, Chinese, or masked with asterisks.
FIGURE = rf"(?:\d+|{CN_NUMERAL}|\*+)"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(text: str) -> int | None:
    """Read 十七, 一百零五, 两千 or 三万二千; ``None`` if it is not a numeral."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            continue
        unit = UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * unit
            digit = None
    if digit is not None:
        # "二五" style digit strings are not numerals of this kind
        if section == 0 and total == 0 and len(text) > 1:
            return None
        section += digit
    return total + section


def figure(text: str) -> int | None:
    """A figure in any of the written forms; masked or unreadable is ``None``."""
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    if not text or "*" in text:
        return None
    if text.isdecimal():
        return int(text)
    return cn_to_int(text)


def int_to_cn(number: int) -> str:
    """1 → 一, 17 → 十七, 23 → 二十三 (enough for headings and ordinals)."""
    if number < 0:
        raise ValueError(number)
    if number < 10:
        return "零一二三四五六七八九"[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        head = "" if tens == 1 else int_to_cn(tens)
        return head + "十" + ("" if ones == 0 else int_to_cn(ones))
    hundreds, rest = divmod(number, 100)
    middle = (
        ""
        if rest == 0
        else ("零" if rest < 10 else "")
        + (int_to_cn(rest) if rest >= 20 or rest < 10 else "一" + int_to_cn(rest))
    )
    return int_to_cn(hundreds) + "百" + middle


def circled(number: int) -> str:
    return CIRCLED[number - 1] if 1 <= number <= len(CIRCLED) else f"({number})"


def circled_value(char: str) -> int | None:
    index = CIRCLED.find(char)
    return index + 1 if index >= 0 else None
