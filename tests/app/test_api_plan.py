"""The plan editor through the API (api/plan.py): each operation as the rectification
office, which may; refused in Chinese to the roles that may not, changing nothing;
not found for another organisation's people. The services' own rules are tested
in test_plan_measures.py, test_plan_edits.py and test_plan_review.py: here, that
the API reaches them and answers what they did.
"""

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.app.conftest import Cast
from tests.app.test_api_work import bearer
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.ledger.models import Approval, Measure, PlanVersion
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FIRST = "6月底前修订《理论学习中心组学习制度》，每季度开展专题学习不少于1次"
SECOND = "9月底前对全体党员开展一轮专题培训，培训结束后组织闭卷测试"


def _days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any


def call(user: User, method: str, path: str, body: Any = None) -> Answer:
    """A request as the user, by token, with a JSON body."""
    response = Client().generic(
        method,
        f"/api{path}",
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=bearer(user),
    )
    data = response.json() if response.content else None
    return Answer(response.status_code, data)


@dataclass(frozen=True)
class Plan:
    """Unit a's plan, as it can be submitted: the cast's problem with its two
    measures, and a second problem with a sub-problem holding a measure."""

    cast: Cast
    second: Problem
    sub: Problem
    sub_measure: Measure

    def user(self, role: Role) -> User:
        return self.cast.a.users[role]

    @property
    def office(self) -> User:
        return self.user(Role.RECTIFICATION_OFFICE)


@pytest.fixture
def plan(cast: Cast) -> Plan:
    a = cast.a
    Measure.objects.filter(pk=a.measure.pk).update(text=FIRST)
    Measure.objects.filter(pk=a.other_measure.pk).update(text=SECOND)
    second = Problem.objects.create(
        inspection=a.inspection, category=a.problem.category, position=2, title="制度执行不严格"
    )
    sub = Problem.objects.create(
        inspection=a.inspection,
        category=a.problem.category,
        parent=second,
        position=1,
        title="（1）三重一大制度落实不到位的问题",
    )
    sub_measure = Measure.objects.create(
        inspection=a.inspection,
        category=a.problem.category,
        problem=sub,
        position=1,
        text="10月底前修订三重一大决策制度实施办法，明确决策事项清单",
        department=a.department,
        deadline=a.measure.deadline,
        original_deadline=a.measure.deadline,
    )
    return Plan(cast, second, sub, sub_measure)


def measure_body(plan: Plan, **changes: Any) -> dict[str, Any]:
    a = plan.cast.a
    body = {
        "text": "12月底前建立理论学习考勤和通报制度，每半年通报一次",
        "target": "学习制度落实",
        "type": "time_bound",
        "leader_id": a.users[Role.RESPONSIBLE_LEADER].pk,
        "department_id": a.department.pk,
        "person_id": a.users[Role.RESPONSIBLE_PERSON].pk,
        "deadline": _days(90),
        "weight": 3,
        "expected_evidence": "考勤表、通报文件",
    }
    return body | changes


def everything() -> tuple[object, ...]:
    """What a write of the plan could change, to compare before and after a refusal."""
    return (
        list(Measure.objects.order_by("pk").values()),
        list(Problem.objects.order_by("pk").values()),
        list(Inspection.objects.order_by("pk").values("plan_state", "plan_approved")),
        list(PlanVersion.objects.order_by("pk").values()),
        Approval.objects.count(),
        Event.objects.count(),
    )


@pytest.fixture
def unchanged(plan: Plan) -> Iterator[None]:
    before = everything()
    yield
    assert everything() == before


def actions_since(seq: int) -> list[str]:
    return list(Event.objects.filter(seq__gt=seq).values_list("action", flat=True))


def last_seq() -> int:
    return Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


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
    assert (created.problem, str(created.original_deadline)) == (a.problem, _days(90))
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
        _days(90),
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
    assert (sub.parent, sub.title, answer.data["parent"]) == (a.problem, SECOND, a.problem.pk)
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


# ---- the review, the versions, the moves --------------------------------------------


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


def _move(plan: Plan, role: Role, move: str, body: dict[str, Any] | None = None) -> Answer:
    user = plan.cast.office_user if role == Role.INSPECTION_OFFICE else plan.user(role)
    return call(user, "POST", f"/inspections/{plan.cast.a.inspection.pk}/plan/{move}", body or {})


@pytest.mark.parametrize(
    ("role", "move"), [(Role.FIRST_RESPONSIBLE, "return"), (Role.INSPECTION_OFFICE, "send_back")]
)
def test_a_plan_returned_with_a_comment_per_problem_shows_them_in_its_versions(
    plan: Plan, role: Role, move: str
) -> None:
    a = plan.cast.a
    assert _move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200
    if move == "send_back":
        assert _move(plan, Role.FIRST_RESPONSIBLE, "approve").status == 200
    notes = {str(a.problem.pk): "措施不够具体", str(plan.second.pk): "  "}

    sent_back = _move(plan, role, move, {"problem_comments": notes})

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
    _move(plan, Role.RECTIFICATION_OFFICE, "submit")
    _move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "时限太紧"})
    call(
        plan.office,
        "PUT",
        f"/measures/{a.other_measure.pk}/plan",
        measure_body(plan, text=SECOND, deadline=_days(120)),
    )
    assert _move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200

    answer = call(
        a.users[Role.RESPONSIBLE_PERSON],
        "GET",
        f"/inspections/{a.inspection.pk}/plan/versions/1/diff/2",
    )

    assert answer.status == 200
    [change] = answer.data
    assert (change["new_problem"], change["added"], change["removed"]) == (False, [], [])
    [(measure, fields)] = [(c["measure"], c["fields"]) for c in change["changed"]]
    assert measure == SECOND
    assert {
        "field": "整改时限",
        "before": str(a.other_measure.deadline),
        "after": _days(120),
    } in fields
    versions = call(plan.office, "GET", f"/inspections/{a.inspection.pk}/plan/versions")
    assert [v["outcome"] for v in versions.data] == ["returned", "pending"]


def test_a_version_that_is_not_there_is_not_found(plan: Plan) -> None:
    a = plan.cast.a
    _move(plan, Role.RECTIFICATION_OFFICE, "submit")

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


OTHER_ROLES = [
    Role.RESPONSIBLE_PERSON,
    Role.RESPONSIBLE_LEADER,
    Role.FIRST_RESPONSIBLE,
    Role.DISCIPLINE,
]


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
    assert _move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200
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


def test_the_office_cannot_send_back_comments_on_another_plans_problems(plan: Plan) -> None:
    _move(plan, Role.RECTIFICATION_OFFICE, "submit")
    _move(plan, Role.FIRST_RESPONSIBLE, "approve")
    before = everything()
    notes = {str(plan.cast.b.problem.pk): "不属于本方案"}

    answer = _move(plan, Role.INSPECTION_OFFICE, "send_back", {"problem_comments": notes})

    assert (answer.status, answer.data) == (409, {"detail": "意见所针对的问题不属于该整改方案"})
    assert everything() == before


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


def test_a_plan_move_still_takes_a_comment_alone(plan: Plan) -> None:
    _move(plan, Role.RECTIFICATION_OFFICE, "submit")

    answer = _move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "请补充时限"})

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
    _move(plan, Role.RECTIFICATION_OFFICE, "submit")
    _move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "重写"})
    _move(plan, Role.RECTIFICATION_OFFICE, "submit")
    small = _queries(user, [f"{base}/review", f"{base}/versions", f"{base}/versions/1/diff/2"])
    _move(plan, Role.FIRST_RESPONSIBLE, "return", {"comment": "再改"})
    for n in range(5):
        made = call(plan.office, "POST", f"/problems/{a.problem.pk}/measures", measure_body(plan))
        body = {"title": f"新问题{n}", "measure_ids": [made.data["id"]]}
        assert call(plan.office, "POST", f"/problems/{a.problem.pk}/split", body).status == 200
    assert _move(plan, Role.RECTIFICATION_OFFICE, "submit").status == 200

    large = _queries(user, [f"{base}/review", f"{base}/versions", f"{base}/versions/2/diff/3"])

    assert large == small == [7, 4, 4]
