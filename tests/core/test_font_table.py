"""A .docx declares the GB/T 9704 fonts in its font table, for Word and WPS to
fall back from on a machine that lacks them."""

import io

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from tests.support import SAMPLES
from zhenggai.core.readers import parse_file
from zhenggai.core.writers import gbt9704
from zhenggai.core.writers.docx import write_bulletin_docx, write_docx
from zhenggai.core.writers.font_table import GBT9704_FONTS, declare_fonts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

EXPECTED = {
    "方正小标宋简体": ("宋体", "86", "roman", "variable"),
    "仿宋_GB2312": ("仿宋", "86", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "86", "modern", "fixed"),
    "黑体": ("SimHei", "86", "modern", "fixed"),
    "宋体": ("SimSun", "86", "roman", "variable"),
}


def _reopened(document: DocxDocument) -> list[etree._Element]:
    """The font table's entries, read back from the saved file."""
    saved = io.BytesIO()
    document.save(saved)
    again = docx.Document(io.BytesIO(saved.getvalue()))
    table = etree.fromstring(again.part.part_related_by(RT.FONT_TABLE).blob)
    return table.findall(f"{W}font")


def _described(entry: etree._Element) -> tuple[str | None, ...]:
    return tuple(
        None if (child := entry.find(f"{W}{tag}")) is None else child.get(f"{W}val")
        for tag in ("altName", "charset", "family", "pitch")
    )


def test_a_bulletin_declares_each_gbt_font_with_its_fallback() -> None:
    bulletin = docx.Document(io.BytesIO(write_bulletin_docx(parse_file(SAMPLES[4]))))
    declare_fonts(bulletin)
    entries = {e.get(f"{W}name"): e for e in _reopened(bulletin)}
    assert {name: _described(entries[name]) for name in EXPECTED} == EXPECTED


def test_the_other_entries_stay_and_no_font_is_declared_twice() -> None:
    document = docx.Document()
    before = [e.get(f"{W}name") for e in _reopened(document)]
    declare_fonts(document)
    declare_fonts(document)
    names = [e.get(f"{W}name") for e in _reopened(document)]
    assert names == before + list(EXPECTED)
    assert "Times New Roman" in before


def test_a_document_without_a_font_table_gets_one() -> None:
    document = docx.Document()
    table = next(r for r in document.part.rels.values() if r.reltype == RT.FONT_TABLE)
    document.part.drop_rel(table.rId)
    declare_fonts(document)
    declare_fonts(document)
    assert [e.get(f"{W}name") for e in _reopened(document)] == list(EXPECTED)


def test_every_font_the_gbt9704_styles_name_is_declared() -> None:
    named = {look.font for look in gbt9704.LOOKS.values()} | {gbt9704.PAGE_FONT}
    assert named <= {font.name for font in GBT9704_FONTS}


@pytest.mark.parametrize("kind", ["plan", "report", "bulletin"])
def test_every_document_from_the_shipped_templates_declares_the_fonts(kind: str) -> None:
    written = docx.Document(io.BytesIO(write_docx(kind, parse_file(SAMPLES[4]))))
    entries = {e.get(f"{W}name"): e for e in _reopened(written)}
    assert {name: _described(entries[name]) for name in EXPECTED} == EXPECTED
