"""A source's text line by line, as its reader sees it, beside the document parsed
from it: what the plan page shows next to what was understood.

Reading an upload is one unit of work here, so that it can run in a bounded
child process (core/bounded.py) as a whole.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

import docx

from zhenggai.core.model import Document
from zhenggai.core.readers import docx as docx_reader
from zhenggai.core.readers import parse_bytes, pdf, text
from zhenggai.core.readers import xlsx as xlsx_reader
from zhenggai.core.structure import Para


@dataclass(frozen=True)
class Line:
    """One line of a source's text and where it stood (第3行, 第2页第4段, 表格1第2行)."""

    text: str
    where: str


# Each format's text as its reader sees it, paragraph or row by row.
SOURCE_LINES: dict[str, Callable[[bytes], list[Para]]] = {
    ".txt": lambda content: text.paragraphs(text.decode(content)),
    ".pdf": pdf.read_pdf,
    ".docx": lambda content: docx_reader.source_lines(docx.Document(io.BytesIO(content))),
    ".xlsx": xlsx_reader.source_lines,
}


def lines_in(content: bytes, suffix: str) -> list[Line]:
    """The text of a file already parsed once (so known to be readable), line by line,
    from the readers' own walks (a .docx with its automatic numbering)."""
    found = SOURCE_LINES[suffix](content) if suffix in SOURCE_LINES else []
    return [Line(p.text, p.where) for p in found if p.text.strip()]


def read_with_lines(
    content: bytes, name: str, suffix: str, max_bytes: int
) -> tuple[Document, list[Line]]:
    """The document and its lines."""
    return parse_bytes(content, name, max_bytes=max_bytes), lines_in(content, suffix)
