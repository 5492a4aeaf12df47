"""Plain text in UTF-8, GB18030/GBK or UTF-16, as clerks save it or copy it from the web."""

import codecs

from zhenggai.core.errors import ParseError
from zhenggai.core.model import Document
from zhenggai.core.structure import Para, parse_paragraphs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _plausibility(text: str) -> float:
    """Share of characters that Chinese documents are made of."""
    if not text:
        return 0.0
    usual = sum(
        1
        for ch in text
        if "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or (ch.isascii() and (ch.isprintable() or ch in "\r\n\t"))
    )
    return usual / len(text)


def _utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose text looks like Chinese prose."""
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if score > 0.9 and _is_text(text) and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_text(text):
            return text
    text16 = _utf16(data) if len(data) % 2 == 0 else None
    if text16 is not None:
        return text16
    raise ParseError("无法识别的文本：不是 UTF-8、GB18030/GBK 或 UTF-16 编码的文本文件")


def _is_text(text: str) -> bool:
    """Binary data decodes as GB18030 too; real text has almost no control characters."""
    if "\x00" in text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls <= len(text) // 1000


def paragraphs(text: str) -> list[Para]:
    return [Para(line, f"第{number}行") for number, line in enumerate(text.splitlines(), 1)]


class TextReader:
    suffixes: tuple[str, ...] = (".txt", ".text", ".md")

    def read(self, data: bytes, suffix: str) -> Document:
        return parse_paragraphs(paragraphs(decode(data)))


READER = TextReader()
