"""A measure's and a problem's page, where people do their daily work: the item,
its parts and its full history, and a form for each thing the signed-in person's
roles allow them to do with it; and the evidence files, served safely.

Reads go through ``access`` and ``ledger.selectors``; each form calls
one service. A refused form comes back with what was typed and the reason at the
top of the page (400 for input that does not parse, 409 for what a service
refuses); one that went through redirects back to the page with a message.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhenggai import access
from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import Item, Move
from zhenggai.inspections.rules import rules_in_force
from zhenggai.ledger import derived, problem_flow, selectors
from zhenggai.ledger.models import Evidence, Extension, Measure
from zhenggai.ledger.uploads import file_response
from zhenggai.orgs.models import Role
from zhenggai.web import history
from zhenggai.web import item_forms as f
from zhenggai.web.pages import SignedInRequest, signed_in
from zhenggai.web.registers import ProblemEntries

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Evidence a browser shows itself; everything else is downloaded.
SHOWN_INLINE = {"application/pdf", "image/png", "image/jpeg"}
# A short name for a type; others are named by their file's suffix (DOCX, XLS …).
KINDS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", "text/plain": "TXT"}


def allowed(
    table: Mapping[str, Move[Item]], item: Item, state: str, roles: set[Role]
) -> list[tuple[str, "StrOrPromise"]]:
    """The moves the roles may make from the state: the buttons a page offers. What
    a move further requires (evidence, a comment) the service checks when pressed."""
    return [
        (name, move.label)
        for name, move in table.items()
        if access.may_move(table, name, item, state, roles)
    ]


# --- A measure: reading ---------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceRow:
    evidence: Evidence
    kind: str
    image: bool
    inline: bool  # opened in the browser (a new tab), not downloaded
    replaces: Evidence | None
    review_form: forms.Form | None

    @property
    def key(self) -> str:
        return f"review-{self.evidence.pk}"


@dataclass(frozen=True)
class ExtensionRow:
    extension: Extension
    decision_form: forms.Form | None

    @property
    def key(self) -> str:
        return f"decide-{self.extension.pk}"


def _kind(evidence: Evidence) -> str:
    suffix = Path(evidence.name).suffix.lstrip(".").upper()
    return KINDS.get(evidence.content_type) or suffix or evidence.content_type


class _Bound:
    """The page's forms: the refused one as it was filled in, the others empty."""

    def __init__(self, rejected: f.Rejected | None) -> None:
        self.rejected = rejected

    def get(self, key: str, empty: Callable[[], forms.Form]) -> forms.Form:
        if self.rejected is not None and self.rejected.key == key and self.rejected.form:
            return self.rejected.form
        return empty()


def _measure_moves(measure: Measure, roles: set[Role]) -> list[tuple[str, "StrOrPromise"]]:
    return allowed(f.MEASURE_MOVES, measure, measure.state, roles)


def _evidence_rows(measure: Measure, roles: set[Role], bound: _Bound) -> list[EvidenceRow]:
    """Every revision, each pending one with its review form for those who review."""
    evidence = list(measure.evidence.all())
    by_id = {e.pk: e for e in evidence}

    def review(e: Evidence) -> forms.Form | None:
        if not access.may_review_evidence(roles, e):
            return None
        return bound.get(f"review-{e.pk}", lambda: f.ReviewForm(prefix=f"review-{e.pk}"))

    return [
        EvidenceRow(
            e,
            _kind(e),
            e.content_type.startswith("image/"),
            e.content_type in SHOWN_INLINE,
            by_id.get(e.replaces_id or 0),
            review(e),
        )
        for e in evidence
    ]


def _extension_rows(measure: Measure, roles: set[Role], bound: _Bound) -> list[ExtensionRow]:
    def decision(x: Extension) -> forms.Form | None:
        if not access.may_decide_extension(roles, x):
            return None
        return bound.get(f"decide-{x.pk}", lambda: f.DecisionForm(prefix=f"decide-{x.pk}"))

    return [ExtensionRow(x, decision(x)) for x in measure.extensions.all()]


def _measure_forms(
    measure: Measure, roles: set[Role], today: dt.date, bound: _Bound
) -> dict[str, Any]:
    """The measure's parts and the forms the roles may use on it (None for the others)."""
    working = access.may_work(roles, measure)
    extensions = _extension_rows(measure, roles, bound)
    pending = any(x.extension.decision == Extension.Decision.PENDING for x in extensions)
    versions = [(e.pk, e.name) for e in measure.evidence.all()]
    moves = _measure_moves(measure, roles)
    progress = bound.get(
        "progress", lambda: f.ProgressForm(prefix="progress", initial={"date": today})
    )
    evidence = bound.get(
        "evidence",
        lambda: f.EvidenceForm(
            prefix="evidence", initial={"effective_date": today}, versions=versions
        ),
    )
    extension = bound.get("extension", lambda: f.ExtensionForm(prefix="extension"))
    return {
        # The figures as pairs: in a template a figure named "items" would hide dict.items.
        "progress": [(p, list(p.figures.items())) for p in measure.progress.all()],
        "evidence": _evidence_rows(measure, roles, bound),
        "extensions": extensions,
        "moves": moves,
        "move_form": bound.get("move", lambda: f.MoveForm(prefix="move")) if moves else None,
        "progress_form": progress if working else None,
        "evidence_form": evidence if working else None,
        "extension_form": extension
        if access.may_request_extension(roles, measure, pending)
        else None,
    }


def _show_measure(
    request: SignedInRequest, found: Measure, roles: set[Role], rejected: f.Rejected | None = None
) -> HttpResponse:
    measure = selectors.measures_in_detail().get(pk=found.pk)
    today = timezone.localdate()
    rules = rules_in_force(measure.inspection)
    context = {
        "measure": measure,
        "line": selectors.Listed.of(measure),
        "warning": derived.warning(measure.deadline, measure.state, today, rules),
        "overdue": derived.is_overdue(
            measure.deadline, measure.state, today, measure.inspection.plan_approved is not None
        ),
        "history": history.told(selectors.measure_history(found)),
        "rejected": rejected,
        "accept": f.ACCEPT,
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        **_measure_forms(measure, roles, today, _Bound(rejected)),
    }
    status = rejected.status if rejected else 200
    return render(request, "web/measure.html", context, status=status)


@signed_in
def measure_page(request: SignedInRequest, pk: int) -> HttpResponse:
    measure, roles = access.measure_for(request.user, pk)
    if request.method == "POST":
        return f.submit(
            request,
            measure,
            f.MEASURE_FORMS,
            lambda rejected: _show_measure(request, measure, roles, rejected),
        )
    return _show_measure(request, measure, roles)


# --- A problem: reading ---------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    line: selectors.Listed
    warning: derived.Warning
    overdue: bool


def _show_problem(
    request: SignedInRequest, found: Problem, roles: set[Role], rejected: f.Rejected | None = None
) -> HttpResponse:
    problem = selectors.problem_in_detail(found)
    today = timezone.localdate()
    rules = rules_in_force(problem.inspection)
    measures = list(problem.measures.all())
    bound = _Bound(rejected)
    moves = allowed(f.PROBLEM_MOVES, problem, problem.state, roles)
    may_carry = access.may_move(problem_flow.MOVES, "carry_over", problem, problem.state, roles)
    may_review = access.may_follow_up(roles, problem)
    bound_plan = problem.inspection.plan_approved is not None
    carry = bound.get("carry", lambda: f.CarryOverForm(prefix="carry"))
    follow = bound.get("follow", lambda: f.FollowUpForm(prefix="follow", initial={"date": today}))
    context = {
        "problem": problem,
        "measures": [
            MeasureRow(
                m,
                selectors.Listed.of(m),
                derived.warning(m.deadline, m.state, today, rules),
                derived.is_overdue(m.deadline, m.state, today, bound_plan),
            )
            for m in measures
        ],
        "history": history.told(selectors.problem_history(found), measures),
        "rejected": rejected,
        "moves": moves,
        "move_form": bound.get("move", lambda: f.MoveForm(prefix="move")) if moves else None,
        "carry_form": carry if may_carry else None,
        "follow_form": follow if may_review else None,
        "registers": ProblemEntries.of(found),
    }
    status = rejected.status if rejected else 200
    return render(request, "web/problem.html", context, status=status)


@signed_in
def problem_page(request: SignedInRequest, pk: int) -> HttpResponse:
    problem, roles = access.problem_for(request.user, pk)
    if request.method == "POST":
        return f.submit(
            request,
            problem,
            f.PROBLEM_FORMS,
            lambda rejected: _show_problem(request, problem, roles, rejected),
        )
    return _show_problem(request, problem, roles)


# --- Evidence files -------------------------------------------------------------------


# signed_in's views are typed to answer HttpResponse; a FileResponse streams instead.
@signed_in
def evidence_file(request: SignedInRequest, pk: int) -> FileResponse:
    """The file, to whoever may see its measure. Images and PDFs open in the browser,
    the rest downloads; the stored type is never second-guessed by the browser, and a
    hostile file is sandboxed: no script, no forms, no access to the site."""
    evidence, _measure, _roles = access.evidence_for(request.user, pk)
    return file_response(evidence, inline=evidence.content_type in SHOWN_INLINE)
