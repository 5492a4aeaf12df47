"""Every (state, move, role) of each workflow: allowed moves succeed and leave their
audit row; every other one is refused with a reason and changes nothing.

The expected tables are written out here, apart from the workflow modules, so a
change to who may do what has to be made in both places on purpose.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import models

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger.models import Approval, Evidence, Measure, PlanVersion
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import ledger as services
from zhenggai.services import plan_review

S, P, R = State, PlanState, Role
OUTSIDER = "outsider"
ACTORS: list[Role | str] = [*Role, OUTSIDER]
DATA = MoveInput(
    comment="意见",
    reason="资金未到位",
    next_steps="继续推进",
    new_deadline=dt.date.today() + dt.timedelta(days=90),
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Expect:
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]


def _e(sources: set[str], target: str, roles: set[Role]) -> Expect:
    return Expect(frozenset(sources), target, frozenset(roles))


WORKERS = {R.RESPONSIBLE_PERSON, R.RECTIFICATION_OFFICE}
SIGNERS = {R.RESPONSIBLE_LEADER, R.FIRST_RESPONSIBLE}

MEASURE = {
    "start": _e({S.NOT_STARTED, S.REOPENED}, S.IN_PROGRESS, WORKERS),
    "submit": _e({S.IN_PROGRESS, S.REOPENED}, S.AWAITING_SIGN_OFF, WORKERS),
    "return": _e({S.AWAITING_SIGN_OFF}, S.IN_PROGRESS, SIGNERS | {R.RECTIFICATION_OFFICE}),
    "sign_off": _e({S.AWAITING_SIGN_OFF}, S.SIGNED_OFF, SIGNERS),
    "continue_long_term": _e({S.AWAITING_SIGN_OFF}, S.LONG_TERM, SIGNERS),
    "reopen": _e({S.SIGNED_OFF, S.LONG_TERM}, S.REOPENED, {R.INSPECTION_OFFICE}),
}
PROBLEM = {
    "start": _e({S.NOT_STARTED, S.REOPENED}, S.IN_PROGRESS, {R.RECTIFICATION_OFFICE}),
    "submit": _e({S.IN_PROGRESS, S.REOPENED}, S.AWAITING_SIGN_OFF, {R.RECTIFICATION_OFFICE}),
    "return": _e({S.AWAITING_SIGN_OFF}, S.IN_PROGRESS, SIGNERS),
    "sign_off": _e({S.AWAITING_SIGN_OFF}, S.SIGNED_OFF, SIGNERS),
    "carry_over": _e(
        {S.NOT_STARTED, S.IN_PROGRESS, S.REOPENED},
        S.LONG_TERM,
        {R.RECTIFICATION_OFFICE, R.FIRST_RESPONSIBLE},
    ),
    "reopen": _e({S.SIGNED_OFF, S.LONG_TERM}, S.REOPENED, {R.INSPECTION_OFFICE}),
}
PLAN = {
    "submit": _e({P.DRAFT, P.RETURNED, P.AMENDING}, P.SUBMITTED, {R.RECTIFICATION_OFFICE}),
    "approve": _e({P.SUBMITTED}, P.OFFICE_REVIEW, {R.FIRST_RESPONSIBLE}),
    "return": _e({P.SUBMITTED}, P.RETURNED, {R.FIRST_RESPONSIBLE}),
    "accept": _e({P.OFFICE_REVIEW}, P.APPROVED, {R.INSPECTION_OFFICE}),
    "send_back": _e({P.OFFICE_REVIEW}, P.RETURNED, {R.INSPECTION_OFFICE}),
}
# Decisions that must leave an approval record of their own.
DECISIONS = {
    "sign_off",
    "return",
    "reopen",
    "continue_long_term",
    "carry_over",
    "approve",
    "accept",
    "send_back",
}


def _actor(cast: Cast, who: Role | str) -> User:
    if who == OUTSIDER:
        return cast.outsider
    if who == R.INSPECTION_OFFICE:
        return cast.office_user
    return cast.a.users[Role(who)]


def _ready_measure(cast: Cast) -> Measure:
    """The person's and leader's own measure, with accepted evidence and long-term type,
    so that only state and role decide."""
    measure = cast.a.measure
    Measure.objects.filter(pk=measure.pk).update(type=Measure.Type.LONG_TERM)
    Evidence.objects.create(
        measure=measure,
        name="会议记录.txt",
        path="x/y",
        size=1,
        content_type="text/plain",
        sha256="0" * 64,
        supplied_by=cast.a.users[R.RESPONSIBLE_PERSON],
        effective_date=dt.date.today(),
        review=Evidence.Review.ACCEPTED,
    )
    return measure


def _ready_problem(cast: Cast) -> Problem:
    Measure.objects.filter(problem=cast.a.problem).update(state=S.SIGNED_OFF)
    return cast.a.problem


def _walk(
    cast: Cast,
    obj: models.Model,
    field: str,
    state: str,
    name: str,
    expect: Expect,
    perform: Callable[[User], object],
) -> None:
    model = type(obj)
    for who in ACTORS:
        model._default_manager.filter(pk=obj.pk).update(**{field: state})
        events, approvals = Event.objects.count(), Approval.objects.count()
        allowed = state in expect.sources and who in expect.roles
        if allowed:
            perform(_actor(cast, who))
            assert getattr(model._default_manager.get(pk=obj.pk), field) == expect.target, who
            event = Event.objects.order_by("-seq").first()
            assert event is not None and event.action.endswith(f".{name}")
            assert event.actor_id == _actor(cast, who).pk
            assert event.before is not None and event.before[field] == state
            assert Approval.objects.count() == approvals + (name in DECISIONS)
        else:
            with pytest.raises((Refused, NotFound)) as refusal:
                perform(_actor(cast, who))
            assert CJK.search(str(refusal.value)), (who, str(refusal.value))
            assert getattr(model._default_manager.get(pk=obj.pk), field) == state, who
            assert (Event.objects.count(), Approval.objects.count()) == (events, approvals)


@pytest.mark.parametrize("name", MEASURE)
@pytest.mark.parametrize("state", S.values)
def test_measure_moves(cast: Cast, state: str, name: str) -> None:
    measure = _ready_measure(cast)
    _walk(
        cast,
        measure,
        "state",
        state,
        name,
        MEASURE[name],
        lambda user: services.measure_move(actor=user, measure_id=measure.pk, move=name, data=DATA),
    )


@pytest.mark.parametrize("name", PROBLEM)
@pytest.mark.parametrize("state", S.values)
def test_problem_moves(cast: Cast, state: str, name: str) -> None:
    problem = _ready_problem(cast)
    _walk(
        cast,
        problem,
        "state",
        state,
        name,
        PROBLEM[name],
        lambda user: services.problem_move(actor=user, problem_id=problem.pk, move=name, data=DATA),
    )


@pytest.mark.parametrize("name", PLAN)
@pytest.mark.parametrize("state", P.values)
def test_plan_moves(cast: Cast, state: str, name: str) -> None:
    inspection: Inspection = cast.a.inspection
    if name != "submit":  # a decision decides the version submitted last
        PlanVersion.objects.create(
            inspection=inspection, number=1, submitted_by=cast.a.users[R.RECTIFICATION_OFFICE]
        )
    _walk(
        cast,
        inspection,
        "plan_state",
        state,
        name,
        PLAN[name],
        lambda user: plan_review.plan_move(
            actor=user, inspection_id=inspection.pk, move=name, data=DATA
        ),
    )


def test_the_tables_cover_every_move_of_the_modules() -> None:
    from zhenggai.inspections import plan_flow
    from zhenggai.ledger import measure_flow, problem_flow

    for table, module in ((MEASURE, measure_flow), (PROBLEM, problem_flow), (PLAN, plan_flow)):
        assert set(table) == set(module.MOVES)
        for name, move in module.MOVES.items():
            assert (move.sources, move.target, move.roles) == (
                table[name].sources,
                table[name].target,
                table[name].roles,
            )


def test_an_unknown_move_is_refused(cast: Cast) -> None:
    with pytest.raises(Refused, match="未知"):
        services.measure_move(
            actor=cast.a.users[R.RESPONSIBLE_PERSON],
            measure_id=cast.a.measure.pk,
            move="delete",
            data=DATA,
        )


def test_a_person_cannot_work_on_another_departments_measure(cast: Cast) -> None:
    with pytest.raises(Refused, match="只有"):
        services.measure_move(
            actor=cast.a.users[R.RESPONSIBLE_PERSON],
            measure_id=cast.a.other_measure.pk,
            move="start",
            data=DATA,
        )
    assert Measure.objects.get(pk=cast.a.other_measure.pk).state == S.NOT_STARTED


def test_a_sibling_organisation_cannot_move_anything(cast: Cast) -> None:
    for user in cast.b.users.values():
        with pytest.raises(NotFound):
            services.measure_move(actor=user, measure_id=cast.a.measure.pk, move="start", data=DATA)
        with pytest.raises(NotFound):
            plan_review.plan_move(
                actor=user, inspection_id=cast.a.inspection.pk, move="submit", data=DATA
            )
