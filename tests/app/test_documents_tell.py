"""The bulletin and the report of each demo inspection tell what was done: every
progress entry made in the application, each unfinished item with its fields (the
problems still open among them), the ledger's totals, never a placeholder."""

import io

import docx
import pytest

from tests.app.conftest import Loaded
from zhenggai.accountability.models import Action, FundsRecovered, Regulation, WorkFact
from zhenggai.core.writers.context import clean
from zhenggai.documents import reports
from zhenggai.documents.material import material, problem_totals
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.ledger.models import Measure, ProgressEntry, Unfinished

pytestmark = pytest.mark.django_db


def _stars_of_the_ledger(inspection: Inspection) -> int:
    """The asterisks the ledger's own texts hold: the seeds are published with names
    and dates masked (「**县」, 「****年*月*日」); a document may repeat those, and add
    none of its own."""
    texts = [
        *Problem.objects.filter(inspection=inspection).values_list(
            "title", "description", "summary"
        ),
        *ProgressEntry.objects.filter(measure__inspection=inspection).values_list("text"),
        *Regulation.objects.filter(inspection=inspection).values_list("title"),
        *Measure.objects.filter(inspection=inspection).values_list("text", "progress_text"),
        *Unfinished.objects.filter(inspection=inspection).values_list(
            "problem_text", "situation", "reason", "next_steps"
        ),
    ]
    return sum((t or "").count("*") for row in texts for t in row)


def _text(content: bytes) -> str:
    written = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in written.paragraphs)


@pytest.mark.parametrize("kind", ["bulletin", "report"])
def test_each_demo_document_tells_what_was_done_and_what_remains(loaded: Loaded, kind: str) -> None:
    inspections = list(Inspection.objects.select_related("organisation").order_by("pk"))
    assert len(inspections) == 5
    told = 0
    for inspection in inspections:
        text = _text(reports.write(inspection, reports.writer_for(kind, ".docx")))
        entries = ProgressEntry.objects.filter(measure__inspection=inspection, author__isnull=False)
        for entry in entries:
            assert clean(entry.text.strip().rstrip("。；;")) in text, (inspection.pk, entry.text)
            told += 1
        for item in material(inspection).doc.unfinished:
            for value in (item.problem, item.situation, item.reason, item.next_steps):
                if value:
                    assert clean(value) in text, (inspection.pk, value)
        _registers_are_told(inspection, text)
        problems, completed = problem_totals([inspection.pk])[inspection.pk]
        assert f"{problems}项问题已整改完成{completed}项" in text, inspection.pk
        assert text.count("*") <= _stars_of_the_ledger(inspection), inspection.pk
    assert told > 50  # the demo's 105 entries, some on imported measures


def _registers_are_told(inspection: Inspection, text: str) -> None:
    """Every person held accountable with a 事由, every regulation and every sum the
    registers hold, and the organisation's own words, each in the document."""
    for action in Action.objects.filter(inspection=inspection).exclude(reason=""):
        # a person named with the 事由; people without a name as a bulletin tells them
        said = f"事由：{clean(action.reason)}" if action.person_name else f"因“{action.reason}”"
        assert said in text, (inspection.pk, action.reason)
        assert not action.person_name or clean(action.person_name) in text
    for title in Regulation.objects.filter(inspection=inspection).values_list("title", flat=True):
        assert f"《{clean(title)}》" in text, (inspection.pk, title)
    for funds in FundsRecovered.objects.filter(inspection=inspection):
        assert clean(funds.description) in text, (inspection.pk, funds.description)
    for line in filter(None, inspection.work_text.splitlines()):
        assert text.count(clean(line.strip())) == 1, (inspection.pk, line)


def test_seed_004s_organisation_of_work_is_told_once_in_its_own_words(loaded: Loaded) -> None:
    """The meetings read from its text into the register are not told a second time
    by the registers' sentence; a meeting recorded in the application is."""
    inspection = Inspection.objects.get(organisation__name__contains="晋江")
    assert WorkFact.objects.filter(inspection=inspection).count() == 3
    text = _text(reports.write(inspection, reports.writer_for("bulletin", ".docx")))
    assert text.count("协调会12场") == 1
    assert "调度会12次" not in text
    assert "因“虚开发票套取公款用于支付聚餐费用”的2人给予党内警告处分。" in text
    WorkFact.objects.create(inspection=inspection, kind=WorkFact.Kind.TRAINING, count=2)
    text = _text(reports.write(inspection, reports.writer_for("bulletin", ".docx")))
    assert "整改期间，开展培训2场" in text
