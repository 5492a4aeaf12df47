"""The paragraphs of a bulletin .docx as a reader sees them: the title, then each
paragraph with its heading level and alignment.

Read from the file that is published rather than from the ledger, so the page
shows what the document says. Word's automatic numbering is counted into the text
(a template may number its headings that way), and a table's rows come as lines.
"""

import io

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from zhenggai.core.readers.docx import alignment
from zhenggai.core.readers.numbering import Numbering
from zhenggai.core.structure.paragraphs import clean, read_marker
from zhenggai.core.structure.titles import one_line
from zhenggai.publications.models import Paragraph

# GB/T 9704's four heading levels (一、 （一） 1. （1））; ① and the like are body text.
LEVELS = {"L1": 1, "L2": 2, "L3": 3, "L4": 4}
ALIGN = {"right": "right", "end": "right", "center": "center"}


def level_of(text: str) -> int:
    marker = read_marker(text)
    return LEVELS.get(marker.level, 0) if marker else 0


def _align(paragraph: DocxParagraph) -> str:
    """ "right" or "center" when the paragraph or its style sets it (a template aligns
    the signature by style), else ""."""
    return ALIGN.get(alignment(paragraph), "")


def _row_text(cells: list[_Cell]) -> str:
    """A table row as one line; a merged cell, which python-docx gives once per grid
    column it spans, is read once."""
    seen = {id(cell._tc): clean(cell.text) for cell in cells}
    return " | ".join(text for text in seen.values() if text)


def _lines(content: bytes) -> list[tuple[str, str]]:
    """Every non-empty line in body order, with its alignment."""
    document = docx.Document(io.BytesIO(content))
    numbering = Numbering(document)
    lines: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            text = clean(numbering.label(block) + block.text)
            lines.append((text, _align(block)))
        elif isinstance(block, Table):
            lines.extend((_row_text(row.cells), "") for row in block.rows)
    return [(text, align) for text, align in lines if text]


def read(content: bytes) -> tuple[str, list[Paragraph]]:
    """The title (the first paragraph) and the paragraphs after it."""
    lines = _lines(content)
    if not lines:
        return "", []
    (title, _centred), *body = lines
    return one_line(title), [Paragraph(text=t, level=level_of(t), align=a) for t, a in body]
