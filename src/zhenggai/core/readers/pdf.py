"""PDF with a text layer: lines put back together into paragraphs.

A PDF keeps lines, not paragraphs. A new paragraph starts where a line is
indented (first-line indent, centred headings), where the line before it
stopped well short of the right edge, or after a wide vertical gap; page
numbers (— 1 —) are dropped.
"""

import io
import re
import statistics
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTContainer
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from zhenggai.core.errors import ParseError
from zhenggai.core.model import Document
from zhenggai.core.structure import Para, parse_paragraphs

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d+\s*页")
# Lines wide apart on one baseline stay one line; boxes are not merged across paragraphs.
_LAYOUT = LAParams(char_margin=20.0, line_margin=0.3, word_margin=0.2)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float
    page: int


def _chars(item: object, found: list[LTChar]) -> None:
    if isinstance(item, LTChar):
        found.append(item)
    elif isinstance(item, LTContainer):
        for child in item:
            _chars(child, found)


def _rows(chars: list[LTChar], page: int) -> list[_Line]:
    """Characters sharing a baseline make a line, whatever font each came from.

    Grouping by baseline rather than by glyph boxes keeps “ ” from a Latin
    font on the line of the Chinese text around them.
    """
    if not chars:
        return []
    size = statistics.median(c.size for c in chars)
    rows: list[list[LTChar]] = []
    for char in sorted(chars, key=lambda c: -c.matrix[5]):
        if rows and abs(rows[-1][0].matrix[5] - char.matrix[5]) < 0.3 * size:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        text = ""
        for before, char in zip([None, *row], row, strict=False):
            glyph = char.get_text()
            if (
                before is not None
                and char.x0 - before.x1 > 0.25 * size
                and text[-1:].isascii()
                and text[-1:].isalnum()
                and glyph.isascii()
                and glyph.isalnum()
            ):
                text += " "
            text += glyph
        text = text.strip()
        if text and not _PAGE_NUMBER.match(text):
            lines.append(_Line(text, row[0].x0, row[-1].x1, row[0].matrix[5], size, page))
    return lines


def _join(head: str, tail: str) -> str:
    if head[-1:].isascii() and head[-1:].isalnum() and tail[:1].isascii() and tail[:1].isalnum():
        return f"{head} {tail}"
    return head + tail


def _paragraphs(lines: list[_Line]) -> list[Para]:
    if not lines:
        return []
    size = statistics.median(line.size for line in lines)
    edges: dict[int, tuple[float, float]] = {}
    for line in lines:
        left, right = edges.get(line.page, (line.x0, line.x1))
        edges[line.page] = (min(left, line.x0), max(right, line.x1))
    paras: list[list[str | int]] = []
    previous: _Line | None = None
    for line in lines:
        left, _ = edges[line.page]
        new = (
            previous is None
            or line.x0 - left > 0.8 * size
            # line breaking rules may leave a full line a character or two short
            or previous.x1 < edges[previous.page][1] - 3 * size
            or (line.page == previous.page and previous.y - line.y > 2.5 * size)
        )
        if new:
            paras.append([line.text, line.page, len(paras) + 1])
        else:
            paras[-1][0] = _join(str(paras[-1][0]), line.text)
        previous = line
    return [Para(str(text), f"第{page}页第{number}段") for text, page, number in paras]


def read_pdf(data: bytes) -> list[Para]:
    lines: list[_Line] = []
    try:
        for page_number, page in enumerate(extract_pages(io.BytesIO(data), laparams=_LAYOUT), 1):
            chars: list[LTChar] = []
            _chars(page, chars)
            lines.extend(_rows(chars, page_number))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ParseError("PDF 文件已加密，请先取消密码保护后再上传") from None
    except Exception:  # pdfminer raises many kinds for a broken file
        raise ParseError("无法读取该 PDF 文件：文件已损坏或不是有效的 PDF") from None
    if not lines:
        raise ParseError("PDF 中没有文字层（可能是扫描件），请先进行文字识别或提供 Word 文件")
    return _paragraphs(lines)


class PdfReader:
    suffixes: tuple[str, ...] = (".pdf",)

    def read(self, data: bytes, suffix: str) -> Document:
        return parse_paragraphs(read_pdf(data))


READER = PdfReader()
