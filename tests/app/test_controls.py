"""Every control a page shows works, and every call that would work has its control:
for every role and every state of a measure, a problem, a plan, and for the
publication and the templates, what the page offers is exactly what the service
accepts (STYLE.md 18). Each call is made with what it needs (a comment, evidence
accepted, the fields of a carry-over) and rolled back."""

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.template.context import Context
from django.test import Client
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.documents import services as templates
from zhenggai.inspections import plan_flow
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger import measure_flow, problem_flow
from zhenggai.ledger.models import Evidence, Extension, Measure, PlanVersion
from zhenggai.orgs.models import Role
from zhenggai.publications import services as publications
from zhenggai.refusals import Refused
from zhenggai.services import ledger as services
from zhenggai.services import plan_measures, plan_review, plans

TODAY = dt.date.today()
GIVEN = MoveInput(
    comment="意见",
    reason="客观原因",
    next_steps="继续推进",
    new_deadline=TODAY + dt.timedelta(days=90),
)


def _people(cast: Cast) -> Iterator[tuple[str, User]]:
    yield "office", cast.office_user
    for role, user in cast.a.users.items():
        yield role.value, user


def _accepts(call: Callable[[], object]) -> bool:
    """Whether the service goes through; the change is rolled back either way."""
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)
    except Refused:
        return False
    return True


def _evidence(measure: Measure, user: User, review: str) -> Evidence:
    return Evidence.objects.create(
        measure=measure,
        name="佐证.pdf",
        path="00/none",
        size=1,
        content_type="application/pdf",
        sha256="0" * 64,
        supplied_by=user,
        effective_date=TODAY,
        review=review,
    )


def _pending_extension(measure: Measure, user: User) -> Extension:
    return Extension.objects.create(
        measure=measure,
        old_deadline=measure.deadline,
        new_deadline=TODAY + dt.timedelta(days=60),
        reason="理由",
        requested_by=user,
    )


def _page(client: Client, user: User, url: str) -> dict[str, Any]:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    context: dict[str, Any] = {}
    for layer in response.context:  # the page's template and those it includes
        assert isinstance(layer, Context)
        context.update(layer.flatten())
    return context


def _measure_calls(user: User, measure: Measure) -> dict[str, Callable[[], object]]:
    calls: dict[str, Callable[[], object]] = {
        f"move:{name}": partial(
            services.measure_move, actor=user, measure_id=measure.pk, move=name, data=GIVEN
        )
        for name in measure_flow.MOVES
    }
    calls["progress_form"] = lambda: services.progress_record(
        actor=user, measure_id=measure.pk, date=TODAY, text="进展"
    )
    calls["evidence_form"] = lambda: services.evidence_add(
        actor=user, measure_id=measure.pk, name="a.txt", content=b"text", effective_date=TODAY
    )
    return calls


def _measure_shown(context: dict[str, Any]) -> set[str]:
    shown = {f"move:{name}" for name, _label in context["moves"]}
    shown |= {key for key in ("progress_form", "evidence_form") if context[key] is not None}
    shown |= {"review" for row in context["evidence"] if row.review_form}
    shown |= {"decide" for row in context["extensions"] if row.decision_form}
    return shown


@pytest.mark.parametrize("kind", [Measure.Type.TIME_BOUND, Measure.Type.LONG_TERM])
@pytest.mark.parametrize("state", list(State))
def test_a_measure_s_page_offers_exactly_what_its_services_accept(
    cast: Cast, client: Client, state: State, kind: str
) -> None:
    measure = cast.a.measure
    Measure.objects.filter(pk=measure.pk).update(state=state, type=kind)
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    _evidence(measure, person, Evidence.Review.ACCEPTED)
    pending = _evidence(measure, person, Evidence.Review.PENDING)
    extension = _pending_extension(measure, person)
    for who, user in _people(cast):
        calls = _measure_calls(user, measure)
        calls["review"] = partial(
            services.evidence_review, actor=user, evidence_id=pending.pk, accept=True, comment=""
        )
        calls["decide"] = partial(
            services.extension_decide,
            actor=user,
            extension_id=extension.pk,
            approve=True,
            comment="",
        )
        accepted = {name for name, call in calls.items() if _accepts(call)}
        shown = _measure_shown(_page(client, user, f"/measures/{measure.pk}/"))
        assert shown == accepted, (who, state, kind)


@pytest.mark.parametrize("state", list(State))
def test_the_extension_form_is_shown_exactly_when_a_request_goes_through(
    cast: Cast, client: Client, state: State
) -> None:
    measure = cast.a.measure
    Measure.objects.filter(pk=measure.pk).update(state=state)
    for who, user in _people(cast):
        accepted = _accepts(
            partial(
                services.extension_request,
                actor=user,
                measure_id=measure.pk,
                new_deadline=TODAY + dt.timedelta(days=90),
                reason="理由",
            )
        )
        shown = _page(client, user, f"/measures/{measure.pk}/")["extension_form"] is not None
        assert shown == accepted, (who, state)


@pytest.mark.parametrize("state", list(State))
def test_a_problem_s_page_offers_exactly_what_its_services_accept(
    cast: Cast, client: Client, state: State
) -> None:
    problem = cast.a.problem
    type(problem).objects.filter(pk=problem.pk).update(state=state)
    Measure.objects.filter(problem=problem).update(state=State.SIGNED_OFF)
    for who, user in _people(cast):
        calls: dict[str, Callable[[], object]] = {
            f"move:{name}": partial(
                services.problem_move, actor=user, problem_id=problem.pk, move=name, data=GIVEN
            )
            for name in problem_flow.MOVES
        }
        calls["follow_form"] = partial(
            services.follow_up_record,
            actor=user,
            problem_id=problem.pk,
            date=TODAY,
            finding="未反弹",
            relapsed=False,
        )
        accepted = {name for name, call in calls.items() if _accepts(call)}
        context = _page(client, user, f"/problems/{problem.pk}/")
        shown = {f"move:{name}" for name, _label in context["moves"]}
        if context["carry_form"] is not None:
            shown.add("move:carry_over")
        if context["follow_form"] is not None:
            shown.add("follow_form")
        assert shown == accepted, (who, state)


@pytest.mark.parametrize("approved", [False, True], ids=["first", "after approval"])
@pytest.mark.parametrize("state", list(PlanState))
def test_the_plan_page_offers_exactly_what_the_plan_services_accept(
    cast: Cast, client: Client, state: PlanState, approved: bool
) -> None:
    """Every move of the plan, the corrections of a problem and the writing of its
    measures: shown to exactly those the services let through, in every state, before
    and after the first approval (an amendment, on a problem a 回头看 reopened)."""
    inspection = cast.a.inspection
    type(inspection).objects.filter(pk=inspection.pk).update(
        plan_state=state, plan_approved=timezone.now() if approved else None
    )
    if approved:
        type(cast.a.problem).objects.filter(pk=cast.a.problem.pk).update(state=State.REOPENED)
    PlanVersion.objects.create(
        inspection=inspection, number=1, submitted_by=cast.a.users[Role.RECTIFICATION_OFFICE]
    )
    for who, user in _people(cast):
        page = _page(client, user, f"/inspections/{inspection.pk}/plan/")["page"]
        accepted = {
            name
            for name in plan_flow.MOVES
            if _accepts(
                partial(
                    plan_review.plan_move,
                    actor=user,
                    inspection_id=inspection.pk,
                    move=name,
                    data=GIVEN,
                )
            )
        }
        editing = _accepts(
            partial(
                plans.problem_retitle, actor=user, problem_id=cast.a.problem.pk, title="理论学习"
            )
        )
        writing = _accepts(
            partial(
                plan_measures.measure_create,
                actor=user,
                problem_id=cast.a.problem.pk,
                data=plan_measures.MeasureInput(text="每季度开展一次专题学习"),
            )
        )
        shown = (page.moves, page.can_edit, page.plan.problems[cast.a.problem.pk].writable)
        assert shown == (accepted, editing, writing), (who, state)


def test_publishing_and_templates_are_offered_exactly_to_those_the_services_accept(
    cast: Cast, client: Client
) -> None:
    inspection = cast.a.inspection
    for who, user in _people(cast):
        ledger = _page(client, user, f"/inspections/{inspection.pk}/")
        publishing = _accepts(partial(publications.publishable, user, inspection.pk))
        assert ledger["may_publish"] == publishing, who
        assigning = partial(
            services.measure_assign,
            actor=user,
            measure_id=cast.a.measure.pk,
            department_id=None,
            person_id=None,
            leader_id=None,
        )
        assert ledger["may_assign"] == _accepts(assigning), who
        page = _page(client, user, f"/inspections/{inspection.pk}/templates/")
        resetting = _accepts(
            partial(templates.template_reset, actor=user, inspection=inspection, kind="bulletin")
        )
        assert page["may_edit"] == resetting, who
