"""Correcting a draft plan and assigning many measures at once: every edit, who may
make it, when it is refused, and what the audit trail keeps."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.app.conftest import Cast
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Category, Problem, Recommendation
from zhenggai.inspections.states import PlanState
from zhenggai.ledger.models import Approval, Measure
from zhenggai.orgs.models import Organisation, Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import ledger as services
from zhenggai.services import plans as plan_edits
from zhenggai.services.plans import Assignment

pytestmark = pytest.mark.django_db


@dataclass
class Draft:
    """Unit a's plan: 一、p1 (m1, m2; sub-problem s1 with m3), p2 (m4, m5);
    二、p3 (m6)."""

    office: User
    first: Category
    second: Category
    p1: Problem
    s1: Problem
    p2: Problem
    p3: Problem
    m: dict[int, Measure]


def _measure(problem: Problem, position: int, text: str) -> Measure:
    return Measure.objects.create(
        inspection=problem.inspection,
        category=problem.category,
        problem=problem,
        position=position,
        text=text,
    )


@pytest.fixture
def draft(cast: Cast) -> Draft:
    inspection = cast.a.inspection
    Measure.objects.filter(inspection=inspection).delete()
    first = cast.a.problem.category
    second = Category.objects.create(inspection=inspection, position=2, title="作风建设方面")
    p1 = cast.a.problem
    s1 = Problem.objects.create(
        inspection=inspection, category=first, parent=p1, position=1, title="学习流于形式"
    )
    p2 = Problem.objects.create(
        inspection=inspection, category=first, position=2, title="制度执行不严"
    )
    p3 = Problem.objects.create(
        inspection=inspection, category=second, position=1, title="文山会海"
    )
    m = {
        1: _measure(p1, 1, "措施一"),
        2: _measure(p1, 2, "措施二"),
        3: _measure(s1, 1, "措施三"),
        4: _measure(p2, 1, "措施四"),
        5: _measure(p2, 2, "措施五"),
        6: _measure(p3, 1, "措施六"),
    }
    return Draft(cast.a.users[Role.RECTIFICATION_OFFICE], first, second, p1, s1, p2, p3, m)


def _events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


def _values(event: Event) -> tuple[dict[str, Any], dict[str, Any]]:
    """An event's values before and after."""
    return event.before or {}, event.after or {}


def _layout(category: Category) -> list[tuple[str | None, int]]:
    return [
        (p.title, p.position)
        for p in Problem.objects.filter(category=category, parent=None).order_by("position")
    ]


# --- Retitle --------------------------------------------------------------------------


def test_the_office_retitles_a_problem_and_the_trail_keeps_the_old_title(draft: Draft) -> None:
    plan_edits.problem_retitle(
        actor=draft.office, problem_id=draft.p1.pk, title="  理论学习不够深入 "
    )

    draft.p1.refresh_from_db()
    assert draft.p1.title == "理论学习不够深入"
    [event] = _events("problem.retitle")
    assert event.object_id == draft.p1.pk and event.actor_id == draft.office.pk
    before, after = _values(event)
    assert (before["title"], after["title"]) == ("理论学习不深入", "理论学习不够深入")
    assert verify() is None


def test_an_empty_title_is_refused(draft: Draft) -> None:
    with pytest.raises(Refused, match="请填写问题标题"):
        plan_edits.problem_retitle(actor=draft.office, problem_id=draft.p1.pk, title="  ")
    draft.p1.refresh_from_db()
    assert draft.p1.title == "理论学习不深入"


@pytest.mark.parametrize("state", [PlanState.SUBMITTED, PlanState.APPROVED])
def test_a_plan_past_its_draft_is_not_edited(draft: Draft, state: str) -> None:
    draft.p1.inspection.plan_state = state
    draft.p1.inspection.save()

    with pytest.raises(Refused, match="只有起草中的方案可以修改"):
        plan_edits.problem_retitle(actor=draft.office, problem_id=draft.p1.pk, title="新标题")
    with pytest.raises(Refused, match="只有起草中的方案可以修改"):
        plan_edits.problem_merge(actor=draft.office, problem_id=draft.p2.pk, into_id=draft.p1.pk)
    assert Problem.objects.filter(pk=draft.p2.pk).exists()
    assert not Event.objects.filter(action__startswith="problem.").exists()


@pytest.mark.parametrize(
    "role",
    [Role.RESPONSIBLE_PERSON, Role.RESPONSIBLE_LEADER, Role.FIRST_RESPONSIBLE, Role.DISCIPLINE],
)
def test_only_the_rectification_office_edits_the_plan(cast: Cast, draft: Draft, role: Role) -> None:
    with pytest.raises(Refused, match="只有整改办公室可以修改整改方案"):
        plan_edits.problem_retitle(actor=cast.a.users[role], problem_id=draft.p1.pk, title="新")
    with pytest.raises(Refused, match="只有整改办公室可以修改整改方案"):
        plan_edits.problem_split(
            actor=cast.a.users[role],
            problem_id=draft.p1.pk,
            measure_ids=[draft.m[1].pk],
            title="新",
        )


def test_the_inspection_office_reads_but_does_not_edit(cast: Cast, draft: Draft) -> None:
    with pytest.raises(Refused, match="只有整改办公室"):
        plan_edits.problem_retitle(actor=cast.office_user, problem_id=draft.p1.pk, title="新")


def test_another_organisation_does_not_find_the_problem(cast: Cast, draft: Draft) -> None:
    for stranger in (cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        with pytest.raises(NotFound):
            plan_edits.problem_retitle(actor=stranger, problem_id=draft.p1.pk, title="新")
        with pytest.raises(NotFound):
            plan_edits.problem_merge(actor=stranger, problem_id=draft.p2.pk, into_id=draft.p1.pk)
    draft.p1.refresh_from_db()
    assert draft.p1.title == "理论学习不深入"


# --- Merge ----------------------------------------------------------------------------


def test_merging_moves_the_measures_and_removes_the_emptied_problem(draft: Draft) -> None:
    advice = Recommendation.objects.create(
        inspection=draft.p2.inspection, problem=draft.p2, text="建议严格执行制度"
    )
    p2 = draft.p2.pk

    into = plan_edits.problem_merge(actor=draft.office, problem_id=p2, into_id=draft.p1.pk)

    assert into == draft.p1
    assert not Problem.objects.filter(pk=p2).exists()
    assert list(draft.p1.measures.order_by("position").values_list("text", "position")) == [
        ("措施一", 1),
        ("措施二", 2),
        ("措施四", 3),
        ("措施五", 4),
    ]
    advice.refresh_from_db()
    assert advice.problem == draft.p1
    [merge] = _events("problem.merge")
    assert merge.object_id == p2
    assert merge.after == {
        "into": draft.p1.pk,
        "measures": [draft.m[4].pk, draft.m[5].pk],
        "subproblems": [],
    }
    assert [e.object_id for e in _events("measure.move")] == [draft.m[4].pk, draft.m[5].pk]
    assert verify() is None


def test_merging_across_categories_takes_the_sub_problems_along(draft: Draft) -> None:
    plan_edits.problem_merge(actor=draft.office, problem_id=draft.p1.pk, into_id=draft.p3.pk)

    draft.s1.refresh_from_db()
    assert (draft.s1.parent, draft.s1.category) == (draft.p3, draft.second)
    assert Measure.objects.get(pk=draft.m[3].pk).category == draft.second
    assert set(draft.p3.measures.values_list("text", flat=True)) == {"措施六", "措施一", "措施二"}
    assert _layout(draft.first) == [("制度执行不严", 1)]


def test_merging_a_sub_problem_into_its_parent(draft: Draft) -> None:
    plan_edits.problem_merge(actor=draft.office, problem_id=draft.s1.pk, into_id=draft.p1.pk)

    assert not Problem.objects.filter(pk=draft.s1.pk).exists()
    assert Measure.objects.get(pk=draft.m[3].pk).problem == draft.p1


def test_a_problem_is_not_merged_into_itself_or_its_own_sub_problem(draft: Draft) -> None:
    with pytest.raises(Refused, match="不能把问题并入它自己"):
        plan_edits.problem_merge(actor=draft.office, problem_id=draft.p1.pk, into_id=draft.p1.pk)
    with pytest.raises(Refused, match="它自己的子问题"):
        plan_edits.problem_merge(actor=draft.office, problem_id=draft.p1.pk, into_id=draft.s1.pk)
    assert Problem.objects.count() == 5


def test_a_problem_with_sub_problems_goes_only_into_a_top_level_problem(draft: Draft) -> None:
    other_sub = Problem.objects.create(
        inspection=draft.p3.inspection,
        category=draft.second,
        parent=draft.p3,
        position=1,
        title="子",
    )
    with pytest.raises(Refused, match="只能并入一级问题"):
        plan_edits.problem_merge(actor=draft.office, problem_id=draft.p1.pk, into_id=other_sub.pk)
    assert Problem.objects.filter(pk=draft.p1.pk).exists()


def test_a_problem_with_decisions_on_record_is_not_merged(draft: Draft) -> None:
    Approval.objects.create(
        kind=Approval.Kind.SIGN_OFF,
        inspection=draft.p2.inspection,
        problem=draft.p2,
        approver=draft.office,
        decision="sign_off",
    )
    with pytest.raises(Refused, match="已有审批或回头看记录"):
        plan_edits.problem_merge(actor=draft.office, problem_id=draft.p2.pk, into_id=draft.p1.pk)
    assert draft.p2.measures.count() == 2


def test_a_problem_of_another_inspection_is_not_found_to_merge_into(
    cast: Cast, draft: Draft
) -> None:
    with pytest.raises(NotFound):
        plan_edits.problem_merge(
            actor=draft.office, problem_id=draft.p2.pk, into_id=cast.b.problem.pk
        )
    assert draft.p2.measures.count() == 2


# --- Split ----------------------------------------------------------------------------


def test_splitting_puts_a_new_problem_right_after_with_the_chosen_measures(draft: Draft) -> None:
    new = plan_edits.problem_split(
        actor=draft.office,
        problem_id=draft.p1.pk,
        measure_ids=[draft.m[2].pk],
        title="学习制度不健全",
    )

    assert _layout(draft.first) == [
        ("理论学习不深入", 1),
        ("学习制度不健全", 2),
        ("制度执行不严", 3),
    ]
    assert list(new.measures.values_list("text", "position")) == [("措施二", 1)]
    assert list(draft.p1.measures.values_list("text", "position")) == [("措施一", 1)]
    assert draft.p1.subproblems.get() == draft.s1  # sub-problems stay
    [split] = _events("problem.split")
    assert split.before == {"measures": [draft.m[1].pk, draft.m[2].pk]}
    assert split.after == {"measures": [draft.m[1].pk], "split_off": new.pk}
    [created] = _events("problem.create")
    assert created.object_id == new.pk and _values(created)[1]["title"] == "学习制度不健全"
    assert verify() is None


def test_a_split_needs_measures_of_this_problem_and_a_title(draft: Draft) -> None:
    with pytest.raises(Refused, match="请勾选要拆分出去的整改措施"):
        plan_edits.problem_split(
            actor=draft.office, problem_id=draft.p1.pk, measure_ids=[], title="新"
        )
    with pytest.raises(Refused, match="所选整改措施不属于该问题"):
        plan_edits.problem_split(
            actor=draft.office, problem_id=draft.p1.pk, measure_ids=[draft.m[4].pk], title="新"
        )
    with pytest.raises(Refused, match="请填写问题标题"):
        plan_edits.problem_split(
            actor=draft.office, problem_id=draft.p1.pk, measure_ids=[draft.m[1].pk], title=""
        )
    assert Problem.objects.count() == 5
    assert _layout(draft.first) == [("理论学习不深入", 1), ("制度执行不严", 2)]


# --- Relocate -------------------------------------------------------------------------


def test_relocating_to_another_category_renumbers_both_and_takes_the_family(draft: Draft) -> None:
    plan_edits.problem_relocate(
        actor=draft.office, problem_id=draft.p1.pk, category_id=draft.second.pk, position=1
    )

    assert _layout(draft.second) == [("理论学习不深入", 1), ("文山会海", 2)]
    assert _layout(draft.first) == [("制度执行不严", 1)]
    assert Problem.objects.get(pk=draft.s1.pk).category == draft.second
    moved = Measure.objects.filter(pk__in=[draft.m[1].pk, draft.m[2].pk, draft.m[3].pk])
    assert {m.category_id for m in moved} == {draft.second.pk}
    [event] = _events("problem.relocate")
    before, after = _values(event)
    assert before["category_id"] == draft.first.pk
    assert (after["category_id"], after["position"]) == (draft.second.pk, 1)


def test_relocating_within_a_category_reorders_it(draft: Draft) -> None:
    plan_edits.problem_relocate(
        actor=draft.office, problem_id=draft.p1.pk, category_id=draft.first.pk, position=99
    )
    assert _layout(draft.first) == [("制度执行不严", 1), ("理论学习不深入", 2)]


def test_a_relocated_sub_problem_becomes_a_problem_of_its_own(draft: Draft) -> None:
    plan_edits.problem_relocate(
        actor=draft.office, problem_id=draft.s1.pk, category_id=draft.first.pk, position=2
    )
    assert _layout(draft.first) == [("理论学习不深入", 1), ("学习流于形式", 2), ("制度执行不严", 3)]
    assert not draft.p1.subproblems.exists()


def test_relocating_checks_the_category_and_the_position(cast: Cast, draft: Draft) -> None:
    elsewhere = cast.b.problem.category
    with pytest.raises(NotFound):
        plan_edits.problem_relocate(
            actor=draft.office, problem_id=draft.p1.pk, category_id=elsewhere.pk, position=1
        )
    with pytest.raises(Refused, match="位置应为正整数"):
        plan_edits.problem_relocate(
            actor=draft.office, problem_id=draft.p1.pk, category_id=draft.second.pk, position=0
        )
    assert Problem.objects.get(pk=draft.p1.pk).category == draft.first
    assert not _events("problem.relocate")


# --- Assigning many measures at once ----------------------------------------------------


def test_many_measures_are_assigned_at_once_each_in_the_trail(cast: Cast, draft: Draft) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    leader = cast.a.users[Role.RESPONSIBLE_LEADER]
    already = dt.date(2030, 1, 31)
    Measure.objects.filter(pk=draft.m[2].pk).update(deadline=already, original_deadline=already)
    chosen = [draft.m[1].pk, draft.m[2].pk, draft.m[4].pk]
    deadline = dt.date(2030, 6, 30)

    done = plan_edits.measures_assign(
        actor=draft.office,
        inspection_id=cast.a.inspection.pk,
        measure_ids=chosen,
        assignment=Assignment(
            department_id=cast.a.department.pk,
            person_id=person.pk,
            leader_id=leader.pk,
            deadline=deadline,
            weight=3,
        ),
    )

    assert (done.measures, done.deadlines) == (3, 2)
    rows = {m.pk: m for m in Measure.objects.filter(pk__in=chosen)}
    assert {(m.department_id, m.person_id, m.leader_id, m.weight) for m in rows.values()} == {
        (cast.a.department.pk, person.pk, leader.pk, 3)
    }
    assert rows[draft.m[1].pk].deadline == deadline
    assert rows[draft.m[2].pk].deadline == already  # a set deadline changes only by extension
    assert Measure.objects.get(pk=draft.m[5].pk).department_id is None  # not ticked
    assert {e.object_id for e in _events("measure.assign")} == set(chosen)


def test_an_empty_field_leaves_that_part_as_it_is(cast: Cast, draft: Draft) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    Measure.objects.filter(pk=draft.m[1].pk).update(department=cast.a.department)

    plan_edits.measures_assign(
        actor=draft.office,
        inspection_id=cast.a.inspection.pk,
        measure_ids=[draft.m[1].pk],
        assignment=Assignment(person_id=person.pk),
    )

    measure = Measure.objects.get(pk=draft.m[1].pk)
    assert (measure.department_id, measure.person_id) == (cast.a.department.pk, person.pk)


def test_one_refusal_changes_none_and_names_the_measure(cast: Cast, draft: Draft) -> None:
    foreign = Organisation.objects.filter(parent=cast.b.org).first()
    assert foreign is not None

    with pytest.raises(Refused, match="措施「措施一」：责任部门不属于本单位"):
        plan_edits.measures_assign(
            actor=draft.office,
            inspection_id=cast.a.inspection.pk,
            measure_ids=[draft.m[1].pk, draft.m[2].pk],
            assignment=Assignment(department_id=foreign.pk),
        )
    assert not Measure.objects.filter(
        inspection=cast.a.inspection, department__isnull=False
    ).exists()
    assert not _events("measure.assign")


def test_a_refusal_late_in_the_batch_undoes_the_measures_before_it(
    cast: Cast, draft: Draft, monkeypatch: pytest.MonkeyPatch
) -> None:
    """measure_assign refuses the same for every measure of a batch today; a refusal
    that only one measure meets (the third here) must still leave all unchanged."""
    real = services.measure_assign

    def refusing_the_third(**kwargs: Any) -> Measure:
        if kwargs["measure_id"] == draft.m[4].pk:
            raise Refused("该措施已被他人修改")
        return real(**kwargs)

    monkeypatch.setattr("zhenggai.services.plans.measure_assign", refusing_the_third)
    with pytest.raises(Refused, match="措施「措施四」：该措施已被他人修改"):
        plan_edits.measures_assign(
            actor=draft.office,
            inspection_id=cast.a.inspection.pk,
            measure_ids=[draft.m[1].pk, draft.m[2].pk, draft.m[4].pk],
            assignment=Assignment(weight=9),
        )
    assert set(Measure.objects.values_list("weight", flat=True)) == {1}
    assert not _events("measure.assign")


def test_a_person_from_outside_the_unit_refuses_the_whole_batch(cast: Cast, draft: Draft) -> None:
    with pytest.raises(Refused, match="责任人不是本单位人员"):
        plan_edits.measures_assign(
            actor=draft.office,
            inspection_id=cast.a.inspection.pk,
            measure_ids=[draft.m[1].pk, draft.m[6].pk],
            assignment=Assignment(person_id=cast.b.users[Role.RESPONSIBLE_PERSON].pk, weight=5),
        )
    assert set(
        Measure.objects.filter(inspection=cast.a.inspection).values_list("weight", flat=True)
    ) == {1}


def test_assigning_needs_ticked_measures_of_this_inspection_and_something_to_set(
    cast: Cast, draft: Draft
) -> None:
    inspection = cast.a.inspection.pk
    with pytest.raises(Refused, match="请勾选要分配的整改措施"):
        plan_edits.measures_assign(
            actor=draft.office,
            inspection_id=inspection,
            measure_ids=[],
            assignment=Assignment(weight=2),
        )
    with pytest.raises(Refused, match="请至少填写一项"):
        plan_edits.measures_assign(
            actor=draft.office,
            inspection_id=inspection,
            measure_ids=[draft.m[1].pk],
            assignment=Assignment(),
        )
    with pytest.raises(Refused, match="不属于该巡察"):
        plan_edits.measures_assign(
            actor=draft.office,
            inspection_id=inspection,
            measure_ids=[cast.b.measure.pk],
            assignment=Assignment(weight=2),
        )
    assert cast.b.measure.weight == Measure.objects.get(pk=cast.b.measure.pk).weight == 1


def test_assigning_is_the_rectification_offices_and_hidden_from_others(
    cast: Cast, draft: Draft
) -> None:
    def assign(actor: User) -> None:
        plan_edits.measures_assign(
            actor=actor,
            inspection_id=cast.a.inspection.pk,
            measure_ids=[draft.m[1].pk],
            assignment=Assignment(weight=2),
        )

    with pytest.raises(Refused, match="只有整改办公室可以分配整改措施"):
        assign(cast.a.users[Role.RESPONSIBLE_PERSON])
    for stranger in (cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        with pytest.raises(NotFound):
            assign(stranger)
    assert Measure.objects.get(pk=draft.m[1].pk).weight == 1
