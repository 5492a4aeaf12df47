"""The progress bulletin as a GB/T 9704-2012 .docx: opened again with python-docx, and
parsed back to the ledger it was written from."""

import io
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_roundtrip_property import _comparable, documents
from tests.support import SAMPLES, as_written, structure
from zhenggai.core.readers import parse_bytes, parse_file
from zhenggai.core.writers.context import SAMPLE
from zhenggai.core.writers.docx import write_bulletin_docx, write_docx
from zhenggai.core.writers.gbt9704 import TITLE_CHARS, title_lines
from zhenggai.core.writers.text import STYLES, full_width

KINDS = ("bulletin", "report", "plan")


@pytest.fixture(scope="module", params=KINDS)
def written(request: pytest.FixtureRequest) -> DocxDocument:
    """Every .docx the project writes, from the default templates."""
    return docx.Document(io.BytesIO(write_docx(request.param, SAMPLE)))


@pytest.fixture(scope="module")
def bulletin() -> DocxDocument:
    return docx.Document(io.BytesIO(write_bulletin_docx(SAMPLE)))


def _starting(document: DocxDocument, prefix: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(prefix))


def _style(paragraph: Paragraph) -> ParagraphStyle:
    assert paragraph.style is not None
    return paragraph.style


def _run_property(paragraph: Paragraph, find: Callable[[Any], Any]) -> Any:
    """A run's own value, else its paragraph style's, as Word resolves it."""
    for element in (paragraph.runs[0]._r.rPr, _style(paragraph).element.rPr):
        value = None if element is None else find(element)
        if value is not None:
            return value
    return None


def _fonts(paragraph: Paragraph, attribute: str) -> str | None:
    found = _run_property(
        paragraph, lambda rpr: None if rpr.rFonts is None else rpr.rFonts.get(qn(f"w:{attribute}"))
    )
    return None if found is None else str(found)


def _east_asia(paragraph: Paragraph) -> str | None:
    return _fonts(paragraph, "eastAsia")


def _size(paragraph: Paragraph) -> float | None:
    size = _run_property(paragraph, lambda rpr: rpr.sz_val)
    return None if size is None else size.pt


def _bold(paragraph: Paragraph) -> bool | None:
    found = _run_property(paragraph, lambda rpr: rpr._get_bool_val("b"))
    return None if found is None else bool(found)


def _alignment(paragraph: Paragraph) -> WD_ALIGN_PARAGRAPH | None:
    return paragraph.alignment or _style(paragraph).paragraph_format.alignment


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
    for section in written.sections:
        grid = section._sectPr.find(qn("w:docGrid"))
        assert grid is not None
        if (section.page_width or 0) > (section.page_height or 0):  # the plan's table: no grid
            assert grid.get(qn("w:type")) == "default"
            continue
        # a line grid only: LibreOffice doubles every character in a linesAndChars grid
        assert grid.get(qn("w:type")) == "lines"
        assert grid.get(qn("w:linePitch")) == "579"
        assert grid.get(qn("w:charSpace")) is None
    spacing = written.styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"
    # no space added between Chinese and digits: 「2025年」, not 「2025 年」
    ppr = written.styles["Normal"].element.pPr
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        assert ppr.find(qn(name)).get(qn("w:val")) == "0"


def test_the_defaults_are_chinese_fangsong_in_3hao(written: DocxDocument) -> None:
    defaults = written.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rpr.rFonts.get(qn("w:asciiTheme")) is None
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert rpr.sz_val.pt == 16


def test_the_title_is_2hao_xiaobiaosong_centred(written: DocxDocument) -> None:
    title = written.paragraphs[0]
    assert title.text.startswith("示例单位") and title.text[-2:] in ("通报", "报告", "方案")
    assert _alignment(title) == WD_ALIGN_PARAGRAPH.CENTER
    assert (_east_asia(title), _size(title)) == ("方正小标宋简体", 22)


HEADING_LEVELS = [
    ("一、", "黑体", None),
    ("（一）", "楷体_GB2312", None),
    ("1.", "仿宋_GB2312", True),
    ("（1）", "仿宋_GB2312", None),
]


@pytest.mark.parametrize(
    ("prefix", "font", "bold"), [*HEADING_LEVELS, ("根据统一部署", "仿宋_GB2312", None)]
)
def test_each_heading_level_has_its_font_in_3hao(
    bulletin: DocxDocument, prefix: str, font: str, bold: bool | None
) -> None:
    paragraph = _starting(bulletin, prefix)
    assert (_east_asia(paragraph), _size(paragraph)) == (font, 16)
    assert _bold(paragraph) is bold
    assert _fonts(paragraph, "hint") == "eastAsia"


def test_every_paragraph_of_every_document_names_its_chinese_font(
    written: DocxDocument,
) -> None:
    """Headings by their numbering, the rest 仿宋 (or 小标宋 for the title), all 3号."""
    paragraphs = [p for p in written.paragraphs[1:] if p.text.strip()]
    assert len(paragraphs) > 10
    for paragraph in paragraphs:
        expected = "仿宋_GB2312"
        if re.match(r"[一二三四五六七八九十]+、|附件$", paragraph.text):
            expected = "黑体"
        elif re.match(r"（[一二三四五六七八九十]+）", paragraph.text):
            expected = "楷体_GB2312"
        elif paragraph.text == "整改任务清单":  # the plan's attachment title
            expected = "方正小标宋简体"
        assert _east_asia(paragraph) == expected, paragraph.text
        assert _size(paragraph) in (16, 22), paragraph.text


def test_the_body_is_justified_and_indented_two_characters(written: DocxDocument) -> None:
    body = next(
        p for p in written.paragraphs if p.text.startswith(("根据统一部署", "2025年6月5日"))
    )
    assert _alignment(body) == WD_ALIGN_PARAGRAPH.JUSTIFY
    indent = _style(body).paragraph_format.first_line_indent
    assert indent is not None and indent.pt == 32
    assert _style(body).element.pPr.ind.get(qn("w:firstLineChars")) == "200"


def _fields(paragraph: Paragraph) -> list[str]:
    return [str(t.text).strip() for t in paragraph._p.iter(qn("w:instrText"))]


def test_page_numbers_are_4hao_page_fields_odd_right_even_left(written: DocxDocument) -> None:
    section = written.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert _fields(footer) == ["PAGE"]
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert {run.font.size.pt for run in footer.runs if run.font.size} == {14}
        assert {run.font.name for run in footer.runs} == {"宋体"}  # digits too, clause 7.5
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert written.settings.odd_and_even_pages_header_footer is True
    even_and_odd = written.settings.element.find(qn("w:evenAndOddHeaders"))
    assert even_and_odd is not None


def test_the_signature_and_date_close_the_document_right_aligned(
    written: DocxDocument,
) -> None:
    signed = [p for p in written.paragraphs if _style(p).style_id == "GBSignature"]
    assert [p.text for p in signed] == ["示例单位", "2025年9月10日"]
    assert {_alignment(p) for p in signed} == {WD_ALIGN_PARAGRAPH.RIGHT}


def test_the_bulletin_carries_every_computed_figure(bulletin: DocxDocument) -> None:
    text = "\n".join(p.text for p in bulletin.paragraphs)
    assert "反馈的1大类1项问题已整改完成1项" in text
    assert "批评教育1人" in text
    assert "0000-1234567" in text
    assert "制定整改措施4条" in text


def test_the_report_is_addressed_to_the_committee_s_leading_group() -> None:
    report = docx.Document(io.BytesIO(write_docx("report", SAMPLE)))
    assert report.paragraphs[1].text == "县委巡察工作领导小组："
    assert report.paragraphs[-4].text == "特此报告。"


def test_the_plan_lists_every_measure_in_its_task_table() -> None:
    plan = docx.Document(io.BytesIO(write_docx("plan", SAMPLE)))
    (table,) = plan.tables
    header, *rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert header[:5] == ["序号", "问题类别", "具体问题", "整改目标", "整改措施"]
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    assert [row[4] for row in rows] == ["开展专题研讨", "修订学习制度", "每月集中学习", "补齐记录"]
    # A problem is named on its first row (context._grouped), the rows under it follow.
    assert [row[2] for row in rows] == ["", "理论学习不深入", "", ""]
    landscape = plan.sections[-1]
    size = (landscape.page_width, landscape.page_height)
    assert [length.twips for length in size if length is not None] == [16838, 11906]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_seed_survives_the_bulletin_docx(sample: Path) -> None:
    original = parse_file(sample)
    data = write_bulletin_docx(original)
    again = parse_bytes(data, "x.docx")
    expected, actual = as_written(original), structure(again)
    if original.title is None:  # the bulletin gets a title of its own
        expected.pop("title")
        assert actual.pop("title")
    # categories, problems, measures, totals, accountability, contact and the rest
    assert actual == expected
    # Writing adds no warning; a contradiction of the source (seed 004's accountability
    # summary against its problems' figures) is carried, and found again.
    assert [w.why for w in again.warnings] == [w.why for w in original.warnings]


@pytest.mark.parametrize("style", sorted(STYLES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_random_ledger_survives_the_bulletin_docx(style: str, data: st.DataObject) -> None:
    doc = data.draw(documents(style))
    parsed = parse_bytes(write_bulletin_docx(doc), "generated.docx")
    expected, found = _comparable(doc), _comparable(parsed)
    if not doc.title:  # the writer gives a bulletin without one its standard title
        expected.pop("title"), found.pop("title")
    assert found == expected
    assert parsed.stated_totals.problems == doc.stated_totals.problems
    assert parsed.stated_totals.completed == doc.stated_totals.completed


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("示例单位关于巡察整改进展情况的通报", ["示例单位关于巡察整改进展情况的通报"]),
        (
            "晋江市融媒体中心关于巡察整改进展情况的通报",
            ["晋江市融媒体中心", "关于巡察整改进展情况的通报"],
        ),
        (
            "中共某某市某某区某某街道工作委员会关于落实区委第三巡察组反馈意见整改情况的报告",
            [
                "中共某某市某某区某某街道工作委员会",
                "关于落实区委第三巡察组",
                "反馈意见整改情况的报告",
            ],
        ),
    ],
)
def test_a_long_title_is_set_on_lines_of_its_own_not_left_to_wrap(
    title: str, lines: list[str]
) -> None:
    """Clause 7.3.1: no character left alone on the last line; every line fits."""
    assert title_lines(title) == lines
    assert all(len(line) <= TITLE_CHARS for line in lines)
    written = docx.Document(io.BytesIO(write_bulletin_docx(replace(SAMPLE, title=title))))
    assert written.paragraphs[0].text.split("\n") == lines
    assert parse_bytes(write_bulletin_docx(replace(SAMPLE, title=title)), "x.docx").title == title


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        ("整改,落实;到位:好?是!（略）(附件1).", "整改，落实；到位：好？是！（略）（附件1）。"),
        ("追缴1,000元，3.5万元，10:30开会", "追缴1,000元，3.5万元，10:30开会"),
        ("电子邮箱:xcb@example.cn", "电子邮箱：xcb@example.cn"),
        ("Word, WPS and Excel.", "Word, WPS and Excel."),
    ],
)
def test_half_width_punctuation_beside_chinese_becomes_full_width(given: str, printed: str) -> None:
    assert full_width(given) == printed
