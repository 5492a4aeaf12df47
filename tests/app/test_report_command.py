"""zhenggai report: an inspection's ledger written out as a document, in the format of
the output file's suffix; a refused request writes nothing."""

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from pdfminer.high_level import extract_text

from tests.app.conftest import noted_on_import
from tests.support import ARTIFACTS, SAMPLES, as_printed
from zhenggai.accountability.models import Action, FundsRecovered, Regulation
from zhenggai.core.readers import office, parse_bytes
from zhenggai.inspections.models import CaseLead, Category, Problem
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Measure

pytestmark = pytest.mark.django_db

SEED = SAMPLES[4]


@pytest.fixture
def inspection(capsys: pytest.CaptureFixture[str]) -> int:
    call_command("import", str(SEED), "--org", "晋江市融媒体中心", "--json")
    result: dict[str, int] = json.loads(capsys.readouterr().out)
    return result["inspection"]


def _titles(inspection: int) -> list[str]:
    titles = Problem.objects.filter(inspection_id=inspection).order_by("pk")
    return [title or "" for title in titles.values_list("title", flat=True)]


def _report(inspection: int, kind: str, out: Path) -> None:
    call_command("report", str(inspection), "--kind", kind, "--out", str(out))


def test_it_writes_the_bulletin_docx_that_parses_back_to_the_ledger(
    inspection: int, tmp_path: Path
) -> None:
    out = tmp_path / "通报.docx"
    _report(inspection, "bulletin", out)
    again = parse_bytes(out.read_bytes(), out.name)
    titles = [p.title for p in again.problems()] + [
        s.title for p in again.problems() for s in p.subproblems
    ]
    assert sorted(t or "" for t in titles) == sorted(_titles(inspection))
    assert [w.why for w in again.warnings] == noted_on_import(inspection)


def test_it_writes_the_bulletin_as_text(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "通报.txt"
    _report(inspection, "bulletin", out)
    text = out.read_text("utf-8")
    assert all(title in text for title in _titles(inspection))
    again = parse_bytes(out.read_bytes(), out.name)
    assert [w.why for w in again.warnings] == noted_on_import(inspection)


def _computed_figures(inspection: int) -> list[str]:
    """The figures the bulletin must state, counted here from the rows themselves."""
    top = Problem.objects.filter(inspection_id=inspection, parent=None)
    categories = Category.objects.filter(inspection_id=inspection).exclude(title=None).count()
    done = top.filter(state__in=[State.SIGNED_OFF, State.LONG_TERM]).count()
    actions = Action.objects.filter(inspection_id=inspection)
    return [
        f"反馈的{categories}大类{top.count()}项问题已整改完成{done}项",
        f"制定整改措施{Measure.objects.filter(inspection_id=inspection).count()}条",
        f"诫勉{actions.filter(kind=Action.Kind.ADMONISHMENT).count()}人",
        f"批评教育{actions.filter(kind=Action.Kind.CRITICISM_EDUCATION).count()}人",
        f"问题线索{CaseLead.objects.filter(inspection_id=inspection).count()}件",
        "已办结1件",
        f"建立完善制度{Regulation.objects.filter(inspection_id=inspection).count()}项",
        "整改涉及资金合计7.132万元",
    ]


def _work_done(inspection: int) -> None:
    """Some of the ledger moves on after the import, so the figures are not the seed's."""
    ids = list(
        Problem.objects.filter(inspection_id=inspection, parent=None).values_list("pk", flat=True)
    )
    Problem.objects.filter(pk__in=ids[:3]).update(state=State.SIGNED_OFF)
    for _ in range(2):
        Action.objects.create(inspection_id=inspection, kind=Action.Kind.ADMONISHMENT)
    FundsRecovered.objects.create(inspection_id=inspection, amount=Decimal("50000"))
    FundsRecovered.objects.create(inspection_id=inspection, amount=Decimal("21320"))
    CaseLead.objects.create(inspection_id=inspection, description="线索一")
    CaseLead.objects.create(
        inspection_id=inspection, description="线索二", disposal=CaseLead.Disposal.CLOSED
    )


def test_it_prints_the_bulletin_to_pdf_through_libreoffice(inspection: int, tmp_path: Path) -> None:
    _work_done(inspection)
    out = tmp_path / "report-bulletin.pdf"
    _report(inspection, "bulletin", out)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(out, ARTIFACTS / out.name)
    # a PDF keeps glyphs, not line breaks; page numbers sit between the pages' text
    text = re.sub(r"—\d+—", "", re.sub(r"\s+", "", extract_text(str(out))))
    missing = [t for t in _titles(inspection) if re.sub(r"\s+", "", t) not in text]
    assert missing == []
    figures = _computed_figures(inspection)
    assert [f for f in figures if f not in text] == []
    assert "已整改完成3项" in text  # the three signed off above, not the seed's own figure
    # Its pages as pictures, to look at (poppler's pdftoppm, from scripts/bootstrap.sh).
    for old in ARTIFACTS.glob("report-bulletin-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(out), str(ARTIFACTS / "report-bulletin")],
        check=True,
        timeout=120,
    )
    assert sorted(ARTIFACTS.glob("report-bulletin-*.png"))


def test_it_refuses_an_unknown_inspection_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    with pytest.raises(CommandError, match="找不到编号为 999 的巡察"):
        _report(999, "bulletin", out)
    assert not out.exists()


def test_it_refuses_a_suffix_that_does_not_fit_the_kind(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "通报.xlsx"
    with pytest.raises(CommandError, match=re.escape("不能输出为“.xlsx”文件")) as refused:
        _report(inspection, "bulletin", out)
    assert ".docx" in str(refused.value)
    assert not out.exists()


def test_it_writes_the_plan_with_a_row_for_every_measure(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "方案.docx"
    _report(inspection, "plan", out)
    plan = docx.Document(str(out))
    (table,) = plan.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows][1:]
    measures = Measure.objects.filter(inspection_id=inspection).order_by("pk")
    texts = measures.values_list("text", flat=True)
    assert sorted(row[4] for row in rows) == sorted(as_printed(list(texts)))
    assert {row[5] for row in rows} <= {"立行立改", "限期整改", "长期坚持"}
    text = "\n".join(p.text for p in plan.paragraphs)
    assert f"共制定整改措施{measures.count()}条" in text


def test_it_writes_the_report_to_the_superior(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    _report(inspection, "report", out)
    report = docx.Document(str(out))
    assert report.paragraphs[0].text.endswith("整改情况的报告")
    assert report.paragraphs[1].text.endswith("巡察工作领导小组：")
    assert "特此报告。" in [p.text for p in report.paragraphs]
    again = parse_bytes(out.read_bytes(), out.name)
    top = Problem.objects.filter(inspection_id=inspection, parent=None)
    expected = sorted(title or "" for title in top.values_list("title", flat=True))
    assert sorted(p.title or "" for p in again.problems()) == expected


def test_it_names_the_formats_a_kind_can_be_written_in(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "方案.txt"
    with pytest.raises(CommandError, match=re.escape("整改方案不能输出为“.txt”文件")) as refused:
        _report(inspection, "plan", out)
    assert ".docx、.pdf" in str(refused.value)
    assert not out.exists()


def test_it_writes_the_ledger_xlsx(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    _report(inspection, "ledger", out)
    again = parse_bytes(out.read_bytes(), out.name)
    assert {p.title for p in again.problems()} <= set(_titles(inspection))
    assert again.problems()


def test_it_asks_for_libreoffice_when_a_pdf_cannot_be_made(
    inspection: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    out = tmp_path / "通报.pdf"
    with pytest.raises(CommandError, match="需要 LibreOffice"):
        _report(inspection, "bulletin", out)
    assert not out.exists()
