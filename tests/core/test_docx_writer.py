"""The progress bulletin as a GB/T 9704-2012 .docx: opened again with python-docx, and
parsed back to the ledger it was written from."""

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_roundtrip_property import _comparable, documents
from tests.core.test_text_roundtrip import STYLE_OF
from tests.support import SAMPLES, structure
from zhenggai.core.model import (
    Accountability,
    Category,
    Contact,
    Document,
    Measure,
    Period,
    Problem,
    StatedTotals,
)
from zhenggai.core.readers import parse_bytes, parse_file
from zhenggai.core.writers.docx import write_bulletin_docx
from zhenggai.core.writers.text import STYLES


def _ledger() -> Document:
    return Document(
        title="某县融媒体中心关于巡察整改进展情况的通报",
        org="某县融媒体中心",
        inspection_body="县委第一巡察组",
        level="巡察",
        onsite_period=Period(dt.date(2024, 3, 1), dt.date(2024, 4, 30)),
        feedback_date=dt.date(2024, 6, 5),
        date=dt.date(2024, 9, 10),
        categories=[
            Category(
                "政治建设方面",
                [
                    Problem(
                        "理论学习不深入",
                        measures=[Measure("修订学习制度"), Measure("每月集中学习")],
                        subproblems=[Problem("学习记录不全", measures=[Measure("补齐记录")])],
                    )
                ],
            )
        ],
        stated_totals=StatedTotals(categories=1, problems=1, completed=1),
        accountability=Accountability(criticism_education=2),
        contact=Contact(phone="0000-1234567"),
    )


@pytest.fixture(scope="module")
def written() -> DocxDocument:
    return docx.Document(io.BytesIO(write_bulletin_docx(_ledger())))


def _starting(document: DocxDocument, prefix: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(prefix))


def _east_asia(paragraph: Paragraph) -> str | None:
    return _fonts(paragraph, "eastAsia")


def _fonts(paragraph: Paragraph, attribute: str) -> str | None:
    fonts = paragraph.runs[0]._r.get_or_add_rPr().rFonts
    assert fonts is not None
    return fonts.get(qn(f"w:{attribute}"))


def _size(paragraph: Paragraph) -> float | None:
    size = paragraph.runs[0].font.size
    return None if size is None else size.pt


def test_the_page_is_a4_with_the_standard_margins(written: DocxDocument) -> None:
    section = written.sections[0]
    page = (section.page_width, section.page_height)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    # in twips, as Word stores them: 210×297 mm; 37, 35, 28 and 26 mm
    assert [length.twips for length in page if length is not None] == [11906, 16838]
    assert [length.twips for length in margins if length is not None] == [2098, 1984, 1587, 1474]


def test_the_grid_gives_22_lines_and_the_body_is_condensed_to_28_characters(
    written: DocxDocument,
) -> None:
    grid = written.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid is not None
    # a line grid only: LibreOffice doubles every character in a linesAndChars grid
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) is None
    spacing = written.styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"


def test_the_defaults_are_chinese_fangsong_in_3hao(written: DocxDocument) -> None:
    defaults = written.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rpr.rFonts.get(qn("w:asciiTheme")) is None
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert rpr.sz_val.pt == 16


def test_the_title_is_2hao_xiaobiaosong_centred(written: DocxDocument) -> None:
    title = written.paragraphs[0]
    assert title.text == "某县融媒体中心关于巡察整改进展情况的通报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (_east_asia(title), _size(title)) == ("方正小标宋简体", 22)


@pytest.mark.parametrize(
    ("prefix", "font", "bold"),
    [
        ("一、", "黑体", None),
        ("(一)", "楷体_GB2312", None),
        ("1.", "仿宋_GB2312", True),
        ("(1)", "仿宋_GB2312", None),
        ("根据统一部署", "仿宋_GB2312", None),
    ],
)
def test_each_heading_level_has_its_font_in_3hao(
    written: DocxDocument, prefix: str, font: str, bold: bool | None
) -> None:
    paragraph = _starting(written, prefix)
    assert (_east_asia(paragraph), _size(paragraph)) == (font, 16)
    assert paragraph.runs[0].font.bold is bold
    assert _fonts(paragraph, "hint") == "eastAsia"


def test_the_body_is_justified_and_indented_two_characters(written: DocxDocument) -> None:
    body = _starting(written, "根据统一部署")
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent is not None
    assert body.paragraph_format.first_line_indent.pt == 32
    assert body._p.get_or_add_pPr().get_or_add_ind().get(qn("w:firstLineChars")) == "200"


def _fields(paragraph: Paragraph) -> list[str]:
    return [str(t.text).strip() for t in paragraph._p.iter(qn("w:instrText"))]


def test_page_numbers_are_4hao_page_fields_odd_right_even_left(written: DocxDocument) -> None:
    section = written.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert _fields(footer) == ["PAGE"]
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert {run.font.size.pt for run in footer.runs if run.font.size} == {14}
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert written.settings.odd_and_even_pages_header_footer is True
    even_and_odd = written.settings.element.find(qn("w:evenAndOddHeaders"))
    assert even_and_odd is not None


def test_the_signature_and_date_close_the_bulletin_right_aligned(
    written: DocxDocument,
) -> None:
    signature, date = written.paragraphs[-2:]
    assert (signature.text, date.text) == ("某县融媒体中心", "2024年9月10日")
    assert signature.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_the_bulletin_carries_every_computed_figure(written: DocxDocument) -> None:
    text = "\n".join(p.text for p in written.paragraphs)
    assert "反馈的1大类1项问题已整改完成1项" in text
    assert "批评教育2人" in text
    assert "0000-1234567" in text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_seed_survives_the_bulletin_docx(sample: Path) -> None:
    original = parse_file(sample)
    data = write_bulletin_docx(original, style=STYLE_OF[sample.stem[:3]])
    again = parse_bytes(data, "x.docx")
    expected, actual = structure(original), structure(again)
    if original.title is None:  # the bulletin gets a title of its own
        expected.pop("title")
        assert actual.pop("title")
    # categories, problems, measures, totals, accountability, contact and the rest
    assert actual == expected
    assert again.warnings == []


@pytest.mark.parametrize("style", sorted(STYLES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_random_ledger_survives_the_bulletin_docx(style: str, data: st.DataObject) -> None:
    doc = data.draw(documents(style))
    parsed = parse_bytes(write_bulletin_docx(doc, style=style), "generated.docx")
    expected, found = _comparable(doc), _comparable(parsed)
    if not doc.title:  # the writer gives a bulletin without one its standard title
        expected.pop("title"), found.pop("title")
    assert found == expected
    assert parsed.stated_totals.problems == doc.stated_totals.problems
    assert parsed.stated_totals.completed == doc.stated_totals.completed
