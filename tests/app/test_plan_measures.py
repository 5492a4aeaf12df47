"""Writing the plan's measures under each problem (services/plan_measures.py) and
changing their level (services/plans.py): what the editor accepts, who may write
and when, what each write leaves in the audit trail, and that a refusal changes
nothing."""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger import limits
from zhenggai.ledger.models import Approval, Measure
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import ledger as services
from zhenggai.services import plans
from zhenggai.services.plan_measures import (
    MeasureInput,
    measure_create,
    measure_delete,
    measure_edit,
    measure_reorder,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OTHER_ROLES = [
    Role.RESPONSIBLE_PERSON,
    Role.RESPONSIBLE_LEADER,
    Role.FIRST_RESPONSIBLE,
    Role.DISCIPLINE,
]


def _today() -> dt.date:
    return timezone.localdate()


def _days(n: int) -> dt.date:
    return _today() + dt.timedelta(days=n)


def _office(cast: Cast) -> User:
    return cast.a.users[Role.RECTIFICATION_OFFICE]


def _complete(cast: Cast, **changes: Any) -> MeasureInput:
    """A measure the editor accepts, with ``changes``."""
    measure = MeasureInput(
        text="6月底前修订《理论学习中心组学习制度》",
        target="学习制度健全",
        type=Measure.Type.TIME_BOUND,
        leader_id=cast.a.users[Role.RESPONSIBLE_LEADER].pk,
        department_id=cast.a.department.pk,
        person_id=cast.a.users[Role.RESPONSIBLE_PERSON].pk,
        deadline=_days(60),
        weight=2,
        expected_evidence="修订后的制度文件",
    )
    return dataclasses.replace(measure, **changes)


def _plan(cast: Cast, **fields: Any) -> None:
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(**fields)


def _ledger(cast: Cast) -> dict[str, Any]:
    """Everything a write of the plan could change: to compare before and after a refusal."""
    inspection = Inspection.objects.get(pk=cast.a.inspection.pk)
    return {
        "plan": (inspection.plan_state, inspection.plan_approved),
        "measures": list(Measure.objects.filter(inspection=inspection).order_by("pk").values()),
        "problems": list(Problem.objects.filter(inspection=inspection).order_by("pk").values()),
        "events": Event.objects.count(),
    }


def _events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


def _create(cast: Cast, actor: User | None = None, **changes: Any) -> Measure:
    return measure_create(
        actor=actor or _office(cast),
        problem_id=cast.a.problem.pk,
        data=_complete(cast, **changes),
    )


def _refused_to_create(cast: Cast, match: str, **changes: Any) -> None:
    before = _ledger(cast)
    with pytest.raises(Refused, match=match):
        _create(cast, **changes)
    assert _ledger(cast) == before


def _positions(problem: Problem) -> list[tuple[str, int]]:
    return list(problem.measures.order_by("position").values_list("text", "position"))


# --- Adding a measure -----------------------------------------------------------------


def test_the_office_adds_a_measure_last_under_its_problem(cast: Cast) -> None:
    measure = _create(cast, text="  6月底前修订《理论学习中心组学习制度》 ")

    measure.refresh_from_db()
    assert (measure.problem, measure.category, measure.position) == (
        cast.a.problem,
        cast.a.problem.category,
        3,
    )
    assert measure.text == "6月底前修订《理论学习中心组学习制度》"
    assert (measure.target, measure.type, measure.weight) == ("学习制度健全", "time_bound", 2)
    assert (measure.department, measure.person, measure.leader) == (
        cast.a.department,
        cast.a.users[Role.RESPONSIBLE_PERSON],
        cast.a.users[Role.RESPONSIBLE_LEADER],
    )
    assert measure.deadline == measure.original_deadline == _days(60)
    assert measure.expected_evidence == "修订后的制度文件"
    assert measure.state == State.NOT_STARTED
    [event] = _events("measure.create")
    assert (event.object_id, event.actor_id) == (measure.pk, _office(cast).pk)
    assert event.after is not None and event.after["text"] == measure.text
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.DRAFT
    assert not _events("plan.amend")
    assert verify() is None


def test_a_measure_may_leave_its_deadline_and_owner_for_later(cast: Cast) -> None:
    """The editor keeps a draft; the review before submission asks for what is missing."""
    measure = _create(cast, deadline=None, department_id=None, person_id=None, leader_id=None)

    measure.refresh_from_db()
    assert (measure.deadline, measure.department_id, measure.person_id) == (None, None, None)


def test_it_refuses_a_measure_without_text(cast: Cast) -> None:
    _refused_to_create(cast, "请填写整改措施", text=" \n ")


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [
        ("text", limits.LONG_TEXT, "整改措施"),
        ("target", limits.LONG_TEXT, "整改目标"),
        ("expected_evidence", limits.COMMENT, "佐证材料要求"),
    ],
)
def test_it_refuses_a_text_longer_than_its_limit(
    cast: Cast, field: str, limit: int, label: str
) -> None:
    _refused_to_create(cast, f"{label}不能超过 {limit} 个字", **{field: "长" * (limit + 1)})


def test_it_refuses_a_text_the_database_cannot_keep(cast: Cast) -> None:
    _refused_to_create(cast, "整改措施含有不能保存的字符", text="制定\x00制度")


def test_it_refuses_an_unknown_type(cast: Cast) -> None:
    _refused_to_create(cast, "整改类型应为立行立改、限期整改或长期坚持", type="someday")


@pytest.mark.parametrize("weight", [0, 101, -1])
def test_it_refuses_a_weight_outside_1_to_100(cast: Cast, weight: int) -> None:
    _refused_to_create(cast, "权重应为 1 到 100 的整数", weight=weight)


@pytest.mark.parametrize("weight", [1, 100])
def test_it_accepts_the_weights_at_both_ends(cast: Cast, weight: int) -> None:
    assert _create(cast, weight=weight).weight == weight


def test_it_refuses_a_first_deadline_before_the_feedback_date(cast: Cast) -> None:
    feedback = _days(-10)
    _plan(cast, feedback_date=feedback)

    _refused_to_create(
        cast, f"整改时限不能早于反馈日期（{feedback.isoformat()}）", deadline=_days(-11)
    )


def test_it_refuses_a_first_deadline_before_today(cast: Cast) -> None:
    _plan(cast, feedback_date=_days(-30))

    _refused_to_create(cast, f"整改时限不能早于今天（{_today().isoformat()}）", deadline=_days(-1))


def test_it_accepts_a_first_deadline_of_today(cast: Cast) -> None:
    assert _create(cast, deadline=_today()).deadline == _today()


def test_it_refuses_a_deadline_beyond_the_longest_term_after_the_feedback_date(
    cast: Cast,
) -> None:
    feedback = _days(-10)
    _plan(cast, feedback_date=feedback)
    latest = feedback + dt.timedelta(days=365)

    _refused_to_create(
        cast,
        f"整改时限超过巡察办规定的最长期限（{latest.isoformat()}，反馈后365天）",
        deadline=latest + dt.timedelta(days=1),
    )
    assert _create(cast, deadline=latest).deadline == latest


def test_without_a_feedback_date_the_longest_term_counts_from_today(cast: Cast) -> None:
    latest = _days(365)

    _refused_to_create(cast, "整改时限超过巡察办规定的最长期限", deadline=_days(366))
    assert _create(cast, deadline=latest).deadline == latest


def test_the_longest_term_is_the_inspection_offices_setting(cast: Cast) -> None:
    OfficeSettings.objects.create(office=cast.office, longest_term_days=90)

    _refused_to_create(cast, r"最长期限（.*，反馈后90天）", deadline=_days(91))
    assert _create(cast, deadline=_days(90)).deadline == _days(90)


def test_it_refuses_a_department_of_another_unit(cast: Cast) -> None:
    _refused_to_create(cast, "责任部门不属于本单位", department_id=cast.b.department.pk)


def test_it_refuses_a_person_of_another_unit(cast: Cast) -> None:
    stranger = cast.b.users[Role.RESPONSIBLE_PERSON].pk
    _refused_to_create(cast, "责任人不是本单位人员", person_id=stranger)


def test_it_refuses_a_leader_of_another_unit(cast: Cast) -> None:
    stranger = cast.b.users[Role.RESPONSIBLE_LEADER].pk
    _refused_to_create(cast, "责任领导不是本单位人员", leader_id=stranger)


# --- Who may write, and when ----------------------------------------------------------


def _every_write(cast: Cast, actor: User) -> list[Callable[[], object]]:
    """Each write of a measure, as ``actor``, on unit a's plan."""
    measure = cast.a.measure.pk
    return [
        lambda: measure_create(actor=actor, problem_id=cast.a.problem.pk, data=_complete(cast)),
        lambda: measure_edit(actor=actor, measure_id=measure, data=_complete(cast)),
        lambda: measure_delete(actor=actor, measure_id=measure),
        lambda: measure_reorder(actor=actor, measure_id=measure, position=2),
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_the_rectification_office_writes_measures(cast: Cast, role: Role) -> None:
    before = _ledger(cast)
    for write in _every_write(cast, cast.a.users[role]):
        with pytest.raises(Refused, match="只有整改办公室可以修改整改措施"):
            write()
    assert _ledger(cast) == before


def test_the_inspection_office_reads_the_measures_but_does_not_write_them(cast: Cast) -> None:
    before = _ledger(cast)
    for write in _every_write(cast, cast.office_user):
        with pytest.raises(Refused, match="只有整改办公室可以修改整改措施"):
            write()
    assert _ledger(cast) == before


def test_another_unit_does_not_find_the_problem_or_the_measure(cast: Cast) -> None:
    before = _ledger(cast)
    for stranger in [*cast.b.users.values(), cast.outsider]:
        for write in _every_write(cast, stranger):
            with pytest.raises(NotFound):
                write()
    assert _ledger(cast) == before


@pytest.mark.parametrize(
    ("state", "label"),
    [(PlanState.SUBMITTED, "待审批"), (PlanState.OFFICE_REVIEW, "待巡察办审核")],
)
def test_a_plan_under_approval_is_not_written(cast: Cast, state: str, label: str) -> None:
    _plan(cast, plan_state=state)
    before = _ledger(cast)

    for write in _every_write(cast, _office(cast)):
        with pytest.raises(Refused, match=f"整改方案当前为「{label}」，只有起草中或退回修改"):
            write()
    assert _ledger(cast) == before


def test_a_returned_plan_is_written_again(cast: Cast) -> None:
    _plan(cast, plan_state=PlanState.RETURNED)

    measure = _create(cast)

    assert measure.position == 3
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.RETURNED


def _approved(cast: Cast, problem_state: str) -> None:
    """Unit a's plan approved; its problem and measures in ``problem_state``."""
    _plan(cast, plan_state=PlanState.APPROVED, plan_approved=timezone.now())
    Problem.objects.filter(pk=cast.a.problem.pk).update(state=problem_state)
    # A reopened problem's measures were signed off before the 回头看.
    measures = State.SIGNED_OFF if problem_state == State.REOPENED else problem_state
    Measure.objects.filter(problem=cast.a.problem).update(state=measures)


@pytest.mark.parametrize("state", [State.NOT_STARTED, State.IN_PROGRESS, State.SIGNED_OFF])
def test_after_the_first_approval_a_problem_not_reopened_takes_no_new_measure(
    cast: Cast, state: str
) -> None:
    _approved(cast, state)

    _refused_to_create(cast, "整改方案已审批，只能为回头看后重新整改的问题新增措施")


def test_a_plan_returned_after_its_first_approval_is_not_written_as_a_draft(cast: Cast) -> None:
    """Returned again in an amendment, the plan still takes only the reopened problems'."""
    _approved(cast, State.IN_PROGRESS)
    _plan(cast, plan_state=PlanState.RETURNED)

    _refused_to_create(cast, "整改方案已审批，只能为回头看后重新整改的问题新增措施")


def test_a_new_measure_under_a_reopened_problem_opens_an_amendment(cast: Cast) -> None:
    _approved(cast, State.REOPENED)

    measure = _create(cast)

    inspection = Inspection.objects.get(pk=cast.a.inspection.pk)
    assert inspection.plan_state == PlanState.AMENDING
    assert measure.state == State.NOT_STARTED and measure.position == 3
    [created] = _events("measure.create")
    [amend] = _events("plan.amend")
    assert created.seq < amend.seq
    assert amend.object_id == inspection.pk and amend.actor_id == _office(cast).pk
    assert (amend.before or {})["plan_state"] == PlanState.APPROVED
    assert (amend.after or {})["plan_state"] == PlanState.AMENDING
    assert verify() is None


def test_a_second_new_measure_joins_the_amendment_already_open(cast: Cast) -> None:
    _approved(cast, State.REOPENED)
    _create(cast)

    _create(cast, text="每月召开一次专题学习会")

    assert len(_events("measure.create")) == 2
    assert len(_events("plan.amend")) == 1


def test_in_an_amendment_the_new_measure_is_edited_reordered_and_deleted(cast: Cast) -> None:
    _approved(cast, State.REOPENED)
    new = _create(cast)

    measure_edit(actor=_office(cast), measure_id=new.pk, data=_complete(cast, weight=5))
    measure_reorder(actor=_office(cast), measure_id=new.pk, position=1)
    assert Measure.objects.get(pk=new.pk).weight == 5
    measure_delete(actor=_office(cast), measure_id=new.pk)

    assert not Measure.objects.filter(pk=new.pk).exists()
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.AMENDING


def test_in_an_amendment_the_measures_approved_before_are_not_changed(cast: Cast) -> None:
    _approved(cast, State.REOPENED)
    _create(cast)
    before = _ledger(cast)
    old = cast.a.measure.pk

    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_edit(actor=_office(cast), measure_id=old, data=_complete(cast))
    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_delete(actor=_office(cast), measure_id=old)
    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_reorder(actor=_office(cast), measure_id=old, position=3)
    assert _ledger(cast) == before


# --- Editing --------------------------------------------------------------------------


def test_the_office_edits_a_measure_and_the_trail_keeps_both_versions(cast: Cast) -> None:
    measure_edit(
        actor=_office(cast),
        measure_id=cast.a.measure.pk,
        data=_complete(cast, text=" 每月召开一次专题学习会 ", deadline=_days(90)),
    )

    measure = Measure.objects.get(pk=cast.a.measure.pk)
    assert (measure.text, measure.weight) == ("每月召开一次专题学习会", 2)
    assert measure.deadline == measure.original_deadline == _days(90)
    assert measure.expected_evidence == "修订后的制度文件"
    [event] = _events("measure.edit")
    assert event.object_id == measure.pk and event.actor_id == _office(cast).pk
    before, after = event.before or {}, event.after or {}
    assert (before["text"], after["text"]) == ("县融媒体中心措施1", "每月召开一次专题学习会")
    assert after["deadline"] == _days(90).isoformat()
    assert verify() is None


def test_an_edit_is_held_to_the_same_rules_and_a_refusal_keeps_the_measure(cast: Cast) -> None:
    before = _ledger(cast)
    refused: list[tuple[dict[str, Any], str]] = [
        ({"text": ""}, "请填写整改措施"),
        ({"weight": 0}, "权重应为 1 到 100"),
        ({"deadline": _days(-1)}, "整改时限不能早于今天"),
        ({"department_id": cast.b.department.pk}, "责任部门不属于本单位"),
    ]
    for changes, why in refused:
        with pytest.raises(Refused, match=why):
            measure_edit(
                actor=_office(cast),
                measure_id=cast.a.measure.pk,
                data=_complete(cast, **changes),
            )
    assert _ledger(cast) == before


def test_a_measure_of_a_category_is_moved_under_a_problem_before_it_is_edited(
    cast: Cast,
) -> None:
    own = Measure.objects.create(
        inspection=cast.a.inspection,
        category=cast.a.problem.category,
        position=1,
        text="类别下的措施",
    )
    before = _ledger(cast)

    with pytest.raises(Refused, match="类别下的整改措施请先移到具体问题下再修改"):
        measure_edit(actor=_office(cast), measure_id=own.pk, data=_complete(cast))
    assert _ledger(cast) == before


# --- Deleting -------------------------------------------------------------------------


def test_the_office_deletes_a_measure_and_the_others_close_up(cast: Cast) -> None:
    gone = cast.a.measure.pk

    measure_delete(actor=_office(cast), measure_id=gone)

    assert not Measure.objects.filter(pk=gone).exists()
    assert _positions(cast.a.problem) == [("县融媒体中心措施2", 1)]
    [event] = _events("measure.delete")
    assert (event.object_id, event.actor_id) == (gone, _office(cast).pk)
    assert (event.before or {})["text"] == "县融媒体中心措施1"
    assert event.after == {}
    assert verify() is None


def _progress(cast: Cast) -> None:
    services.progress_record(
        actor=cast.a.users[Role.RESPONSIBLE_PERSON],
        measure_id=cast.a.measure.pk,
        date=_today(),
        text="已召开专题学习会",
    )


def _evidence(cast: Cast) -> None:
    services.evidence_add(
        actor=cast.a.users[Role.RESPONSIBLE_PERSON],
        measure_id=cast.a.measure.pk,
        name="会议纪要.pdf",
        content=PDF,
        effective_date=_today(),
    )


def _approval(cast: Cast) -> None:
    Approval.objects.create(
        kind=Approval.Kind.SIGN_OFF,
        inspection=cast.a.inspection,
        measure=cast.a.measure,
        approver=cast.a.users[Role.RESPONSIBLE_LEADER],
        decision="sign_off",
    )


@pytest.mark.parametrize("work", [_progress, _evidence, _approval])
def test_a_measure_with_progress_evidence_or_approvals_is_not_deleted(
    cast: Cast, work: Callable[[Cast], None]
) -> None:
    work(cast)
    before = _ledger(cast)

    with pytest.raises(Refused, match="该措施已有整改进展、佐证材料或审批记录，不能删除"):
        measure_delete(actor=_office(cast), measure_id=cast.a.measure.pk)
    assert _ledger(cast) == before


# --- Reordering -----------------------------------------------------------------------


def test_reordering_puts_the_measure_at_its_place_and_renumbers_the_others(cast: Cast) -> None:
    third = _create(cast, text="每月召开一次专题学习会")

    measure_reorder(actor=_office(cast), measure_id=third.pk, position=1)

    assert _positions(cast.a.problem) == [
        ("每月召开一次专题学习会", 1),
        ("县融媒体中心措施1", 2),
        ("县融媒体中心措施2", 3),
    ]
    [event] = _events("measure.reorder")
    assert event.object_id == third.pk
    assert ((event.before or {})["position"], (event.after or {})["position"]) == (3, 1)
    assert verify() is None


@pytest.mark.parametrize("position", [0, 3])
def test_a_position_outside_the_list_is_refused(cast: Cast, position: int) -> None:
    before = _ledger(cast)

    with pytest.raises(Refused, match="位置应在 1 到 2 之间"):
        measure_reorder(actor=_office(cast), measure_id=cast.a.measure.pk, position=position)
    assert _ledger(cast) == before


# --- Levels: a measure that names a problem, a sub-problem that is a measure ------------


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

    sub = plans.measure_to_subproblem(actor=_office(cast), measure_id=gone)

    assert (sub.parent, sub.category, sub.position) == (
        cast.a.problem,
        cast.a.problem.category,
        2,
    )
    assert sub.title == "县融媒体中心措施1"
    assert not Measure.objects.filter(pk=gone).exists()
    assert _positions(cast.a.problem) == [("县融媒体中心措施2", 1)]
    [created] = _events("problem.create")
    [turned] = _events("measure.to_subproblem")
    assert created.object_id == sub.pk
    assert (turned.object_id, turned.after) == (gone, {"subproblem": sub.pk})
    assert (turned.before or {})["text"] == "县融媒体中心措施1"
    assert verify() is None


def test_a_measure_of_a_sub_problem_does_not_become_one_problems_have_two_levels(
    cast: Cast,
) -> None:
    sub = _sub(cast, 1, "学习流于形式")
    Measure.objects.filter(pk=cast.a.measure.pk).update(problem=sub)
    before = _ledger(cast)

    with pytest.raises(Refused, match="子问题下的措施不能再改为子问题：问题只分两级"):
        plans.measure_to_subproblem(actor=_office(cast), measure_id=cast.a.measure.pk)
    assert _ledger(cast) == before


def test_a_measure_with_progress_does_not_become_a_sub_problem(cast: Cast) -> None:
    _progress(cast)
    before = _ledger(cast)

    with pytest.raises(Refused, match="该措施已有整改进展、佐证材料或审批记录，不能改为子问题"):
        plans.measure_to_subproblem(actor=_office(cast), measure_id=cast.a.measure.pk)
    assert _ledger(cast) == before


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

    measure = plans.subproblem_to_measure(actor=_office(cast), problem_id=sub.pk)

    assert not Problem.objects.filter(pk=sub.pk).exists()
    assert measure.text == "每月召开一次专题学习会\n由办公室负责通知"
    assert _positions(cast.a.problem) == [
        ("县融媒体中心措施1", 1),
        ("县融媒体中心措施2", 2),
        ("每月召开一次专题学习会\n由办公室负责通知", 3),
        ("会后形成纪要", 4),
    ]
    assert Measure.objects.get(pk=held.pk).problem == cast.a.problem
    assert Problem.objects.get(pk=second.pk).position == 1
    [created] = _events("measure.create")
    [moved] = _events("measure.move")
    [turned] = _events("problem.to_measure")
    assert (created.object_id, moved.object_id) == (measure.pk, held.pk)
    assert (turned.object_id, turned.after) == (sub.pk, {"measure": measure.pk})
    assert verify() is None


def test_only_a_sub_problem_becomes_a_measure(cast: Cast) -> None:
    before = _ledger(cast)

    with pytest.raises(Refused, match="只有子问题可以改为整改措施"):
        plans.subproblem_to_measure(actor=_office(cast), problem_id=cast.a.problem.pk)
    assert _ledger(cast) == before


def test_a_sub_problem_with_decisions_on_record_does_not_become_a_measure(cast: Cast) -> None:
    sub = _sub(cast, 1, "学习流于形式")
    Approval.objects.create(
        kind=Approval.Kind.SIGN_OFF,
        inspection=cast.a.inspection,
        problem=sub,
        approver=cast.a.users[Role.RESPONSIBLE_LEADER],
        decision="sign_off",
    )
    before = _ledger(cast)

    with pytest.raises(Refused, match="该问题已有审批或回头看记录，不能合并或改为措施"):
        plans.subproblem_to_measure(actor=_office(cast), problem_id=sub.pk)
    assert _ledger(cast) == before


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
        actor=_office(cast), problem_id=nested.pk, parent_id=cast.a.problem.pk
    )

    assert (problem.parent, problem.position) == (cast.a.problem, 2)
    assert Problem.objects.get(pk=after.pk).position == 2
    assert Measure.objects.get(pk=cast.a.other_measure.pk).problem == problem
    [event] = _events("problem.nest")
    assert event.object_id == nested.pk and event.actor_id == _office(cast).pk
    assert ((event.before or {})["parent_id"], (event.after or {})["parent_id"]) == (
        None,
        cast.a.problem.pk,
    )
    assert verify() is None


def test_a_problem_nests_only_under_another_top_level_problem(cast: Cast) -> None:
    sub = _sub(cast, 1, "学习流于形式")
    nested = _top(cast, 2, "制度执行不严")
    before = _ledger(cast)

    for parent in (nested, sub):
        with pytest.raises(Refused, match="只能放到另一个一级问题下"):
            plans.problem_nest(actor=_office(cast), problem_id=nested.pk, parent_id=parent.pk)
    assert _ledger(cast) == before


def test_a_problem_with_sub_problems_does_not_nest(cast: Cast) -> None:
    _sub(cast, 1, "学习流于形式")
    other = _top(cast, 2, "制度执行不严")
    before = _ledger(cast)

    with pytest.raises(Refused, match="含有子问题的问题不能再放到其他问题下：问题只分两级"):
        plans.problem_nest(actor=_office(cast), problem_id=cast.a.problem.pk, parent_id=other.pk)
    assert _ledger(cast) == before


def test_a_problem_of_another_inspection_is_not_found_to_nest_under(cast: Cast) -> None:
    before = _ledger(cast)

    with pytest.raises(NotFound):
        plans.problem_nest(
            actor=_office(cast), problem_id=cast.a.problem.pk, parent_id=cast.b.problem.pk
        )
    assert _ledger(cast) == before


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
    before = _ledger(cast)

    for change in _level_changes(cast, levels, cast.a.users[role]):
        with pytest.raises(Refused, match="只有整改办公室可以修改整改方案"):
            change()
    assert _ledger(cast) == before


def test_another_unit_does_not_find_what_it_would_change_the_level_of(cast: Cast) -> None:
    levels = _levels(cast)
    before = _ledger(cast)

    for stranger in [*cast.b.users.values(), cast.outsider]:
        for change in _level_changes(cast, levels, stranger):
            with pytest.raises(NotFound):
                change()
    assert _ledger(cast) == before


def test_levels_change_only_while_the_plan_is_drafted(cast: Cast) -> None:
    levels = _levels(cast)
    _plan(cast, plan_state=PlanState.SUBMITTED)
    before = _ledger(cast)

    for change in _level_changes(cast, levels, _office(cast)):
        with pytest.raises(Refused, match="只有起草中的方案可以修改"):
            change()
    assert _ledger(cast) == before
