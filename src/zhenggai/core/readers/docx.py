"""Word .docx: paragraphs and tables in body order, automatic numbering included.

A table whose header names ledger columns (整改措施, 责任部门 …) is read as a
ledger; any other table contributes its cells' text as paragraphs.
"""

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from zhenggai.core.errors import ParseError
from zhenggai.core.model import Document
from zhenggai.core.readers.ledger import Cell, read_ledger
from zhenggai.core.readers.numbering import Numbering
from zhenggai.core.readers.sniff import is_encrypted_ooxml
from zhenggai.core.structure import Para, parse_paragraphs

# A .docx is a zip; refuse archives that would unpack to far more than they weigh.
MAX_UNPACKED = 200 * 1024 * 1024


def open_zip_checked(data: bytes, kind: str) -> None:
    """Raise a clear error for encrypted, corrupt or zip-bomb packages."""
    if is_encrypted_ooxml(data):
        raise ParseError(f"{kind}文件已加密，请先取消密码保护后再上传")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ParseError(f"无法读取该{kind}文件：文件已损坏或不是有效的{kind}文件") from None
    if total > MAX_UNPACKED:
        raise ParseError(f"{kind}文件解压后过大（{total / 1048576:.0f} MB），拒绝读取")


def _cell_rows(table: Table) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for row in table.rows:
        seen: list[object] = []
        cells: list[Cell] = []
        for cell in row.cells:
            # horizontally merged cells come back once per grid column
            cells.append(cell.text if cell._tc not in seen else "")
            seen.append(cell._tc)
        rows.append(cells)
    return rows


def _paragraph_text(paragraph: Paragraph, numbering: Numbering) -> str:
    return numbering.label(paragraph) + paragraph.text


# "end" is the newer spelling of flush right for left-to-right text.
_RIGHT = ("right", "end")
_JC = f"{qn('w:pPr')}/{qn('w:jc')}"


def alignment(paragraph: Paragraph) -> str:
    """The paragraph's ``w:jc`` (right, end, center, both…), else its style's or that of
    the styles it is based on (an office's template aligns the signature by style);
    "" when none says.

    Read from the XML: python-docx refuses ``jc`` values it has no name for.
    """
    jc = paragraph._p.find(_JC)
    style = paragraph.style if jc is None else None
    for _depth in range(10):  # a loop of based-on styles in a broken file ends here
        if jc is not None or style is None:
            break
        jc = style.element.find(_JC)
        style = style.base_style
    return "" if jc is None else str(jc.get(qn("w:val")) or "")


def _right_aligned(paragraph: Paragraph) -> bool:
    return alignment(paragraph) in _RIGHT


# A block of the body in order: a paragraph as read, or a table's number and rows.
Block = Para | tuple[int, list[list[Cell]]]


def blocks(document: DocxDocument) -> Iterator[Block]:
    """The body in order: paragraphs with their automatic numbering, tables as rows."""
    numbering = Numbering(document)
    number = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            number += 1
            text = _paragraph_text(block, numbering)
            yield Para(text, f"第{number}段", _right_aligned(block))
        else:
            tables += 1
            yield tables, _cell_rows(block)


def source_lines(document: DocxDocument) -> list[Para]:
    """The document as a person reads it: a line per paragraph and per table row."""
    lines: list[Para] = []
    for block in blocks(document):
        if isinstance(block, Para):
            lines.append(block)
            continue
        table, rows = block
        for r, row in enumerate(rows, 1):
            text = " | ".join(str(cell) for cell in row if cell not in (None, ""))
            lines.append(Para(text, f"表格{table}第{r}行"))
    return lines


def read_docx(document: DocxDocument) -> Document:
    paras: list[Para] = []
    ledgers: list[Document] = []
    for block in blocks(document):
        if isinstance(block, Para):
            paras.append(block)
            continue
        table, rows = block
        ledger = read_ledger(rows, where=f"表格{table}")
        if ledger is not None:
            ledgers.append(ledger)
            continue
        for r, row in enumerate(rows, 1):
            for c, cell in enumerate(row, 1):
                for line in str(cell or "").splitlines():
                    paras.append(Para(line, f"表格{table}第{r}行第{c}列"))
    return _combine(paras, ledgers)


def _combine(paras: list[Para], ledgers: list[Document]) -> Document:
    """Prose gives the facts; a ledger table, when there is one, gives the problems."""
    if not ledgers:
        return parse_paragraphs(paras)
    if not any(p.text.strip() for p in paras):
        return ledgers[0]
    doc = parse_paragraphs(paras)
    tables = [w for ledger in ledgers for w in ledger.warnings]
    if not doc.problems():
        doc.categories = [c for ledger in ledgers for c in ledger.categories]
        doc.warnings = [w for w in doc.warnings if "没有识别出问题" not in w.why]
    doc.warnings.extend(tables)
    return doc


class DocxReader:
    suffixes: tuple[str, ...] = (".docx", ".docm", ".dotx")

    def read(self, data: bytes, suffix: str) -> Document:
        open_zip_checked(data, " Word ")
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:  # python-docx raises many kinds for a broken package
            raise ParseError("无法读取该 Word 文件：文件已损坏或不是有效的 .docx 文件") from None
        return read_docx(document)


READER = DocxReader()
