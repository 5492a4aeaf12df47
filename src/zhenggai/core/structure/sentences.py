"""Sentences and enumerations of a feedback's running text.

A feedback names a problem in its first sentence and explains it in the rest
(「1.学习贯彻不够深入。党组理论学习中心组…」), and lists the parts of a problem,
or the problems of a category, as 一是…二是… inside a paragraph or one per
paragraph.
"""

from zhenggai.core.structure import enumeration

# Where a title ends. Inside quotes, brackets or book titles nothing ends.
_ENDS = "。！？!?；;：:"
_OPEN = "“‘《〈（(【「『"
_CLOSE = "”’》〉）)】」』"


def _ends_here(text: str, index: int) -> bool:
    char = text[index]
    if char not in _ENDS:
        return False
    # 10:30 is a time, not the end of a title
    return not (char == ":" and text[index - 1 : index].isdigit())


def first_sentence(text: str) -> tuple[str, str]:
    """(the first sentence without its end mark, the rest), both trimmed."""
    depth = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and _ends_here(text, index):
            return text[:index].strip(), text[index + 1 :].strip()
    return text.strip().rstrip("。.").strip(), ""


def enumerated(paras: list[str]) -> tuple[list[str], list[str]]:
    """(lead, items) when the paragraphs enumerate at least two items, else (paras, []).

    Items may share a paragraph (一是…；二是…) or open one each (二是… on its
    own line continues the count); a paragraph after the items that starts no
    new one belongs to the last item, a paragraph before them to the lead.
    """
    lead: list[str] = []
    items: list[str] = []
    number = 0
    for text in paras:
        head, found, last = (
            enumeration.split(text)
            if number == 0
            else ("", *enumeration.continues(text, number + 1))
        )
        if found:
            if head:
                lead.append(head)
            items.extend(found)
            number = last
        elif items:
            items[-1] = f"{items[-1]}\n{text}"
        else:
            lead.append(text)
    if len(items) < 2:
        return paras, []
    return lead, items
