"""Each seed, imported and written out as the bulletin (.docx and .txt) from its ledger,
parses back to that ledger: the same categories, problems and number of measures, the
same accountability and contact block, and totals that are the ledger's own counts."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import noted_on_import
from tests.support import SAMPLES, as_printed, outline
from zhenggai.core.model import Document
from zhenggai.core.readers import parse_bytes, parse_file
from zhenggai.documents import reports
from zhenggai.documents.ledger_document import ledger_document, ledger_rows
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.services.importing import import_document

pytestmark = pytest.mark.django_db


@dataclass
class RoundTrip:
    inspection: Inspection
    ledger: Document  # the inspection as the writers see it
    again: Document  # the written bulletin, parsed

    def __repr__(self) -> str:  # a failure names the seed, not two whole documents
        return f"RoundTrip({self.inspection.organisation.name})"


def _import(sample: Path) -> Inspection:
    document = parse_file(sample)
    result = import_document(
        document=document,
        content=sample.read_bytes(),
        source_name=sample.name,
        org_name=document.org or "某单位",
    )
    return result.inspection


def _work_done(inspection: Inspection) -> None:
    """Move some problems on, as the workflow would have, so that 已整改完成 has something
    to count and the imported figure cannot pass for it: of the top-level problems the
    first is signed off, the second carried on as long-term work (both done), the third
    awaits sign-off (not yet done); a sub-problem signed off under a problem that is not
    done counts for nothing, since totals count top-level problems. Set on the rows
    directly: what is tested here is the document, not the workflow's rules."""
    top = list(Problem.objects.filter(inspection=inspection, parent=None).order_by("pk"))
    assert len(top) >= 3, "every seed has three problems or more"
    for problem, state in zip(
        top, (State.SIGNED_OFF, State.LONG_TERM, State.AWAITING_SIGN_OFF), strict=False
    ):
        Problem.objects.filter(pk=problem.pk).update(state=state)
    sub = Problem.objects.filter(inspection=inspection, parent__in=top[2:]).first()
    if sub is not None:
        Problem.objects.filter(pk=sub.pk).update(state=State.SIGNED_OFF)


@pytest.fixture(params=[".docx", ".txt"])
def suffix(request: pytest.FixtureRequest) -> str:
    suffix: str = request.param
    return suffix


@pytest.fixture(params=SAMPLES, ids=[s.stem[:3] for s in SAMPLES])
def trip(request: pytest.FixtureRequest, suffix: str) -> RoundTrip:
    inspection = _import(request.param)
    _work_done(inspection)
    data = reports.write(inspection, reports.writer_for("bulletin", suffix))
    return RoundTrip(
        inspection,
        ledger_document(ledger_rows(inspection)),
        parse_bytes(data, f"通报{suffix}"),
    )


def _categories(doc: Document) -> list[dict[str, Any]]:
    """Category titles; problem titles with their sub-problems; measures counted."""
    categories: list[dict[str, Any]] = outline(doc)["categories"]
    return categories


def test_the_categories_problems_and_measures_are_the_ledgers(trip: RoundTrip) -> None:
    # The .docx prints Chinese punctuation full-width; the .txt as the ledger has it.
    assert as_printed(_categories(trip.again)) == as_printed(_categories(trip.ledger))
    assert trip.again.problems(), "a ledger with problems wrote a bulletin without any"


def test_it_parses_back_without_warnings_of_its_own(trip: RoundTrip) -> None:
    assert [w.why for w in trip.again.warnings] == noted_on_import(trip.inspection.pk)


def test_accountability_and_the_contact_block_are_the_ledgers(trip: RoundTrip) -> None:
    assert trip.again.accountability == trip.ledger.accountability
    assert trip.again.contact == trip.ledger.contact


def test_the_stated_totals_are_what_the_ledger_counts(trip: RoundTrip) -> None:
    """反馈的N大类M项问题已整改完成K项: N categories, M top-level problems, K of them done
    (signed off or long-term), whatever the imported document stated. Feedback that
    listed its problems under no category (002) states no N: the parser counts only
    titled categories too."""
    stated = trip.again.stated_totals
    titled = sum(1 for c in trip.ledger.categories if c.title is not None) or None
    counted = (titled, len(trip.ledger.problems()), 2)
    assert (stated.categories, stated.problems, stated.completed) == counted
