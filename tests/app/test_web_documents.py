"""The ledger page's documents: the bulletin as .docx and the ledger as .xlsx, written
from the ledger at the moment of the click, for those who may read it."""

import datetime as dt
import io
from typing import TYPE_CHECKING

import docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tests.app.conftest import Cast
from zhenggai.accountability.models import Action
from zhenggai.core.readers import parse_bytes
from zhenggai.documents import reports
from zhenggai.documents.material import material, problem_totals
from zhenggai.inspections.models import CaseLead
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Evidence, Measure, ProgressEntry, Unfinished
from zhenggai.orgs.models import Role
from zhenggai.services import accountability, registers

if TYPE_CHECKING:
    # What the test client answers, as django-stubs names it.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def _get(cast: Cast, kind: str, ext: str, role: Role = Role.RECTIFICATION_OFFICE) -> "Response":
    client = Client()
    client.force_login(cast.a.users[role])
    return client.get(f"/inspections/{cast.a.inspection.pk}/documents/{kind}.{ext}")


def test_the_bulletin_docx_holds_the_ledger_as_it_is_now(cast: Cast) -> None:
    cast.a.problem.title = "理论学习流于形式"
    cast.a.problem.save()
    response = _get(cast, "bulletin", "docx", Role.DISCIPLINE)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    parsed = parse_bytes(response.content, "通报.docx")
    titles = [p.title for c in parsed.categories for p in c.problems]
    assert titles == ["理论学习流于形式"]


@pytest.mark.parametrize("kind", ["plan", "report"])
def test_the_plan_and_the_report_are_one_click_away(cast: Cast, kind: str) -> None:
    response = _get(cast, kind, "docx", Role.FIRST_RESPONSIBLE)
    assert response.status_code == 200
    written = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in written.paragraphs)
    assert "县融媒体中心" in written.paragraphs[0].text
    assert ("县融媒体中心措施1" in text) if kind == "report" else written.tables


def test_the_ledger_xlsx_lists_every_measure(cast: Cast) -> None:
    response = _get(cast, "ledger", "xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    texts = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert {"县融媒体中心措施1", "县融媒体中心措施2"} <= texts


@pytest.mark.parametrize(("kind", "ext"), [("plan", "txt"), ("bulletin", "pdf"), ("x", "docx")])
def test_what_is_not_offered_is_not_found(cast: Cast, kind: str, ext: str) -> None:
    assert _get(cast, kind, ext).status_code == 404


def test_another_organisation_gets_404(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.b.users[Role.RECTIFICATION_OFFICE])
    url = f"/inspections/{cast.a.inspection.pk}/documents/bulletin.docx"
    assert client.get(url).status_code == 404


# The problem totals are one aggregate query (documents/material.py problem_totals),
# the same that a round's bulletin asks for all its inspections at once; the progress
# entries one more (documents/ledger_document.py ledger_rows), the unfinished problems
# one, the evidence files' names one, and the registers four (accountability, case
# leads by disposal, work facts, funds); a figure a source stated costs one more.
@pytest.mark.parametrize(
    ("kind", "suffix", "queries"),
    [("ledger", ".xlsx", 18), ("bulletin", ".docx", 19), ("plan", ".docx", 19)],
)
def test_a_document_costs_a_fixed_number_of_queries(
    cast: Cast, kind: str, suffix: str, queries: int
) -> None:
    """Pinned: a Word document reads its organisation's template, a spreadsheet has
    none to read, and nothing is read per measure (people come with the measures)."""
    with CaptureQueriesContext(connection) as captured:
        reports.write(cast.a.inspection, reports.writer_for(kind, suffix))
    assert len(captured.captured_queries) == queries
    reads_template = any("documents_template" in q["sql"] for q in captured.captured_queries)
    assert reads_template == (suffix == ".docx")


def test_a_carried_over_problem_is_unfinished_never_done(cast: Cast) -> None:
    problem = cast.a.problem
    problem.state = State.LONG_TERM
    problem.save()
    assert problem_totals([cast.a.inspection.pk])[cast.a.inspection.pk] == (1, 1)
    Unfinished.objects.create(
        inspection=cast.a.inspection, problem=problem, problem_text=problem.title,
        reason="涉及历史遗留问题", next_steps="逐步清理",
    )  # fmt: skip
    assert problem_totals([cast.a.inspection.pk])[cast.a.inspection.pk] == (1, 0)
    text = _written_text(reports.write(cast.a.inspection, reports.writer_for("bulletin", ".docx")))
    assert "已整改完成0项" in text and "涉及历史遗留问题" in text


def test_an_open_problem_is_listed_with_what_remains(cast: Cast) -> None:
    doc = material(cast.a.inspection).doc
    (item,) = doc.unfinished
    assert item.problem == cast.a.problem.title and item.next_steps is None
    text = _written_text(reports.write(cast.a.inspection, reports.writer_for("report", ".docx")))
    assert "需要进一步整改的事项" in text and f"关于“{cast.a.problem.title}”的问题" in text


def _written_text(content: bytes) -> str:
    written = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in written.paragraphs)


def test_the_registers_are_told_in_the_report_and_the_bulletin(cast: Cast) -> None:
    """An accountability record with its 事由, a case lead's disposal, a regulation by
    name and the meetings held, as the discipline group and the office recorded them."""
    a = cast.a
    discipline = a.users[Role.DISCIPLINE]
    lead = registers.case_lead_create(
        actor=discipline, inspection_id=a.inspection.pk, description="反映违规发放津补贴",
        handed_to="县纪委监委", given=registers.Disposal(CaseLead.Disposal.PRELIMINARY),
    )  # fmt: skip
    registers.case_lead_dispose(
        actor=discipline, case_lead_id=lead.pk,
        given=registers.Disposal(CaseLead.Disposal.CASE_OPENED, outcome="已立案审查"),
    )  # fmt: skip
    fields = accountability.ActionFields(
        kind=Action.Kind.PARTY_SANCTION, grade=Action.Grade.SERIOUS_WARNING, person_name="张某",
        post="副主任", reason="违规发放津补贴", deciding_body="县纪委", case_lead_id=lead.pk,
    )  # fmt: skip
    accountability.action_create(actor=discipline, inspection_id=a.inspection.pk, fields=fields)
    office = a.users[Role.RECTIFICATION_OFFICE]
    registers.work_fact_record(
        actor=office, inspection_id=a.inspection.pk, kind="special_meeting", count=3
    )
    accountability.regulation_record(
        actor=office, inspection_id=a.inspection.pk, title="津补贴发放管理办法"
    )
    for kind in ("report", "bulletin"):
        text = _written_text(reports.write(a.inspection, reports.writer_for(kind, ".docx")))
        assert (
            "张某（副主任）：经县纪委决定给予党纪处分（严重警告）。事由：违规发放津补贴。" in text
        )
        assert "问题线索1件" in text and "拟立案1件" in text, kind
        assert "召开专题会议3次" in text, kind
        assert "建立完善制度1项（《津补贴发放管理办法》）" in text, kind
    report = _written_text(reports.write(a.inspection, reports.writer_for("report", ".docx")))
    assert "主要负责人组织落实情况" in report


def test_a_bulletin_never_takes_a_feedback_s_title(cast: Cast) -> None:
    inspection = cast.a.inspection
    inspection.title = "县委第三巡察组关于巡察县融媒体中心党组的反馈意见"
    inspection.save()
    title = _title(reports.write(inspection, reports.writer_for("bulletin", ".docx")))
    assert "反馈意见" not in title and title.endswith("整改进展情况的通报")
    inspection.title = "中共县融媒体中心党组关于巡察整改进展情况的通报"
    inspection.save()
    title = _title(reports.write(inspection, reports.writer_for("bulletin", ".docx")))
    assert title == "中共县融媒体中心党组关于巡察整改进展情况的通报"


def _title(content: bytes) -> str:
    """The title's lines (it is set on balanced lines, GB/T 9704's 标题)."""
    written = docx.Document(io.BytesIO(content))
    lines = [p.text for p in written.paragraphs if p.style and p.style.style_id == "GBTitle"]
    return "".join(lines).replace("\n", "")


def test_the_ledger_xlsx_fills_progress_state_evidence_and_sign_off(cast: Cast) -> None:
    """整改进展, 完成情况, 佐证材料 and 销号情况 from what was recorded here."""
    a = cast.a
    ProgressEntry.objects.create(
        measure=a.measure,
        date=dt.date(2025, 5, 6),
        text="已召开专题会议",
        author=a.users[Role.RESPONSIBLE_PERSON],
    )
    Evidence.objects.create(
        measure=a.measure, name="会议纪要.pdf", path="x", size=1, content_type="application/pdf",
        sha256="0" * 64, supplied_by=a.users[Role.RESPONSIBLE_PERSON], effective_date=dt.date(2025, 5, 6),
    )  # fmt: skip
    Measure.objects.filter(pk=a.measure.pk).update(state=State.SIGNED_OFF, done_at=timezone.now())
    content = reports.write(a.inspection, reports.writer_for("ledger", ".xlsx"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    (row,) = [r for r in sheet.iter_rows(values_only=True) if "县融媒体中心措施1" in r]
    assert "已召开专题会议。" in row and "会议纪要.pdf" in row and "已销号" in row
    assert any(isinstance(v, str) and v.startswith("已于") and v.endswith("销号") for v in row)
