"""Writing the plan's measures under each problem (services/plan_measures.py): what
the editor accepts, who may write and when, what each write leaves in the audit trail,
and that a refusal changes nothing. Changing their level is test_plan_levels.py."""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.app.conftest import Cast
from tests.app.plan_support import (
    OTHER_ROLES,
    days,
    events,
    ledger,
    office_of,
    positions,
    progress,
    today,
    update_plan,
)
from zhenggai.audit.chain import verify
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger import limits
from zhenggai.ledger.models import Approval, Measure
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import ledger as services
from zhenggai.services.plan_measures import (
    MeasureInput,
    measure_create,
    measure_delete,
    measure_edit,
    measure_reorder,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _complete(cast: Cast, **changes: Any) -> MeasureInput:
    """A measure the editor accepts, with ``changes``."""
    measure = MeasureInput(
        text="6月底前修订《理论学习中心组学习制度》",
        target="学习制度健全",
        type=Measure.Type.TIME_BOUND,
        leader_id=cast.a.users[Role.RESPONSIBLE_LEADER].pk,
        department_id=cast.a.department.pk,
        person_id=cast.a.users[Role.RESPONSIBLE_PERSON].pk,
        deadline=days(60),
        weight=2,
        expected_evidence="修订后的制度文件",
    )
    return dataclasses.replace(measure, **changes)


def _create(cast: Cast, actor: User | None = None, **changes: Any) -> Measure:
    return measure_create(
        actor=actor or office_of(cast),
        problem_id=cast.a.problem.pk,
        data=_complete(cast, **changes),
    )


def _refused_to_create(cast: Cast, match: str, **changes: Any) -> None:
    before = ledger(cast)
    with pytest.raises(Refused, match=match):
        _create(cast, **changes)
    assert ledger(cast) == before


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
    assert measure.deadline == measure.original_deadline == days(60)
    assert measure.expected_evidence == "修订后的制度文件"
    assert measure.state == State.NOT_STARTED
    [event] = events("measure.create")
    assert (event.object_id, event.actor_id) == (measure.pk, office_of(cast).pk)
    assert event.after is not None and event.after["text"] == measure.text
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.DRAFT
    assert not events("plan.amend")
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
    feedback = days(-10)
    update_plan(cast, feedback_date=feedback)

    _refused_to_create(
        cast, f"整改时限不能早于反馈日期（{feedback.isoformat()}）", deadline=days(-11)
    )


def test_it_refuses_a_first_deadline_before_today(cast: Cast) -> None:
    update_plan(cast, feedback_date=days(-30))

    _refused_to_create(cast, f"整改时限不能早于今天（{today().isoformat()}）", deadline=days(-1))


def test_it_accepts_a_first_deadline_of_today(cast: Cast) -> None:
    assert _create(cast, deadline=today()).deadline == today()


def test_it_refuses_a_deadline_beyond_the_longest_term_after_the_feedback_date(
    cast: Cast,
) -> None:
    feedback = days(-10)
    update_plan(cast, feedback_date=feedback)
    latest = feedback + dt.timedelta(days=365)

    _refused_to_create(
        cast,
        f"整改时限超过巡察办规定的最长期限（{latest.isoformat()}，反馈后365天）",
        deadline=latest + dt.timedelta(days=1),
    )
    assert _create(cast, deadline=latest).deadline == latest


def test_without_a_feedback_date_the_longest_term_counts_from_today(cast: Cast) -> None:
    latest = days(365)

    _refused_to_create(cast, "整改时限超过巡察办规定的最长期限", deadline=days(366))
    assert _create(cast, deadline=latest).deadline == latest


def test_the_longest_term_is_the_inspection_offices_setting(cast: Cast) -> None:
    OfficeSettings.objects.create(office=cast.office, longest_term_days=90)

    _refused_to_create(cast, r"最长期限（.*，反馈后90天）", deadline=days(91))
    assert _create(cast, deadline=days(90)).deadline == days(90)


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
    before = ledger(cast)
    for write in _every_write(cast, cast.a.users[role]):
        with pytest.raises(Refused, match="只有整改办公室可以修改整改措施"):
            write()
    assert ledger(cast) == before


def test_the_inspection_office_reads_the_measures_but_does_not_write_them(cast: Cast) -> None:
    before = ledger(cast)
    for write in _every_write(cast, cast.office_user):
        with pytest.raises(Refused, match="只有整改办公室可以修改整改措施"):
            write()
    assert ledger(cast) == before


def test_another_unit_does_not_find_the_problem_or_the_measure(cast: Cast) -> None:
    before = ledger(cast)
    for stranger in [*cast.b.users.values(), cast.outsider]:
        for write in _every_write(cast, stranger):
            with pytest.raises(NotFound):
                write()
    assert ledger(cast) == before


@pytest.mark.parametrize(
    ("state", "label"),
    [(PlanState.SUBMITTED, "待审批"), (PlanState.OFFICE_REVIEW, "待巡察办审核")],
)
def test_a_plan_under_approval_is_not_written(cast: Cast, state: str, label: str) -> None:
    update_plan(cast, plan_state=state)
    before = ledger(cast)

    for write in _every_write(cast, office_of(cast)):
        with pytest.raises(Refused, match=f"整改方案当前为「{label}」，只有起草中或退回修改"):
            write()
    assert ledger(cast) == before


def test_a_returned_plan_is_written_again(cast: Cast) -> None:
    update_plan(cast, plan_state=PlanState.RETURNED)

    measure = _create(cast)

    assert measure.position == 3
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.RETURNED


def _approved(cast: Cast, problem_state: str) -> None:
    """Unit a's plan approved; its problem and measures in ``problem_state``."""
    update_plan(cast, plan_state=PlanState.APPROVED, plan_approved=timezone.now())
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
    update_plan(cast, plan_state=PlanState.RETURNED)

    _refused_to_create(cast, "整改方案已审批，只能为回头看后重新整改的问题新增措施")


def test_a_new_measure_under_a_reopened_problem_opens_an_amendment(cast: Cast) -> None:
    _approved(cast, State.REOPENED)

    measure = _create(cast)

    inspection = Inspection.objects.get(pk=cast.a.inspection.pk)
    assert inspection.plan_state == PlanState.AMENDING
    assert measure.state == State.NOT_STARTED and measure.position == 3
    [created] = events("measure.create")
    [amend] = events("plan.amend")
    assert created.seq < amend.seq
    assert amend.object_id == inspection.pk and amend.actor_id == office_of(cast).pk
    assert (amend.before or {})["plan_state"] == PlanState.APPROVED
    assert (amend.after or {})["plan_state"] == PlanState.AMENDING
    assert verify() is None


def test_a_second_new_measure_joins_the_amendment_already_open(cast: Cast) -> None:
    _approved(cast, State.REOPENED)
    _create(cast)

    _create(cast, text="每月召开一次专题学习会")

    assert len(events("measure.create")) == 2
    assert len(events("plan.amend")) == 1


def test_in_an_amendment_the_new_measure_is_edited_reordered_and_deleted(cast: Cast) -> None:
    _approved(cast, State.REOPENED)
    new = _create(cast)

    measure_edit(actor=office_of(cast), measure_id=new.pk, data=_complete(cast, weight=5))
    measure_reorder(actor=office_of(cast), measure_id=new.pk, position=1)
    assert Measure.objects.get(pk=new.pk).weight == 5
    measure_delete(actor=office_of(cast), measure_id=new.pk)

    assert not Measure.objects.filter(pk=new.pk).exists()
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.AMENDING


def test_in_an_amendment_the_measures_approved_before_are_not_changed(cast: Cast) -> None:
    _approved(cast, State.REOPENED)
    _create(cast)
    before = ledger(cast)
    old = cast.a.measure.pk

    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_edit(actor=office_of(cast), measure_id=old, data=_complete(cast))
    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_delete(actor=office_of(cast), measure_id=old)
    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_reorder(actor=office_of(cast), measure_id=old, position=3)
    assert ledger(cast) == before


# --- Editing --------------------------------------------------------------------------


def test_the_office_edits_a_measure_and_the_trail_keeps_both_versions(cast: Cast) -> None:
    measure_edit(
        actor=office_of(cast),
        measure_id=cast.a.measure.pk,
        data=_complete(cast, text=" 每月召开一次专题学习会 ", deadline=days(90)),
    )

    measure = Measure.objects.get(pk=cast.a.measure.pk)
    assert (measure.text, measure.weight) == ("每月召开一次专题学习会", 2)
    assert measure.deadline == measure.original_deadline == days(90)
    assert measure.expected_evidence == "修订后的制度文件"
    [event] = events("measure.edit")
    assert event.object_id == measure.pk and event.actor_id == office_of(cast).pk
    before, after = event.before or {}, event.after or {}
    assert (before["text"], after["text"]) == ("县融媒体中心措施1", "每月召开一次专题学习会")
    assert after["deadline"] == days(90).isoformat()
    assert verify() is None


def test_an_edit_is_held_to_the_same_rules_and_a_refusal_keeps_the_measure(cast: Cast) -> None:
    before = ledger(cast)
    refused: list[tuple[dict[str, Any], str]] = [
        ({"text": ""}, "请填写整改措施"),
        ({"weight": 0}, "权重应为 1 到 100"),
        ({"deadline": days(-1)}, "整改时限不能早于今天"),
        ({"department_id": cast.b.department.pk}, "责任部门不属于本单位"),
    ]
    for changes, why in refused:
        with pytest.raises(Refused, match=why):
            measure_edit(
                actor=office_of(cast),
                measure_id=cast.a.measure.pk,
                data=_complete(cast, **changes),
            )
    assert ledger(cast) == before


def test_a_measure_of_a_category_is_moved_under_a_problem_before_it_is_edited(
    cast: Cast,
) -> None:
    own = Measure.objects.create(
        inspection=cast.a.inspection,
        category=cast.a.problem.category,
        position=1,
        text="类别下的措施",
    )
    before = ledger(cast)

    with pytest.raises(Refused, match="类别下的整改措施请先移到具体问题下再修改"):
        measure_edit(actor=office_of(cast), measure_id=own.pk, data=_complete(cast))
    assert ledger(cast) == before


# --- Deleting -------------------------------------------------------------------------


def test_the_office_deletes_a_measure_and_the_others_close_up(cast: Cast) -> None:
    gone = cast.a.measure.pk

    measure_delete(actor=office_of(cast), measure_id=gone)

    assert not Measure.objects.filter(pk=gone).exists()
    assert positions(cast.a.problem) == [("县融媒体中心措施2", 1)]
    [event] = events("measure.delete")
    assert (event.object_id, event.actor_id) == (gone, office_of(cast).pk)
    assert (event.before or {})["text"] == "县融媒体中心措施1"
    assert event.after == {}
    assert verify() is None


def _evidence(cast: Cast) -> None:
    services.evidence_add(
        actor=cast.a.users[Role.RESPONSIBLE_PERSON],
        measure_id=cast.a.measure.pk,
        name="会议纪要.pdf",
        content=PDF,
        effective_date=today(),
    )


def _approval(cast: Cast) -> None:
    Approval.objects.create(
        kind=Approval.Kind.SIGN_OFF,
        inspection=cast.a.inspection,
        measure=cast.a.measure,
        approver=cast.a.users[Role.RESPONSIBLE_LEADER],
        decision="sign_off",
    )


@pytest.mark.parametrize("work", [progress, _evidence, _approval])
def test_a_measure_with_progress_evidence_or_approvals_is_not_deleted(
    cast: Cast, work: Callable[[Cast], None]
) -> None:
    work(cast)
    before = ledger(cast)

    with pytest.raises(Refused, match="该措施已有整改进展、佐证材料或审批记录，不能删除"):
        measure_delete(actor=office_of(cast), measure_id=cast.a.measure.pk)
    assert ledger(cast) == before


# --- Reordering -----------------------------------------------------------------------


def test_reordering_puts_the_measure_at_its_place_and_renumbers_the_others(cast: Cast) -> None:
    third = _create(cast, text="每月召开一次专题学习会")

    measure_reorder(actor=office_of(cast), measure_id=third.pk, position=1)

    assert positions(cast.a.problem) == [
        ("每月召开一次专题学习会", 1),
        ("县融媒体中心措施1", 2),
        ("县融媒体中心措施2", 3),
    ]
    [event] = events("measure.reorder")
    assert event.object_id == third.pk
    assert ((event.before or {})["position"], (event.after or {})["position"]) == (3, 1)
    assert verify() is None


@pytest.mark.parametrize("position", [0, 3])
def test_a_position_outside_the_list_is_refused(cast: Cast, position: int) -> None:
    before = ledger(cast)

    with pytest.raises(Refused, match="位置应在 1 到 2 之间"):
        measure_reorder(actor=office_of(cast), measure_id=cast.a.measure.pk, position=position)
    assert ledger(cast) == before
