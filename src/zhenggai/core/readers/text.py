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


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text is zero."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    candidates = [e for e in ("utf-8", _looks_utf16(data), "gb18030") if e]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_text(text):
            return text
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
