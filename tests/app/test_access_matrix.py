"""Every URL and API operation, requested as every role of an organisation, of its
sibling, of the supervising office, as an outsider and anonymously: the exact
allow/deny table. No data of one organisation is readable or writable by another's.

Each request runs inside a savepoint that is rolled back, so every actor meets the
same ledger; the operations are read from the served OpenAPI schema, so a new
endpoint that this table does not know fails the test.
"""

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from tests.app.conftest import Cast
from tests.app.test_workflow import MEASURE, PLAN, PROBLEM
from zhenggai.inspections.models import Problem, Round
from zhenggai.inspections.states import State
from zhenggai.ledger import plan_versions
from zhenggai.ledger.models import Evidence, Extension, Measure, PlanVersion
from zhenggai.ledger.plan_tree import read_plan
from zhenggai.orgs.models import Role

R = Role
TODAY = dt.date.today()
A_ROLES = [r for r in Role if r != R.INSPECTION_OFFICE]
ALL_A = frozenset(Role)  # A's five roles and the office above it
WORKERS = frozenset({R.RESPONSIBLE_PERSON, R.RECTIFICATION_OFFICE})
OFFICE_ONLY = frozenset({R.INSPECTION_OFFICE})
PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # the schema's template
    url: str
    allowed: frozenset[Role]  # who of A (and the office) may; everyone else is refused
    body: dict[str, Any] | None = None
    prepare: Callable[[Cast], None] | None = None
    upload: bool = False


def _actors(cast: Cast) -> dict[str, User | None]:
    actors: dict[str, User | None] = {f"a.{r.value}": cast.a.users[r] for r in A_ROLES}
    actors["office"] = cast.office_user
    actors |= {f"b.{r.value}": cast.b.users[r] for r in A_ROLES}
    actors["outsider"] = cast.outsider
    actors["anonymous"] = None
    return actors


def _role_of(actor: str) -> Role | None:
    if actor == "office":
        return R.INSPECTION_OFFICE
    return Role(actor[2:]) if actor.startswith("a.") else None


def _state(model: type[Measure] | Any, pk: int, **values: Any) -> Callable[[Cast], None]:
    def prepare(_cast: Cast) -> None:
        model.objects.filter(pk=pk).update(**values)

    return prepare


def _post(
    template: str,
    allowed: frozenset[Role],
    body: dict[str, Any],
    prepare: Callable[[Cast], None] | None = None,
    upload: bool = False,
    **ids: object,
) -> Op:
    """A write to the schema's ``template``, its ids (and move) filled in from ``ids``."""
    return Op("POST", template, template.format(**ids), allowed, body, prepare, upload)


def _evidence(cast: Cast, name: str, path: str, digit: str, **values: Any) -> Evidence:
    return Evidence.objects.create(
        measure=cast.a.measure,
        name=name,
        path=path,
        size=1,
        content_type="application/pdf",
        sha256=digit * 64,
        supplied_by=cast.a.users[R.RESPONSIBLE_PERSON],
        effective_date=TODAY,
        **values,
    )


@dataclass(frozen=True)
class _Parts:
    """What the operations act on besides the cast's own rows."""

    evidence: Evidence  # accepted, its file stored
    pending: Evidence  # awaiting review
    extension: Extension
    second: Problem  # a second problem of A's plan, holding ``sub``
    sub: Problem  # a sub-problem with a measure of its own


def _parts(cast: Cast) -> _Parts:
    stored = Path(settings.MEDIA_ROOT) / "00" / "x"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(PDF)
    evidence = _evidence(cast, "记录.pdf", "00/x", "0", review=Evidence.Review.ACCEPTED)
    pending = _evidence(cast, "新材料.pdf", "00/y", "1")
    extension = Extension.objects.create(
        measure=cast.a.measure,
        old_deadline=cast.a.measure.deadline,
        new_deadline=TODAY + dt.timedelta(days=90),
        reason="设备未到货",
        requested_by=cast.a.users[R.RESPONSIBLE_PERSON],
    )
    Measure.objects.filter(pk=cast.a.measure.pk).update(type=Measure.Type.LONG_TERM)
    second, sub = _second_problem(cast)
    return _Parts(evidence, pending, extension, second, sub)


def _second_problem(cast: Cast) -> tuple[Problem, Problem]:
    """A second problem with a sub-problem holding a measure, and two versions of the
    plan submitted, the last awaiting a decision."""
    a = cast.a
    second = Problem.objects.create(
        inspection=a.inspection, category=a.problem.category, position=2, title="制度执行不严格"
    )
    sub = Problem.objects.create(
        inspection=a.inspection, category=a.problem.category, parent=second, position=1
    )
    Measure.objects.create(
        inspection=a.inspection,
        category=a.problem.category,
        problem=sub,
        position=1,
        text="修订决策制度实施办法",
        department=a.department,
        deadline=a.measure.deadline,
    )
    tree = plan_versions.snapshot(read_plan(a.inspection))
    for number, outcome in ((1, PlanVersion.Outcome.RETURNED), (2, PlanVersion.Outcome.PENDING)):
        PlanVersion.objects.create(
            inspection=a.inspection,
            number=number,
            submitted_by=a.users[R.RECTIFICATION_OFFICE],
            tree=tree[number - 1 :],
            outcome=outcome,
        )
    return second, sub


def _round(cast: Cast) -> Round:
    return Round.objects.get_or_create(office=cast.office, name="十二届县委第五轮巡察")[0]


def _reads(cast: Cast, parts: _Parts) -> list[Op]:
    m, p, i = cast.a.measure.pk, cast.a.problem.pk, cast.a.inspection.pk
    reads = [
        ("/api/me", ALL_A),
        ("/api/inspections", ALL_A),
        (f"/api/inspections/{i}", ALL_A),
        (f"/api/inspections/{i}/ledger", ALL_A),
        (f"/api/inspections/{i}/outline", ALL_A),
        ("/api/measures", ALL_A),
        (f"/api/inspections/{i}/measures", ALL_A),
        (f"/api/measures/{m}", ALL_A),
        (f"/api/measures/{m}/history", ALL_A),
        (f"/api/problems/{p}", ALL_A),
        (f"/api/problems/{p}/history", ALL_A),
        ("/api/totals", ALL_A),
        (f"/api/offices/{cast.office.pk}/rules", OFFICE_ONLY),
        ("/api/rounds", OFFICE_ONLY),
        (f"/api/rounds/{_round(cast).pk}", OFFICE_ONLY),
        (f"/api/evidence/{parts.evidence.pk}/file", ALL_A),
        (f"/api/inspections/{i}/plan/review", ALL_A),
        (f"/api/inspections/{i}/plan/versions", ALL_A),
    ]
    diff = "/api/inspections/{inspection_id}/plan/versions/{old}/diff/{new}"
    return [
        *(Op("GET", "", url, allowed) for url, allowed in reads),
        Op("GET", diff, diff.format(inspection_id=i, old=1, new=2), ALL_A),
    ]


COMMENT = {"comment": "意见"}
PROBLEM_DATA = COMMENT | {
    "reason": "资金未到位",
    "next_steps": "继续推进",
    "new_deadline": str(TODAY + dt.timedelta(days=60)),
}


def _problem_ready(problem_id: int, state: str) -> Callable[[Cast], None]:
    """The problem in ``state``, its measures signed off."""

    def ready(c: Cast) -> None:
        Measure.objects.filter(problem=c.a.problem).update(state=State.SIGNED_OFF)
        type(c.a.problem).objects.filter(pk=problem_id).update(state=state)

    return ready


def _moves(cast: Cast) -> list[Op]:
    """Every move of the measure, problem and plan workflows, from a state it leaves."""
    m, p, i = cast.a.measure.pk, cast.a.problem.pk, cast.a.inspection.pk
    plans = type(cast.a.inspection)
    return [
        *(
            _post(
                "/api/measures/{measure_id}/moves/{move}",
                move.roles,
                COMMENT,
                _state(Measure, m, state=sorted(move.sources)[0]),
                measure_id=m,
                move=name,
            )
            for name, move in MEASURE.items()
        ),
        *(
            _post(
                "/api/problems/{problem_id}/moves/{move}",
                move.roles,
                PROBLEM_DATA,
                _problem_ready(p, sorted(move.sources)[0]),
                problem_id=p,
                move=name,
            )
            for name, move in PROBLEM.items()
        ),
        *(
            _post(
                "/api/inspections/{inspection_id}/plan/{move}",
                move.roles,
                COMMENT,
                _state(plans, i, plan_state=sorted(move.sources)[0]),
                inspection_id=i,
                move=name,
            )
            for name, move in PLAN.items()
        ),
    ]


RULES = {"warn_person_days": 30, "warn_leader_days": 10, "plan_days": 30, "report_days": 60}
REVIEWERS = frozenset({R.RESPONSIBLE_LEADER, R.FIRST_RESPONSIBLE, R.RECTIFICATION_OFFICE})
DECIDERS = frozenset({R.RESPONSIBLE_LEADER, R.FIRST_RESPONSIBLE})
ON_RECORD = frozenset({R.DISCIPLINE, R.RECTIFICATION_OFFICE})
RECTIFICATION_OFFICE = frozenset({R.RECTIFICATION_OFFICE})


def _measure_writes(cast: Cast, parts: _Parts) -> list[Op]:
    m = cast.a.measure.pk
    later = str(TODAY + dt.timedelta(days=200))
    refused = _state(Extension, parts.extension.pk, decision=Extension.Decision.REFUSED)
    measure = "/api/measures/{measure_id}"
    return [
        _post(
            f"{measure}/assignment",
            RECTIFICATION_OFFICE,
            {"department": cast.a.department.pk, "weight": 2},
            measure_id=m,
        ),
        _post(
            f"{measure}/progress",
            WORKERS,
            {"date": str(TODAY), "text": "召开专题会议"},
            measure_id=m,
        ),
        _post(
            f"{measure}/evidence",
            WORKERS,
            {"effective_date": str(TODAY)},
            upload=True,
            measure_id=m,
        ),
        _post(
            "/api/evidence/{evidence_id}/review",
            REVIEWERS,
            {"accept": True},
            evidence_id=parts.pending.pk,
        ),
        _post(
            f"{measure}/extensions",
            WORKERS,
            {"new_deadline": later, "reason": "等待审批"},
            refused,
            measure_id=m,
        ),
        _post(
            "/api/extensions/{extension_id}/decision",
            DECIDERS,
            {"approve": True},
            extension_id=parts.extension.pk,
        ),
    ]


PLAN_MEASURE = {
    "text": "12月底前建立理论学习考勤制度",
    "type": "time_bound",
    "deadline": str(TODAY + dt.timedelta(days=60)),
}


def _plan_writes(cast: Cast, parts: _Parts) -> list[Op]:
    """The plan editor's writes, on a draft plan: the rectification office's alone."""
    m, other, p = cast.a.measure.pk, cast.a.other_measure.pk, cast.a.problem.pk
    measure, problem = "/api/measures/{measure_id}", "/api/problems/{problem_id}"
    body = PLAN_MEASURE | {"department_id": cast.a.department.pk}
    relocate = {"category_id": cast.a.problem.category_id, "position": 1}
    writes: list[tuple[str, str, dict[str, Any], dict[str, int]]] = [
        ("POST", f"{problem}/measures", body, {"problem_id": p}),
        ("PUT", f"{measure}/plan", body, {"measure_id": m}),
        ("DELETE", f"{measure}/plan", {}, {"measure_id": other}),
        ("POST", f"{measure}/position", {"position": 1}, {"measure_id": other}),
        ("POST", f"{measure}/to-subproblem", {}, {"measure_id": other}),
        ("POST", f"{problem}/to-measure", {}, {"problem_id": parts.sub.pk}),
        ("POST", f"{problem}/nest", {"parent_id": parts.second.pk}, {"problem_id": p}),
        ("POST", f"{problem}/title", {"title": "学习不深入"}, {"problem_id": p}),
        ("POST", f"{problem}/merge", {"into_id": parts.second.pk}, {"problem_id": p}),
        (
            "POST",
            f"{problem}/split",
            {"title": "新问题", "measure_ids": [other]},
            {"problem_id": p},
        ),
        ("POST", f"{problem}/position", relocate, {"problem_id": parts.sub.pk}),
        (
            "POST",
            "/api/inspections/{inspection_id}/plan/record-approved",
            {"comment": "县委巡察办批复"},
            {"inspection_id": cast.a.inspection.pk},
        ),
    ]
    return [
        Op(method, template, template.format(**ids), RECTIFICATION_OFFICE, data)
        for method, template, data, ids in writes
    ]


def _writes(cast: Cast, parts: _Parts) -> list[Op]:
    p, i = cast.a.problem.pk, cast.a.inspection.pk
    signed_off = _state(type(cast.a.problem), p, state=State.SIGNED_OFF)
    inspection = "/api/inspections/{inspection_id}"
    return [
        _post("/api/offices/{office_id}/rules", OFFICE_ONLY, RULES, office_id=cast.office.pk),
        _post(
            "/api/rounds", OFFICE_ONLY, {"office": cast.office.pk, "name": "十二届县委第六轮巡察"}
        ),
        _post(
            "/api/rounds/{round_id}/inspections",
            OFFICE_ONLY,
            {"organisation": cast.a.org.pk},
            round_id=_round(cast).pk,
        ),
        *_measure_writes(cast, parts),
        _post(
            "/api/problems/{problem_id}/follow-up-reviews",
            OFFICE_ONLY,
            {"date": str(TODAY), "finding": "未反弹"},
            signed_off,
            problem_id=p,
        ),
        _post(
            f"{inspection}/accountability",
            ON_RECORD,
            {"kind": "admonition_talk", "person_name": "张某"},
            inspection_id=i,
        ),
        _post(
            f"{inspection}/regulations",
            RECTIFICATION_OFFICE,
            {"title": "理论学习中心组学习制度"},
            inspection_id=i,
        ),
        _post(f"{inspection}/funds", ON_RECORD, {"amount": "12000.00"}, inspection_id=i),
        *_plan_writes(cast, parts),
    ]


def _ops(cast: Cast) -> list[Op]:
    parts = _parts(cast)
    return [*_reads(cast, parts), *_moves(cast), *_writes(cast, parts)]


def _expected(op: Op, actor: str) -> int:
    """The one rule: anonymous 401; outside A, 404 for A's objects (lists answer, but
    without A's rows); inside, reads answer and writes need the role, else 409."""
    if actor == "anonymous":
        return 401
    role = _role_of(actor)
    is_list = op.method == "GET" and op.url in (
        "/api/me",
        "/api/inspections",
        "/api/measures",
        "/api/totals",
    )
    if op.url.startswith("/api/rounds") and (actor != "office"):
        # The register is the inspection office's: refused, naming it, to every other role.
        return 409
    if role is None or (op.url.startswith("/api/offices/") and role not in op.allowed):
        # The office's own settings are not the inspected organisation's to know of.
        return 200 if is_list else 404
    if role not in op.allowed:
        return 409
    return 204 if op.method == "DELETE" else 200


def _request(client: Client, op: Op) -> tuple[int, bytes]:
    if op.method == "GET":
        response = client.get(op.url)
    elif op.upload:
        upload = {"file": SimpleUploadedFile("记录.pdf", PDF, "application/pdf")}
        response = client.post(op.url, upload | dict(op.body or {}))
    else:
        body = json.dumps(op.body or {})
        response = client.generic(op.method, op.url, body, content_type="application/json")
    content = response.getvalue()
    if content and response.get("Content-Type", "").startswith("application/json"):
        # Read back as text: the renderer escapes Chinese as \uXXXX.
        content = json.dumps(json.loads(content), ensure_ascii=False).encode()
    return response.status_code, content


def _as(actor: User | None) -> Client:
    client = Client()
    if actor is not None:
        client.force_login(actor)
    return client


@pytest.mark.django_db(transaction=False)
def test_the_exact_allow_deny_table(cast: Cast) -> None:
    ops, actors = _ops(cast), _actors(cast)
    actual: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    leaks = []
    clients = {name: _as(user) for name, user in actors.items()}
    for op in ops:
        for name, client in clients.items():
            with transaction.atomic():
                if op.prepare:
                    op.prepare(cast)
                status, content = _request(client, op)
                transaction.set_rollback(True)
            actual[(f"{op.method} {op.url}", name)] = status
            expected[(f"{op.method} {op.url}", name)] = _expected(op, name)
            if status == 200:
                leaks += _leaked(cast, op, name, content)
    wrong = {key: (actual[key], want) for key, want in expected.items() if actual[key] != want}
    assert wrong == {}, "\n".join(f"{k}: got {g}, want {w}" for k, (g, w) in wrong.items())
    assert leaks == []


def _leaked(cast: Cast, op: Op, actor: str, content: bytes) -> list[str]:
    """No one is shown another organisation's names; the lists show what is one's own."""
    text = content.decode("utf-8", "replace")
    a_marks, b_marks = (
        [unit.org.name, unit.inspection.title, unit.measure.text + '"'] for unit in (cast.a, cast.b)
    )
    foreign = {"office": [], "outsider": a_marks + b_marks}.get(
        actor, b_marks if actor.startswith("a.") else a_marks
    )
    found = [f"{op.url} as {actor} shows {mark}" for mark in foreign if mark in text]
    if op.url == "/api/inspections" and actor.startswith(("a.", "office")):
        found += [] if cast.a.inspection.title in text else [f"{actor} misses A's inspection"]
    if op.url == "/api/inspections" and actor == "office":
        found += [] if cast.b.inspection.title in text else ["office misses B's inspection"]
    return found


def test_every_operation_of_the_schema_is_in_the_table(cast: Cast) -> None:
    schema = Client().get("/api/openapi.json").json()
    served = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    known = set()
    for op in _ops(cast):
        template = op.path or _template(op.url)
        known.add((op.method, template))
    assert served == known


def _template(url: str) -> str:
    """/api/measures/7/history → /api/measures/{measure_id}/history."""
    names = {
        "offices": "office_id",
        "rounds": "round_id",
        "inspections": "inspection_id",
        "measures": "measure_id",
        "problems": "problem_id",
        "evidence": "evidence_id",
    }
    parts = url.split("/")
    for index, part in enumerate(parts):
        if part.isdigit():
            parts[index] = "{" + names[parts[index - 1]] + "}"
    return "/".join(parts)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/docs", 200),
        ("/static/web/site.css", 200),
        ("/static/django_htmx/htmx-2.min.js", 200),
        ("/api/openapi.json", 200),
        ("/static/ninja/swagger-ui-bundle.js", 200),
    ],
)
def test_the_public_urls_answer_everyone_the_same(cast: Cast, url: str, status: int) -> None:
    for user in _actors(cast).values():
        response = _as(user).get(url)
        assert response.status_code == status, (url, user)
