"""The plan's review, versions and moves through the API (api/plan.py): what blocks
a submission, the versions with their comments per problem and their difference, a
plan recorded as approved on paper, and reads that cost as many queries however big
the plan. The services' own rules are tested in test_plan_review.py and
test_plan_decisions.py; the editor's writes through the API in test_api_plan.py.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.app.conftest import Cast
from tests.app.plan_support import (
    API_SECOND,
    CHINESE,
    Plan,
    actions_since,
    api_move,
    api_plan,
    call,
    everything,
    iso_days,
    last_seq,
    measure_body,
)
from tests.app.test_api_work import bearer
from zhenggai.audit.chain import verify
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.ledger.models import Approval, Measure, PlanVersion
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast: Cast) -> Plan:
    """Unit a's plan, as it can be submitted, with a sub-problem (plan_support.api_plan)."""
    return api_plan(cast)


def test_the_review_shows_what_blocks_the_submission_to_every_role(plan: Plan) -> None:
    a = plan.cast.a
    Measure.objects.filter(pk=a.other_measure.pk).update(department=None, person=None)
    empty = Problem.objects.create(
        inspection=a.inspection, category=a.problem.category, position=3, title="作风不实"
    )
    for role in a.users:
        answer = call(a.users[role], "GET", f"/inspections/{a.inspection.pk}/plan/review")
        assert answer.status == 200
        hard = {(f["problem"], f["measure"], f["code"]) for f in answer.data if f["hard"]}
        assert hard == {
            (a.problem.pk, a.other_measure.pk, "measure"),
            (empty.pk, None, "no_measure"),
        }
        assert all(CHINESE.search(f["message"]) for f in answer.data)


@pytest.mark.parametrize(
    ("role", "move"), [(Role.FIRST_RESPONSIBLE, "return"), (Role.INSPECTION_OFFICE, "send_back")]
)
def test_a_plan_returned_with_a_comment_per_problem_shows_them_in_its_versions(
    plan: Plan, role: Role, move: str
) -> None:
    a = plan.cast.a
    assert api_move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200
    if move == "send_back":
        assert api_move(plan, Role.FIRST_RESPONSIBLE, "approve").status == 200
    notes = {str(a.problem.pk): "措施不够具体", str(plan.second.pk): "  "}

    sent_back = api_move(plan, role, move, {"problem_comments": notes})

    assert sent_back.data["plan_state"] == "returned"
    version = PlanVersion.objects.get(inspection=a.inspection)
    assert version.problem_comments == {str(a.problem.pk): "措施不够具体"}
    assert version.comment == "对1个问题提出了修改意见"

    answer = call(a.users[Role.DISCIPLINE], "GET", f"/inspections/{a.inspection.pk}/plan/versions")

    assert answer.status == 200
    [shown] = answer.data
    assert {k: shown[k] for k in ("number", "amendment", "outcome", "outcome_label")} == {
        "number": 1,
        "amendment": False,
        "outcome": "returned",
        "outcome_label": "已退回",
    }
    assert shown["submitted_by"] == plan.office.username
    assert shown["problem_comments"] == {str(a.problem.pk): "措施不够具体"}
    assert shown["comment"] == "对1个问题提出了修改意见"


def test_the_diff_shows_what_changed_between_two_versions(plan: Plan) -> None:
    a = plan.cast.a
    api_move(plan, Role.RECTIFICATION_OFFICE, "submit")
    api_move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "时限太紧"})
    call(
        plan.office,
        "PUT",
        f"/measures/{a.other_measure.pk}/plan",
        measure_body(plan, text=API_SECOND, deadline=iso_days(120)),
    )
    assert api_move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200

    answer = call(
        a.users[Role.RESPONSIBLE_PERSON],
        "GET",
        f"/inspections/{a.inspection.pk}/plan/versions/1/diff/2",
    )

    assert answer.status == 200
    [change] = answer.data
    assert (change["new_problem"], change["added"], change["removed"]) == (False, [], [])
    [(measure, fields)] = [(c["measure"], c["fields"]) for c in change["changed"]]
    assert measure == API_SECOND
    assert {
        "field": "整改时限",
        "before": str(a.other_measure.deadline),
        "after": iso_days(120),
    } in fields
    versions = call(plan.office, "GET", f"/inspections/{a.inspection.pk}/plan/versions")
    assert [v["outcome"] for v in versions.data] == ["returned", "pending"]


def test_a_version_that_is_not_there_is_not_found(plan: Plan) -> None:
    a = plan.cast.a
    api_move(plan, Role.RECTIFICATION_OFFICE, "submit")

    answer = call(plan.office, "GET", f"/inspections/{a.inspection.pk}/plan/versions/1/diff/2")

    assert (answer.status, answer.data) == (404, {"detail": "未找到该版本的整改方案"})


def test_the_office_records_a_plan_approved_on_paper(plan: Plan) -> None:
    a, seq = plan.cast.a, last_seq()
    body = {"comment": "县融媒体中心党委〔2025〕3号批复"}

    answer = call(plan.office, "POST", f"/inspections/{a.inspection.pk}/plan/record-approved", body)

    assert answer.data == {
        "id": a.inspection.pk,
        "plan_state": "approved",
        "plan_state_label": "已审批",
    }
    inspection = Inspection.objects.get(pk=a.inspection.pk)
    assert inspection.plan_approved is not None
    assert Approval.objects.get(inspection=inspection).comment == body["comment"]
    assert actions_since(seq) == ["plan.record"]
    assert verify() is None


def test_the_office_cannot_send_back_comments_on_another_plans_problems(plan: Plan) -> None:
    api_move(plan, Role.RECTIFICATION_OFFICE, "submit")
    api_move(plan, Role.FIRST_RESPONSIBLE, "approve")
    before = everything()
    notes = {str(plan.cast.b.problem.pk): "不属于本方案"}

    answer = api_move(plan, Role.INSPECTION_OFFICE, "send_back", {"problem_comments": notes})

    assert (answer.status, answer.data) == (409, {"detail": "意见所针对的问题不属于该整改方案"})
    assert everything() == before


def test_a_plan_move_still_takes_a_comment_alone(plan: Plan) -> None:
    api_move(plan, Role.RECTIFICATION_OFFICE, "submit")

    answer = api_move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "请补充时限"})

    assert answer.data["plan_state"] == "returned"
    assert PlanVersion.objects.get(inspection=plan.cast.a.inspection).comment == "请补充时限"


def _queries(user: User, paths: list[str]) -> list[int]:
    headers = bearer(user)
    counts = []
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(f"/api{path}", headers=headers).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_reads_take_as_many_queries_whatever_the_plan_holds(plan: Plan) -> None:
    a = plan.cast.a
    base = f"/inspections/{a.inspection.pk}/plan"
    user = a.users[Role.RESPONSIBLE_LEADER]
    api_move(plan, Role.RECTIFICATION_OFFICE, "submit")
    api_move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "重写"})
    api_move(plan, Role.RECTIFICATION_OFFICE, "submit")
    small = _queries(user, [f"{base}/review", f"{base}/versions", f"{base}/versions/1/diff/2"])
    api_move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "再改"})
    for n in range(5):
        made = call(plan.office, "POST", f"/problems/{a.problem.pk}/measures", measure_body(plan))
        body = {"title": f"新问题{n}", "measure_ids": [made.data["id"]]}
        assert call(plan.office, "POST", f"/problems/{a.problem.pk}/split", body).status == 200
    assert api_move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200

    large = _queries(user, [f"{base}/review", f"{base}/versions", f"{base}/versions/2/diff/3"])

    assert large == small == [7, 4, 4]
