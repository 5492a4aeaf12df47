"""The plan's decisions (services/plan_review.py): the leader's and the inspection
office's, who may make each, a plan recorded as approved on paper, and what changed
between two versions (ledger/plan_versions.py). Submitting is test_plan_review.py."""

import pytest
from django.contrib.auth.models import User

from tests.app.conftest import Cast
from tests.app.plan_support import (
    FIRST,
    LABEL,
    SECOND,
    approve,
    days,
    events,
    inspection_of,
    leader_of,
    move_plan,
    office_of,
    ready_plan,
    review_state,
    submit,
    versions,
)
from zhenggai.audit.chain import verify
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.states import PlanState
from zhenggai.ledger import limits, plan_versions
from zhenggai.ledger.models import Approval
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services.plan_measures import (
    MeasureInput,
    measure_create,
    measure_delete,
    measure_edit,
)
from zhenggai.services.plan_review import plan_record_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(cast: Cast) -> Cast:
    """Unit a's plan, as it can be submitted without a warning (plan_support.ready_plan)."""
    return ready_plan(cast)


# --- The decisions ----------------------------------------------------------------------


def test_the_first_responsible_approves_and_the_plan_goes_to_the_inspection_office(
    ready: Cast,
) -> None:
    cast = ready
    submit(cast)

    inspection = approve(cast)

    assert inspection.plan_state == inspection_of(cast).plan_state == PlanState.OFFICE_REVIEW
    assert inspection_of(cast).plan_approved is None
    [version] = versions(cast)
    assert (version.outcome, version.comment) == ("pending", "同意")
    [approval] = Approval.objects.filter(kind=Approval.Kind.PLAN)
    assert (approval.decision, approval.approver) == ("approve", leader_of(cast))
    [event] = events("plan.approve")
    assert (event.after or {})["comment"] == "同意"
    assert verify() is None


def test_when_the_office_does_not_review_plans_the_leaders_approval_is_the_last_word(
    ready: Cast,
) -> None:
    cast = ready
    OfficeSettings.objects.create(office=cast.office, reviews_plans=False)
    submit(cast)

    approve(cast)

    inspection = inspection_of(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved is not None
    [version] = versions(cast)
    assert version.outcome == "approved"
    decisions = Approval.objects.filter(kind=Approval.Kind.PLAN).order_by("pk")
    assert [a.decision for a in decisions] == ["approve", "accept"]
    [approved] = events("plan.approve")
    [accepted] = events("plan.accept")
    assert approved.seq < accepted.seq
    assert (accepted.after or {})["comment"] == "巡察办设置为无需审核整改方案"
    assert (accepted.after or {})["plan_state"] == PlanState.APPROVED
    assert verify() is None


def test_the_first_responsible_returns_the_plan_with_a_comment(ready: Cast) -> None:
    cast = ready
    submit(cast)

    move_plan(cast, leader_of(cast), "return", "措施不够具体")

    assert inspection_of(cast).plan_state == PlanState.RETURNED
    [version] = versions(cast)
    assert (version.outcome, version.comment) == ("returned", "措施不够具体")
    [approval] = Approval.objects.filter(kind=Approval.Kind.PLAN)
    assert (approval.decision, approval.comment) == ("return", "措施不够具体")
    [event] = events("plan.return")
    assert (event.after or {})["plan_state"] == PlanState.RETURNED


def test_a_plan_submitted_before_versions_were_kept_is_returned_not_approved_unseen(
    ready: Cast,
) -> None:
    cast = ready
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(plan_state=PlanState.SUBMITTED)

    with pytest.raises(Refused, match="没有报送版本记录，请退回后重新报送"):
        approve(cast)
    move_plan(cast, leader_of(cast), "return", "请重新报送")
    submit(cast)

    assert inspection_of(cast).plan_state == PlanState.SUBMITTED
    assert [v.number for v in versions(cast)] == [1]


@pytest.mark.parametrize(("move", "role"), [("return", "leader"), ("send_back", "office")])
def test_a_plan_is_not_returned_without_a_comment(ready: Cast, move: str, role: str) -> None:
    cast = ready
    submit(cast)
    if role == "office":
        approve(cast)
    actor = leader_of(cast) if role == "leader" else cast.office_user
    before = review_state(cast)

    with pytest.raises(Refused, match="请填写意见"):
        move_plan(cast, actor, move, "  ")
    assert review_state(cast) == before


def test_the_inspection_office_accepts_and_the_plan_is_approved(ready: Cast) -> None:
    cast = ready
    submit(cast)
    approve(cast)

    move_plan(cast, cast.office_user, "accept", "同意该方案")

    inspection = inspection_of(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved is not None
    [version] = versions(cast)
    assert (version.outcome, version.comment) == ("approved", "同意\n同意该方案")
    assert Approval.objects.filter(kind=Approval.Kind.PLAN, decision="accept").count() == 1
    [event] = events("plan.accept")
    assert event.actor_id == cast.office_user.pk
    assert (event.after or {})["plan_state"] == PlanState.APPROVED
    assert verify() is None


def test_the_inspection_office_sends_back_with_a_comment_per_problem(ready: Cast) -> None:
    cast = ready
    submit(cast)
    approve(cast)

    move_plan(
        cast,
        cast.office_user,
        "send_back",
        problem_comments={cast.a.problem.pk: "  措施缺少量化指标 "},
    )

    inspection = inspection_of(cast)
    assert (inspection.plan_state, inspection.plan_approved) == (PlanState.RETURNED, None)
    [version] = versions(cast)
    assert version.outcome == "returned"
    assert version.problem_comments == {str(cast.a.problem.pk): "措施缺少量化指标"}
    assert version.comment == "同意\n对1个问题提出了修改意见"
    [event] = events("plan.send_back")
    assert (event.after or {})["comment"] == "对1个问题提出了修改意见"
    assert Approval.objects.filter(kind=Approval.Kind.PLAN, decision="send_back").count() == 1
    assert verify() is None


def test_comments_on_problems_of_another_plan_are_refused(ready: Cast) -> None:
    cast = ready
    submit(cast)
    approve(cast)
    before = review_state(cast)

    with pytest.raises(Refused, match="意见所针对的问题不属于该整改方案"):
        move_plan(
            cast, cast.office_user, "send_back", problem_comments={cast.b.problem.pk: "不具体"}
        )
    assert review_state(cast) == before


def test_a_comment_on_a_problem_longer_than_its_limit_is_refused(ready: Cast) -> None:
    cast = ready
    submit(cast)
    approve(cast)
    before = review_state(cast)

    with pytest.raises(Refused, match=f"意见不能超过 {limits.COMMENT} 个字"):
        move_plan(
            cast,
            cast.office_user,
            "send_back",
            problem_comments={cast.a.problem.pk: "长" * (limits.COMMENT + 1)},
        )
    assert review_state(cast) == before


def test_a_returned_plan_is_corrected_and_submitted_again(ready: Cast) -> None:
    cast = ready
    submit(cast)
    approve(cast)
    move_plan(cast, cast.office_user, "send_back", "请细化措施")

    measure_edit(
        actor=office_of(cast),
        measure_id=cast.a.other_measure.pk,
        data=MeasureInput(
            text="每月召开一次专题学习会，会后形成纪要",
            department_id=cast.a.department.pk,
            deadline=days(30),
        ),
    )
    submit(cast)

    assert [(v.number, v.outcome) for v in versions(cast)] == [(1, "returned"), (2, "pending")]
    assert inspection_of(cast).plan_state == PlanState.SUBMITTED


def test_a_plan_in_the_wrong_state_is_not_decided(ready: Cast) -> None:
    cast = ready
    before = review_state(cast)

    with pytest.raises(Refused, match="当前状态为「起草中」，不能审批整改方案"):
        approve(cast)
    with pytest.raises(Refused, match="当前状态为「起草中」，不能同意整改方案"):
        move_plan(cast, cast.office_user, "accept")
    submit(cast)
    with pytest.raises(Refused, match="当前状态为「待审批」，不能报送整改方案"):
        submit(cast)
    assert len(versions(cast)) == 1
    assert review_state(cast)["approvals"] == before["approvals"]


# --- Who may make each move -------------------------------------------------------------

MOVES = {
    # move: (the roles that may, the refusal to everyone else, the state it is made from)
    "submit": ({Role.RECTIFICATION_OFFICE}, "只有整改办公室可以报送整改方案", PlanState.DRAFT),
    "approve": ({Role.FIRST_RESPONSIBLE}, "只有第一责任人可以审批整改方案", PlanState.SUBMITTED),
    "return": ({Role.FIRST_RESPONSIBLE}, "只有第一责任人可以退回整改方案", PlanState.SUBMITTED),
    "accept": ({Role.INSPECTION_OFFICE}, "只有巡察办可以同意整改方案", PlanState.OFFICE_REVIEW),
    "send_back": (
        {Role.INSPECTION_OFFICE},
        "只有巡察办可以.*退回整改方案",
        PlanState.OFFICE_REVIEW,
    ),
}


def _brought_to(cast: Cast, state: str) -> None:
    if state != PlanState.DRAFT:
        submit(cast)
    if state == PlanState.OFFICE_REVIEW:
        approve(cast)


def _cast_of_a(cast: Cast) -> dict[Role, User]:
    return {**cast.a.users, Role.INSPECTION_OFFICE: cast.office_user}


@pytest.mark.parametrize("move", MOVES)
def test_each_move_is_refused_to_the_roles_that_do_not_make_it(ready: Cast, move: str) -> None:
    cast = ready
    allowed, refusal, state = MOVES[move]
    _brought_to(cast, state)
    before = review_state(cast)

    for role, user in _cast_of_a(cast).items():
        if role in allowed:
            continue
        with pytest.raises(Refused, match=refusal):
            move_plan(cast, user, move, "意见")
    assert review_state(cast) == before


@pytest.mark.parametrize("move", MOVES)
def test_another_unit_does_not_find_the_plan(ready: Cast, move: str) -> None:
    cast = ready
    _brought_to(cast, MOVES[move][2])
    before = review_state(cast)

    for stranger in [*cast.b.users.values(), cast.outsider]:
        with pytest.raises(NotFound):
            move_plan(cast, stranger, move, "意见")
    assert review_state(cast) == before


# --- A plan approved on paper -----------------------------------------------------------


def test_the_office_records_a_plan_approved_on_paper(ready: Cast) -> None:
    cast = ready

    plan_record_approved(
        actor=office_of(cast), inspection_id=cast.a.inspection.pk, comment="县委巡察办〔2024〕5号"
    )

    inspection = inspection_of(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved is not None
    [approval] = Approval.objects.filter(kind=Approval.Kind.PLAN)
    assert (approval.decision, approval.comment) == ("record", "县委巡察办〔2024〕5号")
    [event] = events("plan.record")
    assert (event.after or {})["comment"] == "县委巡察办〔2024〕5号"
    assert (event.before or {})["plan_state"] == PlanState.DRAFT
    assert verify() is None


def test_a_paper_approval_names_its_document(ready: Cast) -> None:
    before = review_state(ready)

    with pytest.raises(Refused, match="请写明线下审批的情况"):
        plan_record_approved(
            actor=office_of(ready), inspection_id=ready.a.inspection.pk, comment="  "
        )
    assert review_state(ready) == before


def test_only_a_plan_not_yet_approved_is_recorded_as_approved_on_paper(ready: Cast) -> None:
    cast = ready
    submit(cast)
    before = review_state(cast)

    with pytest.raises(Refused, match="只有尚未审批的整改方案可以登记为线下已审批"):
        plan_record_approved(
            actor=office_of(cast),
            inspection_id=cast.a.inspection.pk,
            comment="县委巡察办〔2024〕5号",
        )
    assert review_state(cast) == before


def test_only_the_rectification_office_records_a_paper_approval(ready: Cast) -> None:
    cast = ready
    before = review_state(cast)

    for role, user in _cast_of_a(cast).items():
        if role == Role.RECTIFICATION_OFFICE:
            continue
        with pytest.raises(Refused, match="只有整改办公室可以登记线下已审批的整改方案"):
            plan_record_approved(
                actor=user, inspection_id=cast.a.inspection.pk, comment="县委巡察办〔2024〕5号"
            )
    for stranger in [*cast.b.users.values(), cast.outsider]:
        with pytest.raises(NotFound):
            plan_record_approved(
                actor=stranger, inspection_id=cast.a.inspection.pk, comment="县委巡察办〔2024〕5号"
            )
    assert review_state(cast) == before


# --- What changed between two versions --------------------------------------------------


def test_the_diff_of_two_versions_shows_an_added_a_removed_and_a_changed_measure(
    ready: Cast,
) -> None:
    cast = ready
    old_deadline = cast.a.measure.deadline
    assert old_deadline is not None
    submit(cast)
    move_plan(cast, leader_of(cast), "return", "请细化措施")
    office = office_of(cast)
    measure_edit(
        actor=office,
        measure_id=cast.a.measure.pk,
        data=MeasureInput(
            text=f"{FIRST}并印发",
            leader_id=cast.a.users[Role.RESPONSIBLE_LEADER].pk,
            department_id=cast.a.department.pk,
            person_id=cast.a.users[Role.RESPONSIBLE_PERSON].pk,
            deadline=days(45),
        ),
    )
    measure_delete(actor=office, measure_id=cast.a.other_measure.pk)
    measure_create(
        actor=office,
        problem_id=cast.a.problem.pk,
        data=MeasureInput(
            text="每季度开展一次专项检查", department_id=cast.a.department.pk, deadline=days(90)
        ),
    )
    submit(cast)
    first, second = versions(cast)

    changes = plan_versions.diff(first.tree, second.tree)

    assert changes == [
        plan_versions.Change(
            LABEL,
            added=["每季度开展一次专项检查"],
            removed=[SECOND],
            changed=[
                (
                    f"{FIRST}并印发",
                    [
                        ("措施", FIRST, f"{FIRST}并印发"),
                        ("整改时限", old_deadline.isoformat(), days(45).isoformat()),
                    ],
                )
            ],
        )
    ]


def test_two_versions_alike_show_no_difference(ready: Cast) -> None:
    cast = ready
    submit(cast)
    move_plan(cast, leader_of(cast), "return", "请再斟酌")
    submit(cast)
    first, second = versions(cast)

    assert plan_versions.diff(first.tree, second.tree) == []
