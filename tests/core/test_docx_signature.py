"""A .docx bulletin that ends on its last measure, then the right-aligned
signature (发文机关署名) and date, with no contact block between: Word's alignment
says the two lines sign the document, so they are not one more measure."""

import datetime as dt
import io
from collections.abc import Callable

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from zhenggai.core.model import Document
from zhenggai.core.readers import parse_bytes

MEASURE = "整改进展情况：已制定年度学习计划，建立考勤台账，每月通报参学情况。"
SIGNATURE = ["某县融媒体中心", "2024年9月10日"]
# Long enough to be body text wherever it stands, whatever its alignment.
LONG = "整改进展情况：已对照问题清单逐项核查，修订完善议事规则，组织全体党员集中学习三次。"


def _direct(document: DocxDocument, paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _direct_end(document: DocxDocument, paragraph: Paragraph) -> None:
    """``w:jc="end"``: the newer spelling of right in a left-to-right paragraph."""
    _direct(document, paragraph)
    jc = paragraph._p.get_or_add_pPr().find(qn("w:jc"))
    assert jc is not None
    jc.set(qn("w:val"), "end")


def _by_style(document: DocxDocument, paragraph: Paragraph) -> None:
    styles = document.styles
    if "落款" not in [s.name for s in styles]:
        style = styles.add_style("落款", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.style = styles["落款"]


def _by_base_style(document: DocxDocument, paragraph: Paragraph) -> None:
    """An office's template: the date style inherits its alignment from 落款."""
    _by_style(document, paragraph)
    styles = document.styles
    if "成文日期" not in [s.name for s in styles]:
        styles.add_style("成文日期", WD_STYLE_TYPE.PARAGRAPH).base_style = styles["落款"]
    paragraph.style = styles["成文日期"]


ALIGNERS: dict[str, Callable[[DocxDocument, Paragraph], None]] = {
    "direct": _direct,
    "direct-end": _direct_end,
    "style": _by_style,
    "base-style": _by_base_style,
}


def _bulletin(right_aligned_first: str | None = None) -> DocxDocument:
    """Title, opening, one heading, one category, one problem and its measure.

    ``right_aligned_first``: the measure, set flush right, of a problem before it.
    """
    document = docx.Document()
    document.add_paragraph(
        "中共某县融媒体中心支部委员会关于巡察整改进展情况的通报"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        "根据县委统一部署，县委第一巡察组对某县融媒体中心开展了巡察，现将整改进展情况予以公布。"
    )
    document.add_paragraph("一、巡察反馈问题的整改落实情况")
    document.add_paragraph("（一）党的建设方面")
    number = 1
    if right_aligned_first:
        document.add_paragraph("1.关于议事规则执行不到位的问题")
        _direct(document, document.add_paragraph(right_aligned_first))
        number = 2
    document.add_paragraph(f"{number}.关于三会一课制度落实不严格的问题")
    document.add_paragraph(MEASURE)
    return document


def _sign(document: DocxDocument, align: Callable[[DocxDocument, Paragraph], None]) -> None:
    for text in SIGNATURE:
        align(document, document.add_paragraph(text))


def _parse(document: DocxDocument) -> Document:
    buffer = io.BytesIO()
    document.save(buffer)
    return parse_bytes(buffer.getvalue(), "x.docx")


@pytest.mark.parametrize("how", ALIGNERS)
def test_a_right_aligned_signature_and_date_are_not_a_measure(how: str) -> None:
    document = _bulletin()
    _sign(document, ALIGNERS[how])
    doc = _parse(document)
    assert [m.text for m in doc.problems()[-1].measures] == [MEASURE.split("：", 1)[1]]
    assert doc.warnings == []
    assert doc.closing == SIGNATURE
    assert doc.date == dt.date(2024, 9, 10)


def test_without_alignment_the_last_lines_stay_in_the_body() -> None:
    """Plain text gives no layout: with no contact block above them, two short
    lines may be the end of the last measure, so nothing is taken from it."""
    document = _bulletin()
    for text in SIGNATURE:
        document.add_paragraph(text)
    doc = _parse(document)
    assert len(doc.problems()[-1].measures) == 3
    assert doc.closing == []
    assert doc.date is None


def test_a_long_right_aligned_paragraph_in_the_body_stays_a_measure() -> None:
    document = _bulletin(right_aligned_first=LONG)
    _sign(document, _direct)
    doc = _parse(document)
    first, last = doc.problems()
    assert [m.text for m in first.measures] == [LONG.split("：", 1)[1]]
    assert [m.text for m in last.measures] == [MEASURE.split("：", 1)[1]]
    assert doc.closing == SIGNATURE


def test_a_long_right_aligned_last_paragraph_is_not_a_signature() -> None:
    document = _bulletin()
    _direct(document, document.add_paragraph(LONG))
    doc = _parse(document)
    measures = [m.text for m in doc.problems()[-1].measures]
    assert LONG.split("：", 1)[1] in measures
    assert doc.closing == []


def test_a_contact_block_above_a_left_org_and_right_date_still_signs_both() -> None:
    """The text path's rule (a closing block marks the short lines below it as the
    signature) still holds when only the date is right-aligned."""
    document = _bulletin()
    document.add_paragraph("欢迎广大干部群众对整改落实情况进行监督。联系电话：0000-1234567")
    document.add_paragraph(SIGNATURE[0])
    _direct(document, document.add_paragraph(SIGNATURE[1]))
    doc = _parse(document)
    assert [m.text for m in doc.problems()[-1].measures] == [MEASURE.split("：", 1)[1]]
    assert doc.closing[1:] == SIGNATURE
    assert doc.date == dt.date(2024, 9, 10)
