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
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Evidence, Extension, Measure
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


def _ops(cast: Cast) -> list[Op]:
    a = cast.a
    m, p, i = a.measure.pk, a.problem.pk, a.inspection.pk
    stored = Path(settings.MEDIA_ROOT) / "00" / "x"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(PDF)
    evidence = Evidence.objects.create(
        measure=a.measure,
        name="记录.pdf",
        path="00/x",
        size=1,
        content_type="application/pdf",
        sha256="0" * 64,
        supplied_by=a.users[R.RESPONSIBLE_PERSON],
        effective_date=TODAY,
        review=Evidence.Review.ACCEPTED,
    )
    pending = Evidence.objects.create(
        measure=a.measure,
        name="新材料.pdf",
        path="00/y",
        size=1,
        content_type="application/pdf",
        sha256="1" * 64,
        supplied_by=a.users[R.RESPONSIBLE_PERSON],
        effective_date=TODAY,
    )
    extension = Extension.objects.create(
        measure=a.measure,
        old_deadline=a.measure.deadline,
        new_deadline=TODAY + dt.timedelta(days=90),
        reason="设备未到货",
        requested_by=a.users[R.RESPONSIBLE_PERSON],
    )
    Measure.objects.filter(pk=m).update(type=Measure.Type.LONG_TERM)
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
        (f"/api/evidence/{evidence.pk}/file", ALL_A),
    ]
    ops = [Op("GET", "", url, allowed) for url, allowed in reads]
    comment = {"comment": "意见"}
    for name, move in MEASURE.items():
        ops.append(
            Op(
                "POST",
                "/api/measures/{measure_id}/moves/{move}",
                f"/api/measures/{m}/moves/{name}",
                move.roles,
                comment,
                _state(Measure, m, state=sorted(move.sources)[0]),
            )
        )
    problem_data = comment | {
        "reason": "资金未到位",
        "next_steps": "继续推进",
        "new_deadline": str(TODAY + dt.timedelta(days=60)),
    }
    for name, move in PROBLEM.items():

        def ready(c: Cast, state: str = sorted(move.sources)[0]) -> None:
            Measure.objects.filter(problem=c.a.problem).update(state=State.SIGNED_OFF)
            type(c.a.problem).objects.filter(pk=p).update(state=state)

        ops.append(
            Op(
                "POST",
                "/api/problems/{problem_id}/moves/{move}",
                f"/api/problems/{p}/moves/{name}",
                move.roles,
                problem_data,
                ready,
            )
        )
    for name, move in PLAN.items():
        ops.append(
            Op(
                "POST",
                "/api/inspections/{inspection_id}/plan/{move}",
                f"/api/inspections/{i}/plan/{name}",
                move.roles,
                comment,
                _state(type(a.inspection), i, plan_state=sorted(move.sources)[0]),
            )
        )
    signed_off = _state(type(a.problem), p, state=State.SIGNED_OFF)
    ops += [
        Op(
            "POST",
            "/api/offices/{office_id}/rules",
            f"/api/offices/{cast.office.pk}/rules",
            OFFICE_ONLY,
            {"warn_person_days": 30, "warn_leader_days": 10, "plan_days": 30, "report_days": 60},
        ),
        Op(
            "POST",
            "/api/measures/{measure_id}/assignment",
            f"/api/measures/{m}/assignment",
            frozenset({R.RECTIFICATION_OFFICE}),
            {"department": a.department.pk, "weight": 2},
        ),
        Op(
            "POST",
            "/api/measures/{measure_id}/progress",
            f"/api/measures/{m}/progress",
            WORKERS,
            {"date": str(TODAY), "text": "召开专题会议"},
        ),
        Op(
            "POST",
            "/api/measures/{measure_id}/evidence",
            f"/api/measures/{m}/evidence",
            WORKERS,
            {"effective_date": str(TODAY)},
            upload=True,
        ),
        Op(
            "POST",
            "/api/evidence/{evidence_id}/review",
            f"/api/evidence/{pending.pk}/review",
            frozenset({R.RESPONSIBLE_LEADER, R.FIRST_RESPONSIBLE, R.RECTIFICATION_OFFICE}),
            {"accept": True},
        ),
        Op(
            "POST",
            "/api/measures/{measure_id}/extensions",
            f"/api/measures/{m}/extensions",
            WORKERS,
            {"new_deadline": str(TODAY + dt.timedelta(days=200)), "reason": "等待审批"},
            _state(Extension, extension.pk, decision=Extension.Decision.REFUSED),
        ),
        Op(
            "POST",
            "/api/extensions/{extension_id}/decision",
            f"/api/extensions/{extension.pk}/decision",
            frozenset({R.RESPONSIBLE_LEADER, R.FIRST_RESPONSIBLE}),
            {"approve": True},
        ),
        Op(
            "POST",
            "/api/problems/{problem_id}/follow-up-reviews",
            f"/api/problems/{p}/follow-up-reviews",
            frozenset({R.INSPECTION_OFFICE}),
            {"date": str(TODAY), "finding": "未反弹"},
            signed_off,
        ),
        Op(
            "POST",
            "/api/inspections/{inspection_id}/accountability",
            f"/api/inspections/{i}/accountability",
            frozenset({R.DISCIPLINE, R.RECTIFICATION_OFFICE}),
            {"kind": "admonition_talk", "person_name": "张某"},
        ),
        Op(
            "POST",
            "/api/inspections/{inspection_id}/regulations",
            f"/api/inspections/{i}/regulations",
            frozenset({R.RECTIFICATION_OFFICE}),
            {"title": "理论学习中心组学习制度"},
        ),
        Op(
            "POST",
            "/api/inspections/{inspection_id}/funds",
            f"/api/inspections/{i}/funds",
            frozenset({R.DISCIPLINE, R.RECTIFICATION_OFFICE}),
            {"amount": "12000.00"},
        ),
    ]
    return ops


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
    if role is None or (op.url.startswith("/api/offices/") and role not in op.allowed):
        # The office's own settings are not the inspected organisation's to know of.
        return 200 if is_list else 404
    return 200 if role in op.allowed else 409


def _request(client: Client, op: Op) -> tuple[int, bytes]:
    if op.method == "GET":
        response = client.get(op.url)
    elif op.upload:
        upload = {"file": SimpleUploadedFile("记录.pdf", PDF, "application/pdf")}
        response = client.post(op.url, upload | dict(op.body or {}))
    else:
        response = client.post(op.url, op.body or {}, content_type="application/json")
    content = response.getvalue()
    if response.get("Content-Type", "").startswith("application/json"):
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
            actual[(op.url, name)] = status
            expected[(op.url, name)] = _expected(op, name)
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
