"""A short document written straight through the GB/T 9704 layout (``gbt9704``), with
no template: a title, headings, body paragraphs, plain tables and a signature. For
documents that are the system's own (a 回头看 campaign's report, a round's bulletin),
not an office's to restyle."""

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

import docx
from docx.document import Document as DocxDocument

from zhenggai.core.writers import gbt9704


@dataclass(frozen=True)
class Heading:
    text: str  # numbered by the caller: 一、…


@dataclass(frozen=True)
class Body:
    text: str


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Signature:
    text: str  # the office's name, then the date: each a line set to the right


Block = Heading | Body | Table | Signature


def _title(out: DocxDocument, title: str) -> None:
    look = gbt9704.LOOKS["GBTitle"]
    added = out.add_paragraph(style=out.styles[look.name])
    for number, line in enumerate(gbt9704.title_lines(title)):
        run = added.add_run()
        gbt9704.set_fonts(run._r.get_or_add_rPr(), look.font, look.size)
        if number:
            run.add_break()
        run.add_text(line)


def _table(out: DocxDocument, table: Table) -> None:
    added = out.add_table(rows=0, cols=len(table.header))
    added.style = out.styles["Table Grid"]
    for values in (table.header, *table.rows):
        cells = added.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.paragraphs[0].style = out.styles[gbt9704.LOOKS["GBTable"].name]
            run = cell.paragraphs[0].add_run(value)
            look = gbt9704.LOOKS["GBTable"]
            gbt9704.set_fonts(run._r.get_or_add_rPr(), look.font, look.size)


def write_simple(title: str, blocks: Sequence[Block]) -> bytes:
    """The document as .docx bytes."""
    out = docx.Document()
    gbt9704.set_up(out)
    _title(out, title)
    for block in blocks:
        if isinstance(block, Heading):
            gbt9704.paragraph(out, "GBHeading1", block.text)
        elif isinstance(block, Body):
            gbt9704.paragraph(out, "GBBody", block.text)
        elif isinstance(block, Signature):
            gbt9704.paragraph(out, "GBSignature", block.text)
        else:
            _table(out, block)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()
