"""Each seed's ledger, written as the 整改台账 .xlsx and imported again with
`zhenggai import`, becomes a new inspection whose ledger is the first one's: the same
categories, problems and measures, and every column the sheet carries. Text that a
spreadsheet would take for a formula stays text in the file and comes back as written.

A ledger sheet is flat (see core.writers.xlsx_ledger): a sub-problem comes back as a
problem of its category, right after its parent, and titles come back as the ledger
reader words them; the comparison is made on that shape."""

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.support import SAMPLES
from zhenggai.core import model as doc
from zhenggai.core.structure.titles import category_title, problem_title
from zhenggai.core.writers.xlsx_ledger import FORMULA_STARTS
from zhenggai.documents import reports
from zhenggai.documents.ledger_document import ledger_document, ledger_rows
from zhenggai.inspections.models import Inspection
from zhenggai.ledger.models import Measure

pytestmark = pytest.mark.django_db

HOSTILE = ('=HYPERLINK("http://example.com/?q=1","点此查看")', "+1", "-1", "@SUM(1)")
TEXT_FIELDS = (
    "text",
    "leader_name",
    "department_name",
    "person_name",
    "deadline_text",
    "progress_text",
    "status_text",
    "evidence_text",
    "sign_off_text",
    "note",
)


def _import(path: Path, org: str, capsys: pytest.CaptureFixture[str]) -> Inspection:
    """As an operator does: `zhenggai import FILE --org ORG`."""
    call_command("import", str(path), "--org", org, "--json")
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert result["created"] is True
    return Inspection.objects.get(pk=result["inspection"])


def _fill_columns(inspection: Inspection) -> None:
    """Every column of the sheet filled, each measure with values of its own, so that a
    column read into its neighbour or a row into the next one shows. Every third
    measure has a deadline in words only (长期坚持), the others a date."""
    measures = list(Measure.objects.filter(inspection=inspection).order_by("pk"))
    for n, m in enumerate(measures, 1):
        m.leader_name, m.department_name, m.person_name = f"领导{n}", f"部门{n}", f"责任人{n}"
        has_date = n % 3 != 0
        m.deadline = dt.date(2025, 1, 1) + dt.timedelta(days=n) if has_date else None
        m.deadline_text = "" if has_date else "长期坚持"
        m.progress_text = f"第{n}项：召开专题会议\n印发制度文件"
        m.status_text = ("正在推进", "已完成", "未完成")[n % 3]
        m.evidence_text = f"会议纪要{n}.pdf"
        m.sign_off_text = "已销号" if n % 3 == 1 else ""
        m.note = f"备注{n}"
    fields = [f for f in TEXT_FIELDS if f != "text"] + ["deadline"]
    Measure.objects.bulk_update(measures, fields)


def _write_ledger(inspection: Inspection, path: Path) -> Path:
    path.write_bytes(reports.write(inspection, reports.writer_for("ledger", ".xlsx")))
    return path


def _measure(m: doc.Measure) -> tuple[Any, ...]:
    """What a row of the sheet holds for a measure; 整改时限 is the date, or the words
    when there is no date."""
    deadline = m.deadline if m.deadline is not None else m.deadline_text
    people = (m.leader, m.department, m.person)
    return (m.text, *people, deadline, m.progress, m.status, m.evidence, m.sign_off, m.note)


def _problems(p: doc.Problem) -> list[tuple[Any, ...]]:
    title = problem_title(p.title) if p.title else None
    own = (title, [_measure(m) for m in p.measures])
    return [own] + [row for sub in p.subproblems for row in _problems(sub)]


def _flat(inspection: Inspection) -> list[tuple[Any, ...]]:
    """The inspection's ledger as a sheet holds it: categories with their own measures and
    their problems, sub-problems after their parents."""
    ledger = ledger_document(ledger_rows(inspection))
    return [
        (
            category_title(c.title) if c.title else None,
            [_measure(m) for m in c.measures],
            [row for p in c.problems for row in _problems(p)],
        )
        for c in ledger.categories
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem[:3] for s in SAMPLES])
def test_the_ledger_xlsx_imports_back_as_the_same_ledger(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _import(sample, "县融媒体中心", capsys)
    _fill_columns(first)
    expected = _flat(first)
    sheet = _write_ledger(first, tmp_path / "整改台账.xlsx")

    again = _import(sheet, "县融媒体中心", capsys)

    assert again.pk != first.pk
    assert again.organisation_id == first.organisation_id
    assert _flat(again) == expected
    assert _flat(first) == expected  # writing and importing left the first one alone
    measures = sum(len(c[1]) + sum(len(p[1]) for p in c[2]) for c in expected)
    assert measures == Measure.objects.filter(inspection=again).count() > 0


def _hostile_ledger(capsys: pytest.CaptureFixture[str]) -> Inspection:
    """A seed whose first measures hold, in every text column, text a spreadsheet would
    run: a formula, a sign, an @-function; the others' columns filled (an empty
    完成情况 is written as the measure's state, which comes back as its text)."""
    inspection = _import(SAMPLES[2], "县融媒体中心", capsys)
    _fill_columns(inspection)
    measures = list(Measure.objects.filter(inspection=inspection).order_by("pk")[: len(HOSTILE)])
    assert len(measures) == len(HOSTILE)
    for measure, text in zip(measures, HOSTILE, strict=True):
        for field in TEXT_FIELDS:
            setattr(measure, field, text)
        measure.deadline = None  # so that 整改时限 holds the text
    Measure.objects.bulk_update(measures, [*TEXT_FIELDS, "deadline"])
    return inspection


def test_text_that_looks_like_a_formula_is_never_a_formula_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write_ledger(_hostile_ledger(capsys), tmp_path / "台账.xlsx").read_bytes()
    cells = [
        c for sheet in load_workbook(io.BytesIO(data)) for row in sheet.iter_rows() for c in row
    ]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert sum(text.lstrip("\u200b") in HOSTILE for text in texts) == len(HOSTILE) * 10
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []


def test_text_that_looks_like_a_formula_comes_back_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _hostile_ledger(capsys)
    expected = _flat(first)
    again = _import(_write_ledger(first, tmp_path / "台账.xlsx"), "县融媒体中心", capsys)
    assert _flat(again) == expected
    for text in HOSTILE:
        found = Measure.objects.get(inspection=again, text=text)
        assert [getattr(found, f) for f in TEXT_FIELDS] == [text] * len(TEXT_FIELDS)
