"""The plan editor through the API (api/plan.py): each write as the rectification
office, which may; refused in Chinese to the roles that may not, changing nothing;
not found for another organisation's people. The services' own rules are tested
in test_plan_measures.py, test_plan_levels.py and test_plan_edits.py: here, that the
API reaches them and answers what they did. The review, the versions and the moves
of the plan are test_api_plan_versions.py.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.app.conftest import Cast
from tests.app.plan_support import (
    API_SECOND,
    OTHER_ROLES,
    Answer,
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
from zhenggai.audit.chain import verify
from zhenggai.inspections.models import Category, Problem
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast: Cast) -> Plan:
    """Unit a's plan, as it can be submitted, with a sub-problem (plan_support.api_plan)."""
    return api_plan(cast)


@pytest.fixture
def unchanged(plan: Plan) -> Iterator[None]:
    before = everything()
    yield
    assert everything() == before


# ---- measures ----------------------------------------------------------------


def test_the_office_adds_a_measure_under_a_problem(plan: Plan) -> None:
    a, seq = plan.cast.a, last_seq()
    body = measure_body(plan)

    answer = call(plan.office, "POST", f"/problems/{a.problem.pk}/measures", body)

    assert answer.status == 200
    created = Measure.objects.get(pk=answer.data["id"])
    assert answer.data == {
        "id": created.pk,
        "problem": a.problem.pk,
        "position": 3,
        "text": body["text"],
        "target": "学习制度落实",
        "type": "time_bound",
        "type_label": "限期整改",
        "leader_id": body["leader_id"],
        "department_id": a.department.pk,
        "person_id": body["person_id"],
        "deadline": body["deadline"],
        "weight": 3,
        "expected_evidence": "考勤表、通报文件",
        "state": "not_started",
        "state_label": "未开始",
    }
    assert (created.problem, str(created.original_deadline)) == (a.problem, iso_days(90))
    assert actions_since(seq) == ["measure.create"]


def test_the_office_edits_a_measure(plan: Plan) -> None:
    measure, seq = plan.cast.a.other_measure, last_seq()
    body = measure_body(plan, text="改写后的措施：11月底前完成", type="immediate", weight=5)

    answer = call(plan.office, "PUT", f"/measures/{measure.pk}/plan", body)

    assert answer.status == 200
    assert (answer.data["text"], answer.data["type_label"], answer.data["weight"]) == (
        "改写后的措施：11月底前完成",
        "立行立改",
        5,
    )
    measure.refresh_from_db()
    assert (measure.text, measure.type, str(measure.deadline)) == (
        "改写后的措施：11月底前完成",
        "immediate",
        iso_days(90),
    )
    assert actions_since(seq) == ["measure.edit"]


def test_the_office_deletes_a_measure_and_the_rest_close_up(plan: Plan) -> None:
    a, seq = plan.cast.a, last_seq()

    answer = call(plan.office, "DELETE", f"/measures/{a.measure.pk}/plan")

    assert (answer.status, answer.data) == (204, None)
    assert not Measure.objects.filter(pk=a.measure.pk).exists()
    assert Measure.objects.get(pk=a.other_measure.pk).position == 1
    assert actions_since(seq) == ["measure.delete"]


def test_the_office_moves_a_measure_to_another_position(plan: Plan) -> None:
    a, seq = plan.cast.a, last_seq()

    answer = call(plan.office, "POST", f"/measures/{a.other_measure.pk}/position", {"position": 1})

    assert (answer.status, answer.data["position"]) == (200, 1)
    assert Measure.objects.get(pk=a.measure.pk).position == 2
    assert actions_since(seq) == ["measure.reorder"]


# ---- levels and problems ---------------------------------------------------------


def test_a_measure_becomes_a_sub_problem(plan: Plan) -> None:
    a, seq = plan.cast.a, last_seq()

    answer = call(plan.office, "POST", f"/measures/{a.other_measure.pk}/to-subproblem")

    assert answer.status == 200
    sub = Problem.objects.get(pk=answer.data["id"])
    assert (sub.parent, sub.title, answer.data["parent"]) == (a.problem, API_SECOND, a.problem.pk)
    assert not Measure.objects.filter(pk=a.other_measure.pk).exists()
    assert actions_since(seq) == ["problem.create", "measure.to_subproblem"]


def test_a_sub_problem_becomes_a_measure_of_its_parent(plan: Plan) -> None:
    seq = last_seq()

    answer = call(plan.office, "POST", f"/problems/{plan.sub.pk}/to-measure")

    assert answer.status == 200
    measure = Measure.objects.get(pk=answer.data["id"])
    assert (measure.problem, answer.data["problem"]) == (plan.second, plan.second.pk)
    assert measure.text == "（1）三重一大制度落实不到位的问题"
    assert Measure.objects.get(pk=plan.sub_measure.pk).problem == plan.second
    assert not Problem.objects.filter(pk=plan.sub.pk).exists()
    assert actions_since(seq) == ["measure.create", "measure.move", "problem.to_measure"]


def test_a_problem_nests_under_another(plan: Plan) -> None:
    a, seq = plan.cast.a, last_seq()

    answer = call(
        plan.office, "POST", f"/problems/{a.problem.pk}/nest", {"parent_id": plan.second.pk}
    )

    assert (answer.status, answer.data["parent"], answer.data["position"]) == (
        200,
        plan.second.pk,
        2,
    )
    assert Problem.objects.get(pk=a.problem.pk).parent == plan.second
    assert actions_since(seq) == ["problem.nest"]


def test_a_problem_is_retitled(plan: Plan) -> None:
    a, seq = plan.cast.a, last_seq()

    answer = call(plan.office, "POST", f"/problems/{a.problem.pk}/title", {"title": " 学习不深入 "})

    assert (answer.status, answer.data["title"]) == (200, "学习不深入")
    assert Problem.objects.get(pk=a.problem.pk).title == "学习不深入"
    assert actions_since(seq) == ["problem.retitle"]


def test_a_problem_is_merged_into_another(plan: Plan) -> None:
    a = plan.cast.a

    answer = call(
        plan.office, "POST", f"/problems/{a.problem.pk}/merge", {"into_id": plan.second.pk}
    )

    assert (answer.status, answer.data["id"]) == (200, plan.second.pk)
    assert not Problem.objects.filter(pk=a.problem.pk).exists()
    assert Measure.objects.get(pk=a.measure.pk).problem == plan.second


def test_a_problem_is_split(plan: Plan) -> None:
    a = plan.cast.a
    body = {"title": "学习考勤不严", "measure_ids": [a.other_measure.pk]}

    answer = call(plan.office, "POST", f"/problems/{a.problem.pk}/split", body)

    assert (answer.status, answer.data["title"], answer.data["position"]) == (
        200,
        "学习考勤不严",
        2,
    )
    assert Measure.objects.get(pk=a.other_measure.pk).problem_id == answer.data["id"]


def test_a_problem_moves_to_another_category(plan: Plan) -> None:
    a = plan.cast.a
    other = Category.objects.create(inspection=a.inspection, position=2, title="组织建设方面")
    body = {"category_id": other.pk, "position": 1}

    answer = call(plan.office, "POST", f"/problems/{plan.sub.pk}/position", body)

    assert (answer.status, answer.data["category"], answer.data["parent"]) == (200, other.pk, None)
    assert Measure.objects.get(pk=plan.sub_measure.pk).category == other


# ---- refusals -----------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    method: str
    path: str
    body: Callable[[Plan], Any] = lambda _plan: None


def _ids(plan: Plan) -> dict[str, int]:
    a = plan.cast.a
    return {
        "measure": a.measure.pk,
        "other": a.other_measure.pk,
        "problem": a.problem.pk,
        "second": plan.second.pk,
        "sub": plan.sub.pk,
        "category": a.problem.category_id,
        "inspection": a.inspection.pk,
    }


# Every write of api/plan.py, as the rectification office may make it in a draft.
WRITES = {
    "create": Op("POST", "/problems/{problem}/measures", measure_body),
    "edit": Op("PUT", "/measures/{measure}/plan", measure_body),
    "delete": Op("DELETE", "/measures/{other}/plan"),
    "reorder": Op("POST", "/measures/{other}/position", lambda _p: {"position": 1}),
    "to_subproblem": Op("POST", "/measures/{other}/to-subproblem"),
    "to_measure": Op("POST", "/problems/{sub}/to-measure"),
    "nest": Op("POST", "/problems/{problem}/nest", lambda p: {"parent_id": p.second.pk}),
    "retitle": Op("POST", "/problems/{problem}/title", lambda _p: {"title": "学习不深入"}),
    "merge": Op("POST", "/problems/{problem}/merge", lambda p: {"into_id": p.second.pk}),
    "split": Op(
        "POST",
        "/problems/{problem}/split",
        lambda p: {"title": "新问题", "measure_ids": [p.cast.a.other_measure.pk]},
    ),
    "relocate": Op(
        "POST",
        "/problems/{sub}/position",
        lambda p: {"category_id": p.cast.a.problem.category_id, "position": 1},
    ),
    "record_approved": Op(
        "POST", "/inspections/{inspection}/plan/record-approved", lambda _p: {"comment": "批复"}
    ),
}
READS = {
    "review": Op("GET", "/inspections/{inspection}/plan/review"),
    "versions": Op("GET", "/inspections/{inspection}/plan/versions"),
    "diff": Op("GET", "/inspections/{inspection}/plan/versions/1/diff/1"),
}


def _send(plan: Plan, user: User, op: Op) -> Answer:
    return call(user, op.method, op.path.format(**_ids(plan)), op.body(plan))


@pytest.mark.parametrize("name", WRITES)
def test_each_write_works_for_the_rectification_office(plan: Plan, name: str) -> None:
    answer = _send(plan, plan.office, WRITES[name])
    assert answer.status == (204 if WRITES[name].method == "DELETE" else 200), answer.data
    assert verify() is None


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("name", WRITES)
def test_each_write_is_refused_to_the_other_roles_and_changes_nothing(
    plan: Plan, unchanged: None, name: str, role: Role
) -> None:
    answer = _send(plan, plan.user(role), WRITES[name])
    assert answer.status == 409
    assert "只有整改办公室可以" in answer.data["detail"]


@pytest.mark.parametrize("name", WRITES)
def test_each_write_is_refused_once_the_plan_is_submitted(plan: Plan, name: str) -> None:
    assert api_move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200
    before = everything()

    answer = _send(plan, plan.office, WRITES[name])

    assert answer.status == 409
    assert "待审批" in answer.data["detail"] or "尚未审批" in answer.data["detail"], answer.data
    assert everything() == before


@pytest.mark.parametrize("stranger", ["b_rectification_office", "b_first_responsible", "outsider"])
@pytest.mark.parametrize("name", [*WRITES, *READS])
def test_another_organisations_plan_is_not_found(
    plan: Plan, unchanged: None, name: str, stranger: str
) -> None:
    op = WRITES.get(name) or READS[name]
    answer = _send(plan, plan.cast.everyone[stranger], op)
    assert answer.status == 404
    assert "未找到" in answer.data["detail"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"text": "  "}, "请填写整改措施"),
        ({"type": "someday"}, "整改类型应为立行立改、限期整改或长期坚持"),
        ({"weight": 0}, "权重应为 1 到 100 的整数"),
        ({"weight": 10**30}, "权重应为 1 到 100 的整数"),
        ({"target": "长" * 20_001}, "整改目标不能超过 20000 个字"),
        ({"expected_evidence": "a\x00b"}, "佐证材料要求含有不能保存的字符"),
        ({"deadline": "2000-01-01"}, "整改时限不能早于今天"),
    ],
)
def test_what_the_service_refuses_is_refused_in_its_words(
    plan: Plan, unchanged: None, changes: dict[str, Any], reason: str
) -> None:
    answer = call(
        plan.office,
        "POST",
        f"/problems/{plan.cast.a.problem.pk}/measures",
        measure_body(plan, **changes),
    )
    assert answer.status == 409
    assert reason in answer.data["detail"]


def test_a_position_out_of_range_is_refused_in_the_services_words(
    plan: Plan, unchanged: None
) -> None:
    answer = call(
        plan.office, "POST", f"/measures/{plan.cast.a.measure.pk}/position", {"position": 9}
    )
    assert (answer.status, answer.data) == (409, {"detail": "位置应在 1 到 2 之间"})


def test_the_anonymous_are_asked_to_sign_in(plan: Plan, unchanged: None) -> None:
    for op in [*WRITES.values(), *READS.values()]:
        response = Client().generic(
            op.method,
            "/api" + op.path.format(**_ids(plan)),
            json.dumps(op.body(plan)),
            content_type="application/json",
        )
        assert response.status_code == 401, op.path
