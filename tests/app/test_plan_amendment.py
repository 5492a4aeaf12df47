"""After its first approval the plan changes only by amendment: a 回头看 that finds
a relapse reopens the problem, the rectification office adds measures to it (the
plan becomes 修订中), and the amendment goes through the same approval. Work on a
measure starts it, and a started measure is no longer the plan's to change."""

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.app.conftest import Cast
from tests.app.plan_support import (
    approve,
    days,
    events,
    inspection_of,
    leader_of,
    move_plan,
    office_of,
    submit,
    today,
    versions,
)
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger import plan_versions
from zhenggai.ledger.models import Approval, Measure, PlanVersion
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.refusals import Refused
from zhenggai.services import ledger as services
from zhenggai.services.plan_measures import (
    MeasureInput,
    measure_create,
    measure_delete,
    measure_edit,
)

pytestmark = pytest.mark.django_db

FIRST = "6月底前修订《理论学习中心组学习制度》"
SECOND = "每月召开一次专题学习会"
NEW = "每季度开展一次专项检查，年底回头看"
LABEL = "一、（一）理论学习不深入"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _accept(cast: Cast) -> Inspection:
    return move_plan(cast, cast.office_user, "accept", "同意")


def _person(cast: Cast) -> User:
    return cast.a.users[Role.RESPONSIBLE_PERSON]


def _problem(cast: Cast) -> Problem:
    return Problem.objects.get(pk=cast.a.problem.pk)


def _everything(cast: Cast) -> dict[str, Any]:
    """All a write of the plan could change: to compare before and after a refusal."""
    inspection = inspection_of(cast)
    return {
        "plan": (inspection.plan_state, inspection.plan_approved),
        "measures": list(Measure.objects.filter(inspection=inspection).order_by("pk").values()),
        "versions": list(PlanVersion.objects.filter(inspection=inspection).order_by("pk").values()),
        "approvals": Approval.objects.count(),
        "events": Event.objects.count(),
    }


def _new_measure(**changes: Any) -> MeasureInput:
    fields: dict[str, Any] = {"text": NEW, "deadline": days(90)} | changes
    return MeasureInput(**fields)


def _add(cast: Cast, **changes: Any) -> Measure:
    data = _new_measure(department_id=cast.a.department.pk, **changes)
    return measure_create(actor=office_of(cast), problem_id=cast.a.problem.pk, data=data)


def _approved_plan(cast: Cast) -> None:
    """Unit a's plan submitted, approved by its leader and accepted by the office."""
    Measure.objects.filter(pk=cast.a.measure.pk).update(text=FIRST)
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(text=SECOND)
    submit(cast)
    approve(cast)
    _accept(cast)


def _signed_off(cast: Cast) -> None:
    """The problem's work done and signed off (the ledger's own tests walk that way)."""
    Measure.objects.filter(problem=cast.a.problem).update(state=State.SIGNED_OFF)
    Problem.objects.filter(pk=cast.a.problem.pk).update(state=State.SIGNED_OFF)


def _relapse(cast: Cast) -> None:
    """回头看 by the inspection office finds the problem back."""
    services.follow_up_record(
        actor=cast.office_user,
        problem_id=cast.a.problem.pk,
        date=today(),
        finding="理论学习仍流于形式",
        relapsed=True,
    )


@pytest.fixture
def reopened(cast: Cast) -> Cast:
    """Unit a's plan approved, its problem signed off, then reopened by a 回头看."""
    _approved_plan(cast)
    _signed_off(cast)
    _relapse(cast)
    return cast


# --- The whole way ----------------------------------------------------------------------


def test_a_relapse_is_put_right_by_an_amendment_approved_as_the_plan_was(cast: Cast) -> None:
    _approved_plan(cast)
    first_approval = inspection_of(cast).plan_approved
    assert first_approval is not None
    _signed_off(cast)

    _relapse(cast)
    assert _problem(cast).state == State.REOPENED
    assert inspection_of(cast).plan_state == PlanState.APPROVED

    new = _add(cast)
    assert inspection_of(cast).plan_state == PlanState.AMENDING
    [amend] = events("plan.amend")
    assert amend.actor_id == office_of(cast).pk

    submit(cast)
    first, second = versions(cast)
    assert (second.number, second.amendment, second.outcome) == (2, True, "pending")
    assert second.warnings == []
    assert inspection_of(cast).plan_state == PlanState.SUBMITTED

    approve(cast)
    assert inspection_of(cast).plan_state == PlanState.OFFICE_REVIEW

    _accept(cast)
    inspection = inspection_of(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved == first_approval  # the first approval stays the first
    assert [(v.number, v.outcome) for v in versions(cast)] == [(1, "approved"), (2, "approved")]
    assert plan_versions.diff(first.tree, second.tree) == [plan_versions.Change(LABEL, added=[NEW])]
    assert [e.action for e in Event.objects.filter(action__startswith="plan.")] == [
        "plan.submit",
        "plan.approve",
        "plan.accept",
        "plan.amend",
        "plan.submit",
        "plan.approve",
        "plan.accept",
    ]
    assert Measure.objects.get(pk=new.pk).state == State.NOT_STARTED
    assert verify() is None


# --- What an amendment may change --------------------------------------------------------


def test_a_problem_not_reopened_takes_no_measure_in_an_amendment(reopened: Cast) -> None:
    cast = reopened
    other = Problem.objects.create(
        inspection=cast.a.inspection,
        category=cast.a.problem.category,
        position=2,
        title="制度执行不严",
        state=State.SIGNED_OFF,
    )
    _add(cast)
    before = _everything(cast)

    with pytest.raises(Refused, match="整改方案已审批，只能为回头看后重新整改的问题新增措施"):
        measure_create(actor=office_of(cast), problem_id=other.pk, data=_new_measure())
    assert _everything(cast) == before


def test_the_measures_approved_before_are_not_changed_in_an_amendment(reopened: Cast) -> None:
    cast = reopened
    _add(cast)
    before = _everything(cast)

    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_edit(
            actor=office_of(cast), measure_id=cast.a.measure.pk, data=_new_measure(text="改写")
        )
    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_delete(actor=office_of(cast), measure_id=cast.a.measure.pk)
    assert _everything(cast) == before


def test_only_the_rectification_office_amends_the_plan(reopened: Cast) -> None:
    cast = reopened
    before = _everything(cast)

    for user in [*cast.a.users.values(), cast.office_user]:
        if user == office_of(cast):
            continue
        with pytest.raises(Refused, match="只有整改办公室可以修改整改措施"):
            measure_create(actor=user, problem_id=cast.a.problem.pk, data=_new_measure())
    assert _everything(cast) == before


def test_an_amendment_under_approval_is_not_written_and_the_refusal_says_why(
    reopened: Cast,
) -> None:
    """The problem is reopened and the measure new: what stops the write is that the
    amendment waits for its approval, and the reason says so."""
    cast = reopened
    new = _add(cast)
    submit(cast)
    before = _everything(cast)

    with pytest.raises(Refused, match="「待审批」"):
        _add(cast, text="另一条新措施")
    with pytest.raises(Refused, match="「待审批」"):
        measure_edit(actor=office_of(cast), measure_id=new.pk, data=_new_measure(text="改写"))
    assert _everything(cast) == before


def test_an_amendment_a_year_after_the_feedback_takes_a_deadline_a_month_away(
    reopened: Cast,
) -> None:
    """回头看 comes a year or more after the feedback: the new measure's term counts
    from the amendment, or no deadline at all could be set."""
    cast = reopened
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(feedback_date=days(-400))

    new = _add(cast, deadline=days(30))

    assert new.deadline == days(30)
    assert inspection_of(cast).plan_state == PlanState.AMENDING


def test_an_approved_amendment_measure_changes_only_by_opening_a_new_amendment(
    reopened: Cast,
) -> None:
    """Once the amendment is approved, its measure is part of the approved plan even
    before work starts: changing it sends the plan back to approval (修订中), as
    adding one does, and never leaves it 已审批 with what nobody approved."""
    cast = reopened
    new = _add(cast)
    submit(cast)
    approve(cast)
    _accept(cast)

    measure_edit(
        actor=office_of(cast),
        measure_id=new.pk,
        data=_new_measure(department_id=cast.a.department.pk, deadline=days(200)),
    )

    assert inspection_of(cast).plan_state == PlanState.AMENDING
    assert len(events("plan.amend")) == 2


def test_once_worked_on_the_new_measure_is_no_longer_the_plans_to_change(
    reopened: Cast,
) -> None:
    cast = reopened
    new = _add(cast, person_id=_person(cast).pk)
    services.progress_record(
        actor=_person(cast), measure_id=new.pk, date=today(), text="已制定检查计划"
    )
    before = _everything(cast)

    with pytest.raises(Refused, match="只能为回头看后重新整改的问题新增措施"):
        measure_edit(actor=office_of(cast), measure_id=new.pk, data=_new_measure(text="改写"))
    assert _everything(cast) == before


# --- Reviewing an amendment --------------------------------------------------------------


def test_an_amendment_reviews_only_the_reopened_problems_new_measures(reopened: Cast) -> None:
    """The measures approved before keep their long-past deadlines and their owners
    as they were: they are not the amendment's to correct."""
    cast = reopened
    Measure.objects.filter(problem=cast.a.problem).update(
        deadline=days(-200), department=None, person=None
    )
    closed = Problem.objects.create(
        inspection=cast.a.inspection,
        category=cast.a.problem.category,
        position=2,
        title="制度执行不严",
        state=State.SIGNED_OFF,
    )
    _add(cast)

    submit(cast)

    [_first, second] = versions(cast)
    assert second.amendment and second.warnings == []
    assert not closed.measures.exists()


def test_an_amendment_without_a_new_measure_is_not_submitted(reopened: Cast) -> None:
    cast = reopened
    new = _add(cast)
    measure_delete(actor=office_of(cast), measure_id=new.pk)
    assert inspection_of(cast).plan_state == PlanState.AMENDING
    before = _everything(cast)

    with pytest.raises(Refused, match=f"{LABEL}：重新整改的问题还没有新的整改措施"):
        submit(cast)
    assert _everything(cast) == before


def test_a_new_measure_without_a_deadline_blocks_the_amendment(reopened: Cast) -> None:
    cast = reopened
    _add(cast, deadline=None)
    before = _everything(cast)

    with pytest.raises(Refused, match=f"{LABEL}：3. 未定整改时限"):
        submit(cast)
    assert _everything(cast) == before


def test_a_vague_new_measure_is_submitted_with_its_warning(reopened: Cast) -> None:
    cast = reopened
    new = _add(cast, text="进一步提高思想认识，切实加强理论学习")

    submit(cast)

    warnings = versions(cast)[-1].warnings
    assert [(w["measure"], w["code"]) for w in warnings] == [(new.pk, "vague")]


def test_the_plan_is_not_submitted_as_approved_without_an_amendment(reopened: Cast) -> None:
    cast = reopened
    before = _everything(cast)

    with pytest.raises(Refused, match="当前状态为「已审批」，不能报送整改方案"):
        submit(cast)
    assert _everything(cast) == before


def test_the_leader_returns_an_amendment_and_the_office_corrects_its_new_measure(
    reopened: Cast,
) -> None:
    cast = reopened
    new = _add(cast)
    submit(cast)

    move_plan(cast, leader_of(cast), "return", "时限太长")
    inspection = inspection_of(cast)
    assert inspection.plan_state == PlanState.RETURNED
    assert inspection.plan_approved is not None
    measure_edit(
        actor=office_of(cast),
        measure_id=new.pk,
        data=_new_measure(department_id=cast.a.department.pk, deadline=days(30)),
    )
    submit(cast)

    kept = versions(cast)
    assert [(v.number, v.amendment, v.outcome) for v in kept] == [
        (1, False, "approved"),
        (2, True, "returned"),
        (3, True, "pending"),
    ]
    [change] = plan_versions.diff(kept[1].tree, kept[2].tree)
    assert change.changed == [(NEW, [("整改时限", days(90).isoformat(), days(30).isoformat())])]
    assert len(events("plan.amend")) == 1  # a returned amendment is still the same one


def test_the_inspection_office_sends_back_an_amendment_with_its_comment_on_the_problem(
    reopened: Cast,
) -> None:
    cast = reopened
    _add(cast)
    submit(cast)
    approve(cast)

    move_plan(cast, cast.office_user, "send_back", problem_comments={cast.a.problem.pk: "措施不足"})

    assert inspection_of(cast).plan_state == PlanState.RETURNED
    version = versions(cast)[-1]
    assert (version.outcome, version.problem_comments) == (
        "returned",
        {str(cast.a.problem.pk): "措施不足"},
    )


def test_when_the_office_does_not_review_plans_the_leader_approves_the_amendment(
    reopened: Cast,
) -> None:
    cast = reopened
    first_approval = inspection_of(cast).plan_approved
    OfficeSettings.objects.create(office=cast.office, reviews_plans=False)
    _add(cast)
    submit(cast)

    approve(cast)

    inspection = inspection_of(cast)
    assert inspection.plan_state == PlanState.APPROVED
    assert inspection.plan_approved == first_approval
    assert versions(cast)[-1].outcome == "approved"


# --- Work starts a measure ---------------------------------------------------------------


def _progress(cast: Cast, text: str = "已召开专题学习会") -> None:
    services.progress_record(
        actor=_person(cast), measure_id=cast.a.measure.pk, date=today(), text=text
    )


def test_progress_on_a_measure_not_started_starts_it_and_its_problem(cast: Cast) -> None:
    _progress(cast)

    assert Measure.objects.get(pk=cast.a.measure.pk).state == State.IN_PROGRESS
    assert _problem(cast).state == State.IN_PROGRESS
    [start] = events("measure.start")
    assert (start.object_id, start.actor_id) == (cast.a.measure.pk, _person(cast).pk)
    assert (start.before or {})["state"] == State.NOT_STARTED
    assert (start.after or {})["state"] == State.IN_PROGRESS
    assert (start.after or {})["comment"] == "随填报整改进展开始整改"
    [problem_start] = events("problem.start")
    assert problem_start.object_id == cast.a.problem.pk
    assert verify() is None


def test_evidence_on_a_measure_not_started_starts_it_and_its_problem(cast: Cast) -> None:
    services.evidence_add(
        actor=_person(cast),
        measure_id=cast.a.measure.pk,
        name="会议纪要.pdf",
        content=PDF,
        effective_date=today(),
    )

    assert Measure.objects.get(pk=cast.a.measure.pk).state == State.IN_PROGRESS
    assert _problem(cast).state == State.IN_PROGRESS
    [start] = events("measure.start")
    assert (start.after or {})["comment"] == "随上传佐证材料开始整改"
    assert len(events("problem.start")) == 1


def test_more_work_on_a_measure_under_way_starts_nothing_again(cast: Cast) -> None:
    _progress(cast)

    _progress(cast, "已完成制度修订初稿")

    assert len(events("measure.start")) == 1
    assert len(events("problem.start")) == 1
    assert len(events("progress.create")) == 2


def test_work_refused_starts_nothing(cast: Cast) -> None:
    before = _everything(cast)

    with pytest.raises(Refused, match="请填写整改进展"):
        _progress(cast, " ")
    with pytest.raises(Refused, match="只有"):
        services.progress_record(
            actor=_person(cast),
            measure_id=cast.a.other_measure.pk,  # another department's
            date=today(),
            text="已召开专题学习会",
        )
    assert _everything(cast) == before
    assert _problem(cast).state == State.NOT_STARTED
