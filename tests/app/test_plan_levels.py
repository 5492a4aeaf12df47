"""Changing the level of what the plan holds (services/plans.py): a measure that
names a problem becomes a sub-problem, a sub-problem that is a measure becomes one, a
problem nests under another; who may, when, and that a refusal changes nothing."""

import dataclasses
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from tests.app.conftest import Cast
from tests.app.plan_support import (
    OTHER_ROLES,
    events,
    ledger,
    office_of,
    positions,
    progress,
    update_plan,
)
from zhenggai.audit.chain import verify
from zhenggai.inspections.models import Problem
from zhenggai.inspections.states import PlanState
from zhenggai.ledger.models import Approval, Measure
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import plans

pytestmark = pytest.mark.django_db


def _sub(cast: Cast, position: int, title: str, description: str = "") -> Problem:
    return Problem.objects.create(
        inspection=cast.a.inspection,
        category=cast.a.problem.category,
        parent=cast.a.problem,
        position=position,
        title=title,
        description=description,
    )


def test_a_measure_that_names_a_problem_becomes_its_last_sub_problem(cast: Cast) -> None:
    _sub(cast, 1, "学习流于形式")
    gone = cast.a.measure.pk

    sub = plans.measure_to_subproblem(actor=office_of(cast), measure_id=gone)

    assert (sub.parent, sub.category, sub.position) == (
        cast.a.problem,
        cast.a.problem.category,
        2,
    )
    assert sub.title == "县融媒体中心措施1"
    assert not Measure.objects.filter(pk=gone).exists()
    assert positions(cast.a.problem) == [("县融媒体中心措施2", 1)]
    [created] = events("problem.create")
    [turned] = events("measure.to_subproblem")
    assert created.object_id == sub.pk
    assert (turned.object_id, turned.after) == (gone, {"subproblem": sub.pk})
    assert (turned.before or {})["text"] == "县融媒体中心措施1"
    assert verify() is None


def test_a_measure_of_a_sub_problem_does_not_become_one_problems_have_two_levels(
    cast: Cast,
) -> None:
    sub = _sub(cast, 1, "学习流于形式")
    Measure.objects.filter(pk=cast.a.measure.pk).update(problem=sub)
    before = ledger(cast)

    with pytest.raises(Refused, match="子问题下的措施不能再改为子问题：问题只分两级"):
        plans.measure_to_subproblem(actor=office_of(cast), measure_id=cast.a.measure.pk)
    assert ledger(cast) == before


def test_a_measure_with_progress_does_not_become_a_sub_problem(cast: Cast) -> None:
    progress(cast)
    before = ledger(cast)

    with pytest.raises(Refused, match="该措施已有整改进展、佐证材料或审批记录，不能改为子问题"):
        plans.measure_to_subproblem(actor=office_of(cast), measure_id=cast.a.measure.pk)
    assert ledger(cast) == before


def test_a_sub_problem_that_is_a_measure_becomes_one_and_its_measures_follow(
    cast: Cast,
) -> None:
    sub = _sub(cast, 1, "每月召开一次专题学习会", "由办公室负责通知")
    second = _sub(cast, 2, "学习流于形式")
    held = Measure.objects.create(
        inspection=cast.a.inspection,
        category=sub.category,
        problem=sub,
        position=1,
        text="会后形成纪要",
    )

    measure = plans.subproblem_to_measure(actor=office_of(cast), problem_id=sub.pk)

    assert not Problem.objects.filter(pk=sub.pk).exists()
    assert measure.text == "每月召开一次专题学习会\n由办公室负责通知"
    assert positions(cast.a.problem) == [
        ("县融媒体中心措施1", 1),
        ("县融媒体中心措施2", 2),
        ("每月召开一次专题学习会\n由办公室负责通知", 3),
        ("会后形成纪要", 4),
    ]
    assert Measure.objects.get(pk=held.pk).problem == cast.a.problem
    assert Problem.objects.get(pk=second.pk).position == 1
    [created] = events("measure.create")
    [moved] = events("measure.move")
    [turned] = events("problem.to_measure")
    assert (created.object_id, moved.object_id) == (measure.pk, held.pk)
    assert (turned.object_id, turned.after) == (sub.pk, {"measure": measure.pk})
    assert verify() is None


def test_only_a_sub_problem_becomes_a_measure(cast: Cast) -> None:
    before = ledger(cast)

    with pytest.raises(Refused, match="只有子问题可以改为整改措施"):
        plans.subproblem_to_measure(actor=office_of(cast), problem_id=cast.a.problem.pk)
    assert ledger(cast) == before


def test_a_sub_problem_with_decisions_on_record_does_not_become_a_measure(cast: Cast) -> None:
    sub = _sub(cast, 1, "学习流于形式")
    Approval.objects.create(
        kind=Approval.Kind.SIGN_OFF,
        inspection=cast.a.inspection,
        problem=sub,
        approver=cast.a.users[Role.RESPONSIBLE_LEADER],
        decision="sign_off",
    )
    before = ledger(cast)

    with pytest.raises(Refused, match="该问题已有审批或回头看记录，不能合并或改为措施"):
        plans.subproblem_to_measure(actor=office_of(cast), problem_id=sub.pk)
    assert ledger(cast) == before


def _top(cast: Cast, position: int, title: str) -> Problem:
    return Problem.objects.create(
        inspection=cast.a.inspection,
        category=cast.a.problem.category,
        position=position,
        title=title,
    )


def test_a_problem_nests_under_another_with_its_measures(cast: Cast) -> None:
    _sub(cast, 1, "学习流于形式")
    nested = _top(cast, 2, "制度执行不严")
    after = _top(cast, 3, "文山会海")
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(problem=nested, position=1)

    problem = plans.problem_nest(
        actor=office_of(cast), problem_id=nested.pk, parent_id=cast.a.problem.pk
    )

    assert (problem.parent, problem.position) == (cast.a.problem, 2)
    assert Problem.objects.get(pk=after.pk).position == 2
    assert Measure.objects.get(pk=cast.a.other_measure.pk).problem == problem
    [event] = events("problem.nest")
    assert event.object_id == nested.pk and event.actor_id == office_of(cast).pk
    assert ((event.before or {})["parent_id"], (event.after or {})["parent_id"]) == (
        None,
        cast.a.problem.pk,
    )
    assert verify() is None


def test_a_problem_nests_only_under_another_top_level_problem(cast: Cast) -> None:
    sub = _sub(cast, 1, "学习流于形式")
    nested = _top(cast, 2, "制度执行不严")
    before = ledger(cast)

    for parent in (nested, sub):
        with pytest.raises(Refused, match="只能放到另一个一级问题下"):
            plans.problem_nest(actor=office_of(cast), problem_id=nested.pk, parent_id=parent.pk)
    assert ledger(cast) == before


def test_a_problem_with_sub_problems_does_not_nest(cast: Cast) -> None:
    _sub(cast, 1, "学习流于形式")
    other = _top(cast, 2, "制度执行不严")
    before = ledger(cast)

    with pytest.raises(Refused, match="含有子问题的问题不能再放到其他问题下：问题只分两级"):
        plans.problem_nest(actor=office_of(cast), problem_id=cast.a.problem.pk, parent_id=other.pk)
    assert ledger(cast) == before


def test_a_problem_of_another_inspection_is_not_found_to_nest_under(cast: Cast) -> None:
    before = ledger(cast)

    with pytest.raises(NotFound):
        plans.problem_nest(
            actor=office_of(cast), problem_id=cast.a.problem.pk, parent_id=cast.b.problem.pk
        )
    assert ledger(cast) == before


@dataclasses.dataclass
class Levels:
    """A sub-problem and a second top-level problem beside unit a's problem."""

    sub: Problem
    other: Problem


def _levels(cast: Cast) -> Levels:
    return Levels(_sub(cast, 1, "学习流于形式"), _top(cast, 2, "制度执行不严"))


def _level_changes(cast: Cast, levels: Levels, actor: User) -> list[Callable[[], object]]:
    """Each change of level, as ``actor``, on unit a's plan."""
    return [
        lambda: plans.measure_to_subproblem(actor=actor, measure_id=cast.a.measure.pk),
        lambda: plans.subproblem_to_measure(actor=actor, problem_id=levels.sub.pk),
        lambda: plans.problem_nest(
            actor=actor, problem_id=levels.other.pk, parent_id=cast.a.problem.pk
        ),
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_the_rectification_office_changes_levels(cast: Cast, role: Role) -> None:
    levels = _levels(cast)
    before = ledger(cast)

    for change in _level_changes(cast, levels, cast.a.users[role]):
        with pytest.raises(Refused, match="只有整改办公室可以修改整改方案"):
            change()
    assert ledger(cast) == before


def test_another_unit_does_not_find_what_it_would_change_the_level_of(cast: Cast) -> None:
    levels = _levels(cast)
    before = ledger(cast)

    for stranger in [*cast.b.users.values(), cast.outsider]:
        for change in _level_changes(cast, levels, stranger):
            with pytest.raises(NotFound):
                change()
    assert ledger(cast) == before


def test_levels_change_only_while_the_plan_is_drafted(cast: Cast) -> None:
    levels = _levels(cast)
    update_plan(cast, plan_state=PlanState.SUBMITTED)
    before = ledger(cast)

    for change in _level_changes(cast, levels, office_of(cast)):
        with pytest.raises(Refused, match="只有起草中的方案可以修改"):
            change()
    assert ledger(cast) == before
