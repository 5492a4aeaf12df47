"""The plan's way to approval, submitted (services/plan_review.py): the review that
refuses a submission on a hard error and keeps the soft warnings with the version. The
decisions that follow are test_plan_decisions.py."""

import datetime as dt
from typing import Any

import pytest

from tests.app.conftest import Cast
from tests.app.plan_support import (
    FIRST,
    LABEL,
    SECOND,
    days,
    events,
    inspection_of,
    leader_of,
    move_plan,
    office_of,
    ready_plan,
    review_state,
    submit,
    today,
    update_plan,
    versions,
)
from zhenggai.audit.chain import verify
from zhenggai.inspections.models import Problem
from zhenggai.inspections.states import PlanState
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.refusals import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(cast: Cast) -> Cast:
    """Unit a's plan, as it can be submitted without a warning (plan_support.ready_plan)."""
    return ready_plan(cast)


def _measures(cast: Cast, **fields: Any) -> None:
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(**fields)


# --- Submitting: the version kept -----------------------------------------------------


def test_submitting_keeps_the_plan_as_it_stands_as_a_version(ready: Cast) -> None:
    cast = ready
    deadline = cast.a.measure.deadline.isoformat() if cast.a.measure.deadline else ""

    inspection = submit(cast)

    assert inspection.plan_state == inspection_of(cast).plan_state == PlanState.SUBMITTED
    [version] = versions(cast)
    assert (version.number, version.amendment, version.outcome) == (1, False, "pending")
    assert version.submitted_by == office_of(cast)
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
    [event] = events("plan.submit")
    assert (event.object_id, event.actor_id) == (cast.a.inspection.pk, office_of(cast).pk)
    assert (event.before or {})["plan_state"] == PlanState.DRAFT
    assert (event.after or {})["plan_state"] == PlanState.SUBMITTED
    assert verify() is None


def test_the_version_keeps_what_was_submitted_whatever_is_written_after(ready: Cast) -> None:
    cast = ready
    submit(cast)
    move_plan(cast, leader_of(cast), "return", "措施不够具体")

    Measure.objects.filter(pk=cast.a.measure.pk).update(text="改写后的措施")

    [version] = versions(cast)
    assert version.tree[0]["measures"][0]["text"] == FIRST


def test_each_submission_is_a_new_version_numbered_in_turn(ready: Cast) -> None:
    cast = ready
    submit(cast)
    move_plan(cast, leader_of(cast), "return", "措施不够具体")

    submit(cast)

    assert [(v.number, v.outcome) for v in versions(cast)] == [(1, "returned"), (2, "pending")]
    assert len(events("plan.submit")) == 2


# --- Submitting: the hard errors refuse it --------------------------------------------


def _refused_submission(cast: Cast, match: str) -> None:
    before = review_state(cast)
    with pytest.raises(Refused, match=f"^整改方案还不能报送：.*{match}"):
        submit(cast)
    assert review_state(cast) == before
    assert inspection_of(cast).plan_state == PlanState.DRAFT
    assert not versions(cast)


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

    assert submit(ready).plan_state == PlanState.SUBMITTED


def test_it_refuses_to_submit_a_measure_without_a_deadline(ready: Cast) -> None:
    _measures(ready, deadline=None, original_deadline=None)

    _refused_submission(ready, f"{LABEL}：2. 未定整改时限")


def test_it_refuses_to_submit_a_deadline_before_the_feedback_date(ready: Cast) -> None:
    feedback = days(-10)
    update_plan(ready, feedback_date=feedback)
    _measures(ready, deadline=days(-11))

    _refused_submission(ready, f"2. 整改时限不能早于反馈日期（{feedback.isoformat()}）")


def test_it_refuses_to_submit_a_deadline_in_the_past(ready: Cast) -> None:
    update_plan(ready, feedback_date=days(-30))
    _measures(ready, deadline=days(-1))

    _refused_submission(ready, f"2. 整改时限不能早于今天（{today().isoformat()}）")


def test_it_refuses_to_submit_a_deadline_beyond_the_longest_term(ready: Cast) -> None:
    feedback = days(-10)
    update_plan(ready, feedback_date=feedback)
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
        deadline=days(30),
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
    before = review_state(ready)

    with pytest.raises(Refused) as refused:
        submit(ready)

    why = str(refused.value)
    assert why.count("该问题还没有整改措施") == 5
    assert "问题6" in why and "问题7" not in why
    assert why.endswith("等7处")
    assert review_state(ready) == before


# --- Submitting: the soft warnings are kept and do not block ----------------------------


def _warned(cast: Cast, code: str, measure: Measure) -> dict[str, Any]:
    inspection = submit(cast)
    assert inspection.plan_state == PlanState.SUBMITTED
    [version] = versions(cast)
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
    _measures(ready, type=Measure.Type.IMMEDIATE, deadline=days(61))

    warning = _warned(ready, "immediate_far", ready.a.other_measure)

    assert "立行立改的措施时限在起算日61天后" in warning["message"]


def test_a_long_term_measure_without_a_check_is_submitted_with_its_warning(
    ready: Cast,
) -> None:
    _measures(ready, type=Measure.Type.LONG_TERM, text="建立理论学习台账，长期坚持")

    warning = _warned(ready, "long_term_unchecked", ready.a.other_measure)

    assert warning["message"].startswith("长期坚持的措施没有阶段性检查安排")
