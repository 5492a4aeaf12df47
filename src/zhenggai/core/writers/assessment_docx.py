"""The assessment report (整改评估报告) as .docx, laid out by GB/T 9704 (gbt9704.py):
the title, the organisation assessed, each indicator with its score and basis, the
deductions, the total, the grade and the conclusion, and the re-rectification a
fair or poor grade opened. In Chinese: the language of the office's documents."""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import docx

from zhenggai.core.numerals import int_to_cn
from zhenggai.core.writers import gbt9704
from zhenggai.core.writers.gbt9704 import paragraph


@dataclass(frozen=True)
class Line:
    """An indicator as the report shows it."""

    name: str
    weight: int
    score: Decimal | None
    basis: str


@dataclass(frozen=True)
class Report:
    office: str
    organisation: str
    inspection: str
    lines: tuple[Line, ...]
    deductions: tuple[str, ...]
    total: Decimal
    grade: str
    date: dt.date
    redo: str | None = None  # the re-rectification's title, when one was opened


def _heading(number: int, text: str) -> str:
    return f"{int_to_cn(number)}、{text}"


def _conclusion(report: Report) -> str:
    said = f"综合评定，{report.organisation}整改工作得分 {report.total} 分，评估等次为“{report.grade}”。"
    if report.redo:
        return (
            said + f"按照评估办法，须重新整改，已登记“{report.redo}”，请于规定时间内报送整改方案。"
        )
    return said + "请继续巩固整改成果，建立健全长效机制。"


def write_assessment_docx(report: Report) -> bytes:
    out = docx.Document()
    gbt9704.set_up(out)
    paragraph(out, "GBTitle", f"关于{report.organisation}巡察整改情况的评估报告")
    paragraph(out, "GBBody", f"评估对象：{report.organisation}（{report.inspection}）")
    paragraph(out, "GBHeading1", _heading(1, "评估指标得分"))
    for n, line in enumerate(report.lines, start=1):
        score = "—" if line.score is None else f"{line.score}"
        paragraph(
            out, "GBHeading2", f"（{int_to_cn(n)}）{line.name}（{line.weight} 分）：{score} 分"
        )
        if line.basis:
            paragraph(out, "GBBody", f"评分依据：{line.basis}")
    paragraph(out, "GBHeading1", _heading(2, "扣分情况"))
    for text in report.deductions or ("无扣分事项。",):
        paragraph(out, "GBBody", text)
    paragraph(out, "GBHeading1", _heading(3, "总分和等次"))
    paragraph(out, "GBBody", f"总分：{report.total} 分；等次：{report.grade}。")
    paragraph(out, "GBHeading1", _heading(4, "评估结论"))
    paragraph(out, "GBBody", _conclusion(report))
    paragraph(out, "GBSignature", report.office)
    paragraph(out, "GBSignature", f"{report.date.year}年{report.date.month}月{report.date.day}日")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
