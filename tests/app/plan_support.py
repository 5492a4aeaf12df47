"""What the tests of the plan share. For the services (test_plan_measures.py,
test_plan_levels.py, test_plan_review.py and test_plan_decisions.py): the days, the
people, the plan's moves, and a snapshot of what a write or a move could change.
For the API (test_api_plan.py and test_api_plan_versions.py): a request by token and
a plan whose problems have two levels."""

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.app.conftest import Cast
from tests.app.test_api_work import bearer
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.ledger.models import Approval, Measure, PlanVersion
from zhenggai.orgs.models import Role
from zhenggai.services import ledger as services
from zhenggai.services.plan_review import plan_move

# The roles of an inspected unit other than the rectification office.
OTHER_ROLES = [
    Role.RESPONSIBLE_PERSON,
    Role.RESPONSIBLE_LEADER,
    Role.FIRST_RESPONSIBLE,
    Role.DISCIPLINE,
]


# ---- the services: days, people, what changed ------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def office_of(cast: Cast) -> User:
    """Unit a's rectification office, which writes the plan."""
    return cast.a.users[Role.RECTIFICATION_OFFICE]


def leader_of(cast: Cast) -> User:
    """Unit a's first responsible, who approves the plan."""
    return cast.a.users[Role.FIRST_RESPONSIBLE]


def update_plan(cast: Cast, **fields: Any) -> None:
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(**fields)


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


def ledger(cast: Cast) -> dict[str, Any]:
    """Everything a write of the plan could change: to compare before and after a refusal."""
    inspection = Inspection.objects.get(pk=cast.a.inspection.pk)
    return {
        "plan": (inspection.plan_state, inspection.plan_approved),
        "measures": list(Measure.objects.filter(inspection=inspection).order_by("pk").values()),
        "problems": list(Problem.objects.filter(inspection=inspection).order_by("pk").values()),
        "events": Event.objects.count(),
    }


def positions(problem: Problem) -> list[tuple[str, int]]:
    return list(problem.measures.order_by("position").values_list("text", "position"))


def progress(cast: Cast) -> None:
    """Progress on unit a's measure: work on record, which the plan's writes respect."""
    services.progress_record(
        actor=cast.a.users[Role.RESPONSIBLE_PERSON],
        measure_id=cast.a.measure.pk,
        date=today(),
        text="已召开专题学习会",
    )


# ---- the services: the plan's way to approval --------------------------------------------

FIRST = "6月底前修订《理论学习中心组学习制度》"
SECOND = "每月召开一次专题学习会"
LABEL = "一、（一）理论学习不深入"


def ready_plan(cast: Cast) -> Cast:
    """Unit a's plan as it can be submitted without a warning: one problem, two
    concrete measures, each with an owner and a deadline a month away."""
    Measure.objects.filter(pk=cast.a.measure.pk).update(text=FIRST)
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(text=SECOND)
    return cast


def move_plan(
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


def submit(cast: Cast) -> Inspection:
    return move_plan(cast, office_of(cast), "submit")


def approve(cast: Cast) -> Inspection:
    return move_plan(cast, leader_of(cast), "approve", "同意")


def inspection_of(cast: Cast) -> Inspection:
    return Inspection.objects.get(pk=cast.a.inspection.pk)


def versions(cast: Cast) -> list[PlanVersion]:
    return list(PlanVersion.objects.filter(inspection=cast.a.inspection).order_by("number"))


def review_state(cast: Cast) -> dict[str, Any]:
    """All a move of the plan could change: to compare before and after a refusal."""
    inspection = inspection_of(cast)
    return {
        "plan": (inspection.plan_state, inspection.plan_approved),
        "versions": list(PlanVersion.objects.filter(inspection=inspection).order_by("pk").values()),
        "approvals": Approval.objects.count(),
        "events": Event.objects.count(),
    }


# ---- the API -------------------------------------------------------------------------

CHINESE = re.compile(r"[\u4e00-\u9fff]")
API_FIRST = "6月底前修订《理论学习中心组学习制度》，每季度开展专题学习不少于1次"
API_SECOND = "9月底前对全体党员开展一轮专题培训，培训结束后组织闭卷测试"


def iso_days(n: int) -> str:
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


def api_plan(cast: Cast) -> Plan:
    a = cast.a
    Measure.objects.filter(pk=a.measure.pk).update(text=API_FIRST)
    Measure.objects.filter(pk=a.other_measure.pk).update(text=API_SECOND)
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
        "deadline": iso_days(90),
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


def actions_since(seq: int) -> list[str]:
    return list(Event.objects.filter(seq__gt=seq).values_list("action", flat=True))


def last_seq() -> int:
    return Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def api_move(plan: Plan, role: Role, move: str, body: dict[str, Any] | None = None) -> Answer:
    """A move of unit a's plan through the API, as the role that makes it."""
    user = plan.cast.office_user if role == Role.INSPECTION_OFFICE else plan.user(role)
    return call(user, "POST", f"/inspections/{plan.cast.a.inspection.pk}/plan/{move}", body or {})
