"""The plan's way to approval (services/plan_review.py): the review that refuses a
submission on a hard error and keeps the soft warnings with the version, the
leader's and the inspection office's decisions, who may make each, and what
changed between two versions (ledger/plan_versions.py)."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import PlanState
from zhenggai.ledger import limits, plan_versions
from zhenggai.ledger.models import Approval, Measure, PlanVersion
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services.plan_measures import (
    MeasureInput,
    measure_create,
    measure_delete,
    measure_edit,
)
from zhenggai.services.plan_review import plan_move, plan_record_approved

pytestmark = pytest.mark.django_db

FIRST = "6月底前修订《理论学习中心组学习制度》"
SECOND = "每月召开一次专题学习会"
LABEL = "一、（一）理论学习不深入"


def _today() -> dt.date:
    return timezone.localdate()


def _days(n: int) -> dt.date:
    return _today() + dt.timedelta(days=n)


@pytest.fixture
def ready(cast: Cast) -> Cast:
    """Unit a's plan as it can be submitted without a warning: one problem, two
    concrete measures, each with an owner and a deadline a month away."""
    Measure.objects.filter(pk=cast.a.measure.pk).update(text=FIRST)
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(text=SECOND)
    return cast


def _office(cast: Cast) -> User:
    return cast.a.users[Role.RECTIFICATION_OFFICE]


def _leader(cast: Cast) -> User:
    return cast.a.users[Role.FIRST_RESPONSIBLE]


def _move(
    cast: Cast,
    actor: User,
    move: str,
    comment: str = "",
    problem_comments: dict[int, str] | None = None,
) -> Inspection:
    return plan_move(
        actor=actor,
        inspection_id=cast.a.inspection.pk,
        move=move,
        data=MoveInput(comment=comment),
        problem_comments=problem_comments,
    )


def _submit(cast: Cast) -> Inspection:
    return _move(cast, _office(cast), "submit")


def _approve(cast: Cast) -> Inspection:
    return _move(cast, _leader(cast), "approve", "同意")


def _inspection(cast: Cast) -> Inspection:
    return Inspection.objects.get(pk=cast.a.inspection.pk)


def _versions(cast: Cast) -> list[PlanVersion]:
    return list(PlanVersion.objects.filter(inspection=cast.a.inspection).order_by("number"))


def _everything(cast: Cast) -> dict[str, Any]:
    """All a move of the plan could change: to compare before and after a refusal."""
    inspection = _inspection(cast)
    return {
        "plan": (inspection.plan_state, inspection.plan_approved),
        "versions": list(PlanVersion.objects.filter(inspection=inspection).order_by("pk").values()),
        "approvals": Approval.objects.count(),
        "events": Event.objects.count(),
    }


def _events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


def _plan(cast: Cast, **fields: Any) -> None:
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(**fields)


def _measures(cast: Cast, **fields: Any) -> None:
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(**fields)


# --- Submitting: the version kept -----------------------------------------------------


def test_submitting_keeps_the_plan_as_it_stands_as_a_version(ready: Cast) -> None:
    cast = ready
    deadline = cast.a.measure.deadline.isoformat() if cast.a.measure.deadline else ""

    inspection = _submit(cast)

    assert inspection.plan_state == _inspection(cast).plan_state == PlanState.SUBMITTED
    [version] = _versions(cast)
    assert (version.number, version.amendment, version.outcome) == (1, False, "pending")
    assert version.submitted_by == _office(cast)
    assert version.warnings == []
    assert version.tree == [
        {
            "pk": cast.a.problem.pk,
            "label": LABEL,
            "measures": [
                {
                    "pk": cast.a.measure.pk,
                    "text": FIRST,
                    "target": "",
                    "type": "限期整改",
                    "leader": "a_responsible_leader",
                    "department": "新闻部",
                    "person": "a_responsible_person",
                    "deadline": deadline,
                    "weight": 1,
                    "expected_evidence": "",
                },
                {
                    "pk": cast.a.other_measure.pk,
                    "text": SECOND,
                    "target": "",
                    "type": "限期整改",
                    "leader": "",
                    "department": "办公室",
                    "person": "",
                    "deadline": deadline,
                    "weight": 1,
                    "expected_evidence": "",
                },
            ],
        }
    ]
    [event] = _events("plan.submit")
    assert (event.object_id, event.actor_id) == (cast.a.inspection.pk, _office(cast).pk)
    assert (event.before or {})["plan_state"] == PlanState.DRAFT
    assert (event.after or {})["plan_state"] == PlanState.SUBMITTED
    assert verify() is None


def test_the_version_keeps_what_was_submitted_whatever_is_written_after(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _move(cast, _leader(cast), "return", "措施不够具体")

    Measure.objects.filter(pk=cast.a.measure.pk).update(text="改写后的措施")

    [version] = _versions(cast)
    assert version.tree[0]["measures"][0]["text"] == FIRST


def test_each_submission_is_a_new_version_numbered_in_turn(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _move(cast, _leader(cast), "return", "措施不够具体")

    _submit(cast)

    assert [(v.number, v.outcome) for v in _versions(cast)] == [(1, "returned"), (2, "pending")]
    assert len(_events("plan.submit")) == 2


# --- Submitting: the hard errors refuse it --------------------------------------------


def _refused_submission(cast: Cast, match: str) -> None:
    before = _everything(cast)
    with pytest.raises(Refused, match=f"^整改方案还不能报送：.*{match}"):
        _submit(cast)
    assert _everything(cast) == before
    assert _inspection(cast).plan_state == PlanState.DRAFT
    assert not _versions(cast)


def test_it_refuses_to_submit_a_problem_without_a_measure(ready: Cast) -> None:
    Problem.objects.create(
        inspection=ready.a.inspection,
        category=ready.a.problem.category,
        position=2,
        title="制度执行不严",
    )

    _refused_submission(ready, "一、（二）制度执行不严：该问题还没有整改措施")


def test_it_refuses_to_submit_a_sub_problem_without_a_measure(ready: Cast) -> None:
    Problem.objects.create(
        inspection=ready.a.inspection,
        category=ready.a.problem.category,
        parent=ready.a.problem,
        position=1,
        title="学习流于形式",
    )

    _refused_submission(ready, "一、（一）1.学习流于形式：该问题还没有整改措施")


def test_it_refuses_to_submit_a_measure_without_a_department_or_a_person(ready: Cast) -> None:
    _measures(ready, department=None, person=None)

    _refused_submission(ready, f"{LABEL}：2. 未指定责任部门或责任人")


def test_a_person_without_a_department_is_owner_enough(ready: Cast) -> None:
    _measures(ready, department=None, person=ready.a.users[Role.RESPONSIBLE_PERSON])

    assert _submit(ready).plan_state == PlanState.SUBMITTED


def test_it_refuses_to_submit_a_measure_without_a_deadline(ready: Cast) -> None:
    _measures(ready, deadline=None, original_deadline=None)

    _refused_submission(ready, f"{LABEL}：2. 未定整改时限")


def test_it_refuses_to_submit_a_deadline_before_the_feedback_date(ready: Cast) -> None:
    feedback = _days(-10)
    _plan(ready, feedback_date=feedback)
    _measures(ready, deadline=_days(-11))

    _refused_submission(ready, f"2. 整改时限不能早于反馈日期（{feedback.isoformat()}）")


def test_it_refuses_to_submit_a_deadline_in_the_past(ready: Cast) -> None:
    _plan(ready, feedback_date=_days(-30))
    _measures(ready, deadline=_days(-1))

    _refused_submission(ready, f"2. 整改时限不能早于今天（{_today().isoformat()}）")


def test_it_refuses_to_submit_a_deadline_beyond_the_longest_term(ready: Cast) -> None:
    feedback = _days(-10)
    _plan(ready, feedback_date=feedback)
    latest = feedback + dt.timedelta(days=365)
    _measures(ready, deadline=latest + dt.timedelta(days=1))

    _refused_submission(ready, f"2. 整改时限超过巡察办规定的最长期限（{latest.isoformat()}")


def test_the_longest_term_of_a_submission_is_the_offices_setting(ready: Cast) -> None:
    OfficeSettings.objects.create(office=ready.office, longest_term_days=20)

    _refused_submission(ready, "1. 整改时限超过巡察办规定的最长期限（.*，反馈后20天）")


def test_it_refuses_a_measure_without_a_deadline_beside_sub_problems(ready: Cast) -> None:
    """A problem may hold measures of its own beside its sub-problems (a measure made
    a sub-problem leaves its siblings there): those are reviewed like any other."""
    sub = Problem.objects.create(
        inspection=ready.a.inspection,
        category=ready.a.problem.category,
        parent=ready.a.problem,
        position=1,
        title="学习流于形式",
    )
    Measure.objects.create(
        inspection=ready.a.inspection,
        category=ready.a.problem.category,
        problem=sub,
        position=1,
        text="每季度开展一次专项检查",
        department=ready.a.department,
        deadline=_days(30),
    )
    _measures(ready, deadline=None, original_deadline=None)

    _refused_submission(ready, f"{LABEL}：2. 未定整改时限")


def test_the_refusal_names_the_first_five_errors_and_counts_them_all(ready: Cast) -> None:
    for position in range(2, 9):
        Problem.objects.create(
            inspection=ready.a.inspection,
            category=ready.a.problem.category,
            position=position,
            title=f"问题{position}",
        )
    before = _everything(ready)

    with pytest.raises(Refused) as refused:
        _submit(ready)

    why = str(refused.value)
    assert why.count("该问题还没有整改措施") == 5
    assert "问题6" in why and "问题7" not in why
    assert why.endswith("等7处")
    assert _everything(ready) == before


# --- Submitting: the soft warnings are kept and do not block ----------------------------


def _warned(cast: Cast, code: str, measure: Measure) -> dict[str, Any]:
    inspection = _submit(cast)
    assert inspection.plan_state == PlanState.SUBMITTED
    [version] = _versions(cast)
    [warning] = [dict(w) for w in version.warnings if w["code"] == code]
    assert (warning["problem"], warning["measure"]) == (cast.a.problem.pk, measure.pk)
    assert [w["code"] for w in version.warnings] == [code]
    return warning


def test_a_vague_measure_is_submitted_with_its_warning(ready: Cast) -> None:
    _measures(ready, text="进一步提高思想认识，切实加强理论学习")

    warning = _warned(ready, "vague", ready.a.other_measure)

    assert warning["message"].startswith("措施较为笼统")


def test_a_duplicate_measure_is_submitted_with_its_warning_on_the_later_copy(
    ready: Cast,
) -> None:
    _measures(ready, text=FIRST)

    warning = _warned(ready, "duplicate", ready.a.other_measure)

    assert "相同或几乎相同" in warning["message"]


def test_an_immediate_measure_due_months_away_is_submitted_with_its_warning(
    ready: Cast,
) -> None:
    _measures(ready, type=Measure.Type.IMMEDIATE, deadline=_days(61))

    warning = _warned(ready, "immediate_far", ready.a.other_measure)

    assert "立行立改的措施时限在起算日61天后" in warning["message"]


def test_a_long_term_measure_without_a_check_is_submitted_with_its_warning(
    ready: Cast,
) -> None:
    _measures(ready, type=Measure.Type.LONG_TERM, text="建立理论学习台账，长期坚持")

    warning = _warned(ready, "long_term_unchecked", ready.a.other_measure)

    assert warning["message"].startswith("长期坚持的措施没有阶段性检查安排")


# --- The decisions ----------------------------------------------------------------------


def test_the_first_responsible_approves_and_the_plan_goes_to_the_inspection_office(
    ready: Cast,
) -> None:
    cast = ready
    _submit(cast)

    inspection = _approve(cast)

    assert inspection.plan_state == _inspection(cast).plan_state == PlanState.OFFICE_REVIEW
    assert _inspection(cast).plan_approved is None
    [version] = _versions(cast)
    assert (version.outcome, version.comment) == ("pending", "同意")
    [approval] = Approval.objects.filter(kind=Approval.Kind.PLAN)
    assert (approval.decision, approval.approver) == ("approve", _leader(cast))
    [event] = _events("plan.approve")
    assert (event.after or {})["comment"] == "同意"
    assert verify() is None


def test_when_the_office_does_not_review_plans_the_leaders_approval_is_the_last_word(
    ready: Cast,
) -> None:
    cast = ready
    OfficeSettings.objects.create(office=cast.office, reviews_plans=False)
    _submit(cast)

    _approve(cast)

    inspection = _inspection(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved is not None
    [version] = _versions(cast)
    assert version.outcome == "approved"
    decisions = Approval.objects.filter(kind=Approval.Kind.PLAN).order_by("pk")
    assert [a.decision for a in decisions] == ["approve", "accept"]
    [approved] = _events("plan.approve")
    [accepted] = _events("plan.accept")
    assert approved.seq < accepted.seq
    assert (accepted.after or {})["comment"] == "巡察办设置为无需审核整改方案"
    assert (accepted.after or {})["plan_state"] == PlanState.APPROVED
    assert verify() is None


def test_the_first_responsible_returns_the_plan_with_a_comment(ready: Cast) -> None:
    cast = ready
    _submit(cast)

    _move(cast, _leader(cast), "return", "措施不够具体")

    assert _inspection(cast).plan_state == PlanState.RETURNED
    [version] = _versions(cast)
    assert (version.outcome, version.comment) == ("returned", "措施不够具体")
    [approval] = Approval.objects.filter(kind=Approval.Kind.PLAN)
    assert (approval.decision, approval.comment) == ("return", "措施不够具体")
    [event] = _events("plan.return")
    assert (event.after or {})["plan_state"] == PlanState.RETURNED


@pytest.mark.parametrize(("move", "role"), [("return", "leader"), ("send_back", "office")])
def test_a_plan_is_not_returned_without_a_comment(ready: Cast, move: str, role: str) -> None:
    cast = ready
    _submit(cast)
    if role == "office":
        _approve(cast)
    actor = _leader(cast) if role == "leader" else cast.office_user
    before = _everything(cast)

    with pytest.raises(Refused, match="请填写意见"):
        _move(cast, actor, move, "  ")
    assert _everything(cast) == before


def test_the_inspection_office_accepts_and_the_plan_is_approved(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _approve(cast)

    _move(cast, cast.office_user, "accept", "同意该方案")

    inspection = _inspection(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved is not None
    [version] = _versions(cast)
    assert (version.outcome, version.comment) == ("approved", "同意\n同意该方案")
    assert Approval.objects.filter(kind=Approval.Kind.PLAN, decision="accept").count() == 1
    [event] = _events("plan.accept")
    assert event.actor_id == cast.office_user.pk
    assert (event.after or {})["plan_state"] == PlanState.APPROVED
    assert verify() is None


def test_the_inspection_office_sends_back_with_a_comment_per_problem(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _approve(cast)

    _move(
        cast,
        cast.office_user,
        "send_back",
        problem_comments={cast.a.problem.pk: "  措施缺少量化指标 "},
    )

    inspection = _inspection(cast)
    assert (inspection.plan_state, inspection.plan_approved) == (PlanState.RETURNED, None)
    [version] = _versions(cast)
    assert version.outcome == "returned"
    assert version.problem_comments == {str(cast.a.problem.pk): "措施缺少量化指标"}
    assert version.comment == "同意\n对1个问题提出了修改意见"
    [event] = _events("plan.send_back")
    assert (event.after or {})["comment"] == "对1个问题提出了修改意见"
    assert Approval.objects.filter(kind=Approval.Kind.PLAN, decision="send_back").count() == 1
    assert verify() is None


def test_comments_on_problems_of_another_plan_are_refused(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _approve(cast)
    before = _everything(cast)

    with pytest.raises(Refused, match="意见所针对的问题不属于该整改方案"):
        _move(cast, cast.office_user, "send_back", problem_comments={cast.b.problem.pk: "不具体"})
    assert _everything(cast) == before


def test_a_comment_on_a_problem_longer_than_its_limit_is_refused(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _approve(cast)
    before = _everything(cast)

    with pytest.raises(Refused, match=f"意见不能超过 {limits.COMMENT} 个字"):
        _move(
            cast,
            cast.office_user,
            "send_back",
            problem_comments={cast.a.problem.pk: "长" * (limits.COMMENT + 1)},
        )
    assert _everything(cast) == before


def test_a_returned_plan_is_corrected_and_submitted_again(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _approve(cast)
    _move(cast, cast.office_user, "send_back", "请细化措施")

    measure_edit(
        actor=_office(cast),
        measure_id=cast.a.other_measure.pk,
        data=MeasureInput(
            text="每月召开一次专题学习会，会后形成纪要",
            department_id=cast.a.department.pk,
            deadline=_days(30),
        ),
    )
    _submit(cast)

    assert [(v.number, v.outcome) for v in _versions(cast)] == [(1, "returned"), (2, "pending")]
    assert _inspection(cast).plan_state == PlanState.SUBMITTED


def test_a_plan_in_the_wrong_state_is_not_decided(ready: Cast) -> None:
    cast = ready
    before = _everything(cast)

    with pytest.raises(Refused, match="当前状态为「起草中」，不能审批整改方案"):
        _approve(cast)
    with pytest.raises(Refused, match="当前状态为「起草中」，不能同意整改方案"):
        _move(cast, cast.office_user, "accept")
    _submit(cast)
    with pytest.raises(Refused, match="当前状态为「待审批」，不能报送整改方案"):
        _submit(cast)
    assert len(_versions(cast)) == 1
    assert _everything(cast)["approvals"] == before["approvals"]


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
        _submit(cast)
    if state == PlanState.OFFICE_REVIEW:
        _approve(cast)


def _cast_of_a(cast: Cast) -> dict[Role, User]:
    return {**cast.a.users, Role.INSPECTION_OFFICE: cast.office_user}


@pytest.mark.parametrize("move", MOVES)
def test_each_move_is_refused_to_the_roles_that_do_not_make_it(ready: Cast, move: str) -> None:
    cast = ready
    allowed, refusal, state = MOVES[move]
    _brought_to(cast, state)
    before = _everything(cast)

    for role, user in _cast_of_a(cast).items():
        if role in allowed:
            continue
        with pytest.raises(Refused, match=refusal):
            _move(cast, user, move, "意见")
    assert _everything(cast) == before


@pytest.mark.parametrize("move", MOVES)
def test_another_unit_does_not_find_the_plan(ready: Cast, move: str) -> None:
    cast = ready
    _brought_to(cast, MOVES[move][2])
    before = _everything(cast)

    for stranger in [*cast.b.users.values(), cast.outsider]:
        with pytest.raises(NotFound):
            _move(cast, stranger, move, "意见")
    assert _everything(cast) == before


# --- A plan approved on paper -----------------------------------------------------------


def test_the_office_records_a_plan_approved_on_paper(ready: Cast) -> None:
    cast = ready

    plan_record_approved(
        actor=_office(cast), inspection_id=cast.a.inspection.pk, comment="县委巡察办〔2024〕5号"
    )

    inspection = _inspection(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved is not None
    [approval] = Approval.objects.filter(kind=Approval.Kind.PLAN)
    assert (approval.decision, approval.comment) == ("record", "县委巡察办〔2024〕5号")
    [event] = _events("plan.record")
    assert (event.after or {})["comment"] == "县委巡察办〔2024〕5号"
    assert (event.before or {})["plan_state"] == PlanState.DRAFT
    assert verify() is None


def test_a_paper_approval_names_its_document(ready: Cast) -> None:
    before = _everything(ready)

    with pytest.raises(Refused, match="请写明线下审批的情况"):
        plan_record_approved(
            actor=_office(ready), inspection_id=ready.a.inspection.pk, comment="  "
        )
    assert _everything(ready) == before


def test_only_a_plan_not_yet_approved_is_recorded_as_approved_on_paper(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    before = _everything(cast)

    with pytest.raises(Refused, match="只有尚未审批的整改方案可以登记为线下已审批"):
        plan_record_approved(
            actor=_office(cast), inspection_id=cast.a.inspection.pk, comment="县委巡察办〔2024〕5号"
        )
    assert _everything(cast) == before


def test_only_the_rectification_office_records_a_paper_approval(ready: Cast) -> None:
    cast = ready
    before = _everything(cast)

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
    assert _everything(cast) == before


# --- What changed between two versions --------------------------------------------------


def test_the_diff_of_two_versions_shows_an_added_a_removed_and_a_changed_measure(
    ready: Cast,
) -> None:
    cast = ready
    old_deadline = cast.a.measure.deadline
    assert old_deadline is not None
    _submit(cast)
    _move(cast, _leader(cast), "return", "请细化措施")
    office = _office(cast)
    measure_edit(
        actor=office,
        measure_id=cast.a.measure.pk,
        data=MeasureInput(
            text=f"{FIRST}并印发",
            leader_id=cast.a.users[Role.RESPONSIBLE_LEADER].pk,
            department_id=cast.a.department.pk,
            person_id=cast.a.users[Role.RESPONSIBLE_PERSON].pk,
            deadline=_days(45),
        ),
    )
    measure_delete(actor=office, measure_id=cast.a.other_measure.pk)
    measure_create(
        actor=office,
        problem_id=cast.a.problem.pk,
        data=MeasureInput(
            text="每季度开展一次专项检查", department_id=cast.a.department.pk, deadline=_days(90)
        ),
    )
    _submit(cast)
    first, second = _versions(cast)

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
                        ("整改时限", old_deadline.isoformat(), _days(45).isoformat()),
                    ],
                )
            ],
        )
    ]


def test_two_versions_alike_show_no_difference(ready: Cast) -> None:
    cast = ready
    _submit(cast)
    _move(cast, _leader(cast), "return", "请再斟酌")
    _submit(cast)
    first, second = _versions(cast)

    assert plan_versions.diff(first.tree, second.tree) == []
