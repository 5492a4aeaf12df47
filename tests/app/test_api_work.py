"""The write API: every workflow move and record through HTTP, as office systems call it.

Each test asserts the response, the database and the audit trail; a refused
request answers with its reason in Chinese and changes nothing.
"""

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings

from tests.app.conftest import Cast
from zhenggai.accountability.models import Action, FundsRecovered, Regulation
from zhenggai.api.main import api
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.ledger import measure_flow, problem_flow
from zhenggai.ledger.models import (
    Approval,
    Evidence,
    Extension,
    FollowUpReview,
    Measure,
    ProgressEntry,
    Unfinished,
)
from zhenggai.orgs.models import ApiToken, Role
from zhenggai.orgs.tokens import digest

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def bearer(user: User) -> dict[str, str]:
    token = secrets.token_urlsafe(16)
    ApiToken.objects.create(user=user, digest=digest(token))
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any


def post(user: User | None, path: str, body: Any = None) -> Answer:
    """POST JSON as the user (by token) or anonymously."""
    headers = bearer(user) if user is not None else {}
    response = Client().post(
        f"/api{path}", json.dumps(body or {}), content_type="application/json", headers=headers
    )
    return Answer(response.status_code, response.json())


def upload(user: User, measure: Measure, name: str, content: bytes, **form: Any) -> Answer:
    file = SimpleUploadedFile(name, content)
    data = {"file": file, "effective_date": TODAY.isoformat(), **form}
    response = Client().post(f"/api/measures/{measure.pk}/evidence", data, headers=bearer(user))
    return Answer(response.status_code, response.json())


def actions_since(seq: int) -> list[str]:
    return list(Event.objects.filter(seq__gt=seq).values_list("action", flat=True))


def last_seq() -> int:
    return Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return set(root.rglob("*")) if root.exists() else set()


def ledger_state() -> tuple[object, ...]:
    """Everything a write could change, to compare before and after a refusal."""
    return (
        list(Measure.objects.order_by("pk").values_list("state", "deadline")),
        list(Problem.objects.order_by("pk").values_list("state", flat=True)),
        list(Inspection.objects.order_by("pk").values_list("plan_state", flat=True)),
        list(Evidence.objects.order_by("pk").values_list("review", flat=True)),
        list(Extension.objects.order_by("pk").values_list("decision", flat=True)),
        *(model.objects.count() for model in (ProgressEntry, Approval, Unfinished, FollowUpReview)),
        *(model.objects.count() for model in (Action, Regulation, FundsRecovered)),
        Event.objects.count(),
        stored_files(),
    )


@pytest.fixture
def unchanged(cast: Cast) -> Iterator[None]:
    """Asserts that the test's requests left the ledger and the audit trail as they were."""
    before = ledger_state()
    yield
    assert ledger_state() == before


# ---- the happy path ---------------------------------------------------------


def _work_and_sign_off(cast: Cast) -> None:
    """Progress → extension → evidence → submit → accept → sign-off, on the person's measure."""
    a, measure = cast.a, cast.a.measure
    person, leader = a.users[Role.RESPONSIBLE_PERSON], a.users[Role.RESPONSIBLE_LEADER]
    seq = last_seq()

    assert post(person, f"/measures/{measure.pk}/moves/start").data["state"] == "in_progress"
    _report_progress(person, measure)
    _extend(person, leader, measure)
    evidence_id = _upload_evidence(person, measure)
    submitted = post(person, f"/measures/{measure.pk}/moves/submit", {"comment": "已完成"})
    assert submitted.data == {
        "id": measure.pk,
        "state": "awaiting_sign_off",
        "state_label": "已完成待销号",
    }
    accepted = post(leader, f"/evidence/{evidence_id}/review", {"accept": True})
    assert accepted.data["review"] == "accepted"
    signed = post(leader, f"/measures/{measure.pk}/moves/sign_off", {"comment": "同意销号"})
    assert signed.status == 200
    assert signed.data == {"id": measure.pk, "state": "signed_off", "state_label": "已销号"}

    measure.refresh_from_db()
    assert measure.state == State.SIGNED_OFF
    sign_off = Approval.objects.get(measure=measure, kind=Approval.Kind.SIGN_OFF)
    assert (sign_off.approver, sign_off.comment) == (leader, "同意销号")
    assert actions_since(seq) == [
        "problem.start",  # with its first measure
        "measure.start",
        "progress.create",
        "extension.create",
        "extension.approved",
        "evidence.create",
        "measure.submit",
        "evidence.accepted",
        "measure.sign_off",
    ]


def _report_progress(person: User, measure: Measure) -> None:
    figures = {"次数": 3, "万元": 1.5}
    body = {"date": TODAY.isoformat(), "text": "组织专题学习 3 次", "figures": figures}
    progress = post(person, f"/measures/{measure.pk}/progress", body)
    assert progress.status == 200
    entry = ProgressEntry.objects.get(pk=progress.data["id"])
    assert (entry.measure_id, entry.author, entry.figures) == (measure.pk, person, figures)


def _upload_evidence(person: User, measure: Measure) -> int:
    """The file is kept under its digest, and the answer describes the revision."""
    evidence = upload(person, measure, "学习记录.pdf", PDF)
    assert evidence.status == 200, evidence.data
    sha = hashlib.sha256(PDF).hexdigest()
    assert evidence.data | {"uploaded_at": None} == {
        "id": evidence.data["id"],
        "measure": measure.pk,
        "replaces": None,
        "name": "学习记录.pdf",
        "size": len(PDF),
        "content_type": "application/pdf",
        "sha256": sha,
        "effective_date": TODAY.isoformat(),
        "uploaded_at": None,
        "review": "pending",
        "review_label": "待审核",
        "review_comment": "",
    }
    assert (Path(settings.MEDIA_ROOT) / sha[:2] / sha).read_bytes() == PDF
    assert Evidence.objects.get(pk=evidence.data["id"]).supplied_by == person
    return int(evidence.data["id"])


def _extend(person: User, leader: User, measure: Measure) -> None:
    """An approved extension moves the deadline and keeps the original beside it."""
    original = measure.original_deadline
    assert original is not None
    later = original + dt.timedelta(days=60)
    asked = post(
        person,
        f"/measures/{measure.pk}/extensions",
        {"new_deadline": later.isoformat(), "reason": "需等待上级批复"},
    )
    assert asked.status == 200
    assert (asked.data["decision"], asked.data["deadline"]) == ("pending", original.isoformat())
    decided = post(leader, f"/extensions/{asked.data['id']}/decision", {"approve": True})
    assert decided.data | {"id": None} == {
        "id": None,
        "measure": measure.pk,
        "old_deadline": original.isoformat(),
        "new_deadline": later.isoformat(),
        "reason": "需等待上级批复",
        "decision": "approved",
        "decision_label": "已同意",
        "original_deadline": original.isoformat(),
        "deadline": later.isoformat(),
    }
    measure.refresh_from_db()
    assert (measure.original_deadline, measure.deadline) == (original, later)


def _carry_over_and_relapse(cast: Cast) -> None:
    """The unfinished problem goes to long-term work; a follow-up finds a relapse and reopens it."""
    problem, office = cast.a.problem, cast.a.users[Role.RECTIFICATION_OFFICE]
    seq = last_seq()
    new_deadline = TODAY + dt.timedelta(days=180)
    carried = post(
        office,
        f"/problems/{problem.pk}/moves/carry_over",
        {
            "reason": "涉及历史遗留",
            "next_steps": "建立长效机制",
            "new_deadline": new_deadline.isoformat(),
        },
    )
    assert carried.data == {"id": problem.pk, "state": "long_term", "state_label": "长期坚持"}
    unfinished = Unfinished.objects.get(problem=problem)
    assert (unfinished.reason, unfinished.next_steps, unfinished.deadline) == (
        "涉及历史遗留",
        "建立长效机制",
        new_deadline,
    )

    review = post(
        cast.office_user,
        f"/problems/{problem.pk}/follow-up-reviews",
        {"date": TODAY.isoformat(), "finding": "学习记录流于形式", "relapsed": True},
    )
    assert review.status == 200
    assert (review.data["relapsed"], review.data["problem_state"]) == (True, "reopened")
    assert review.data["problem_state_label"] == "回头看后重新整改"
    problem.refresh_from_db()
    assert problem.state == State.REOPENED
    assert FollowUpReview.objects.get(problem=problem).reviewer == cast.office_user
    assert Approval.objects.filter(problem=problem).values_list("kind", flat=True).count() == 2
    assert actions_since(seq) == [
        "unfinished.create",
        "problem.carry_over",
        "follow_up.create",
        "problem.reopen",
    ]


def test_a_measure_and_its_problem_go_through_the_whole_cycle(cast: Cast) -> None:
    _work_and_sign_off(cast)
    _carry_over_and_relapse(cast)
    assert verify() is None


def test_the_plan_is_submitted_and_approved(cast: Cast) -> None:
    inspection = cast.a.inspection
    office, first = cast.a.users[Role.RECTIFICATION_OFFICE], cast.a.users[Role.FIRST_RESPONSIBLE]
    assert (
        post(office, f"/inspections/{inspection.pk}/plan/submit").data["plan_state"] == "submitted"
    )
    approved = post(first, f"/inspections/{inspection.pk}/plan/approve", {"comment": "同意"})
    assert approved.data == {
        "id": inspection.pk,
        "plan_state": "office_review",
        "plan_state_label": "待巡察办审核",
    }
    accepted = post(cast.office_user, f"/inspections/{inspection.pk}/plan/accept", {"comment": ""})
    assert accepted.data["plan_state"] == "approved"
    decisions = Approval.objects.filter(inspection=inspection).order_by("pk")
    assert [a.decision for a in decisions] == ["approve", "accept"]


def test_a_new_revision_replaces_the_returned_evidence(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    first = upload(person, cast.a.measure, "记录.txt", "第一版".encode())
    returned = post(
        cast.a.users[Role.RESPONSIBLE_LEADER],
        f"/evidence/{first.data['id']}/review",
        {"accept": False, "comment": "缺少签字"},
    )
    assert (returned.data["review"], returned.data["review_comment"]) == ("returned", "缺少签字")
    second = upload(
        person, cast.a.measure, "记录.txt", "第二版".encode(), replaces=first.data["id"]
    )
    assert second.data["replaces"] == first.data["id"]
    assert Evidence.objects.get(pk=second.data["id"]).replaces_id == first.data["id"]


def test_accountability_regulations_and_funds_are_recorded(cast: Cast) -> None:
    inspection = cast.a.inspection
    discipline, office = cast.a.users[Role.DISCIPLINE], cast.a.users[Role.RECTIFICATION_OFFICE]
    action = post(
        discipline,
        f"/inspections/{inspection.pk}/accountability",
        {
            "kind": "government_sanction",
            "grade": "warning",
            "person_name": "张某",
            "problem": cast.a.problem.pk,
        },
    )
    assert (action.data["kind_label"], action.data["grade_label"]) == ("政务处分", "警告")
    regulation = post(office, f"/inspections/{inspection.pk}/regulations", {"title": "学习制度"})
    assert (regulation.data["position"], regulation.data["title"]) == (1, "学习制度")
    funds = post(office, f"/inspections/{inspection.pk}/funds", {"amount": "1234.50"})
    assert funds.data["amount"] == "1234.50"
    assert FundsRecovered.objects.get().amount == 1234.5
    assert Action.objects.get().recorded_by == discipline
    assert actions_since(0)[-3:] == ["action.create", "regulation.create", "funds.create"]


# ---- refusals ---------------------------------------------------------------


def test_the_schema_lists_exactly_the_moves_of_the_workflow_tables() -> None:
    paths = api.get_openapi_schema()["paths"]

    def moves(path: str) -> set[str]:
        params = paths[path]["post"]["parameters"]
        return set(next(p for p in params if p["name"] == "move")["schema"]["enum"])

    assert moves("/api/measures/{measure_id}/moves/{move}") == set(measure_flow.MOVES)
    assert moves("/api/problems/{problem_id}/moves/{move}") == set(problem_flow.MOVES)


REFUSALS = [
    # (role, path, body, reason)
    (Role.RESPONSIBLE_PERSON, "/measures/{measure}/moves/sign_off", {}, "可以销号"),
    (Role.RESPONSIBLE_PERSON, "/measures/{measure}/moves/submit", {}, "当前状态为「未开始」"),
    (Role.RESPONSIBLE_PERSON, "/measures/{other}/moves/start", {}, "可以开始整改"),
    (
        Role.RESPONSIBLE_PERSON,
        "/measures/{measure}/progress",
        {"date": (TODAY + dt.timedelta(days=1)).isoformat(), "text": "提前填报"},
        "进展日期不能晚于今天",
    ),
    (
        Role.RESPONSIBLE_PERSON,
        "/measures/{measure}/extensions",
        {"new_deadline": TODAY.isoformat(), "reason": "来不及"},
        "申请的时限必须晚于现在的整改时限",
    ),
    (
        Role.RECTIFICATION_OFFICE,
        "/problems/{problem}/moves/carry_over",
        {"reason": "历史遗留"},
        "请填写下一步整改措施、新的整改时限",
    ),
    (Role.RECTIFICATION_OFFICE, "/problems/{problem}/moves/submit", {}, "当前状态为「未开始」"),
    (Role.RESPONSIBLE_PERSON, "/inspections/{inspection}/plan/submit", {}, "可以报送整改方案"),
    (
        Role.DISCIPLINE,
        "/inspections/{inspection}/accountability",
        {"kind": "admonition_talk", "grade": "warning"},
        "只有党纪处分和政务处分可以填写处分档次",
    ),
    (Role.RESPONSIBLE_PERSON, "/inspections/{inspection}/funds", {"amount": 5}, "可以记录追缴资金"),
]


@pytest.mark.parametrize(("role", "path", "body", "reason"), REFUSALS)
def test_a_refused_write_says_why_and_changes_nothing(
    cast: Cast, role: Role, path: str, body: dict[str, Any], reason: str
) -> None:
    a = cast.a
    ids = {
        "measure": a.measure.pk,
        "other": a.other_measure.pk,
        "problem": a.problem.pk,
        "inspection": a.inspection.pk,
    }
    before = ledger_state()
    response = post(a.users[role], path.format(**ids), body)
    assert response.status == 409
    assert reason in response.data["detail"]
    assert CHINESE.search(response.data["detail"])
    assert ledger_state() == before


def test_follow_up_is_refused_for_a_problem_still_open(cast: Cast, unchanged: None) -> None:
    response = post(
        cast.office_user,
        f"/problems/{cast.a.problem.pk}/follow-up-reviews",
        {"date": TODAY.isoformat(), "finding": "仍在整改"},
    )
    assert (response.status, response.data) == (
        409,
        {"detail": "只有已销号或长期坚持的问题可以回头看"},
    )


def test_returning_evidence_needs_a_comment(cast: Cast) -> None:
    evidence = upload(cast.a.users[Role.RESPONSIBLE_PERSON], cast.a.measure, "a.txt", b"note")
    before = ledger_state()
    response = post(
        cast.a.users[Role.RESPONSIBLE_LEADER],
        f"/evidence/{evidence.data['id']}/review",
        {"accept": False},
    )
    assert (response.status, response.data["detail"]) == (409, "退回佐证材料时请写明意见")
    assert ledger_state() == before


def _others(cast: Cast) -> list[tuple[str, dict[str, Any]]]:
    """One request per operation, all aimed at organisation A's objects."""
    a = cast.a
    person = a.users[Role.RESPONSIBLE_PERSON]
    evidence = upload(person, a.measure, "a.txt", b"note").data["id"]
    extension = post(
        person,
        f"/measures/{a.measure.pk}/extensions",
        {"new_deadline": (TODAY + dt.timedelta(days=90)).isoformat(), "reason": "等待批复"},
    ).data["id"]
    day = TODAY.isoformat()
    return [
        (f"/measures/{a.measure.pk}/moves/start", {}),
        (f"/problems/{a.problem.pk}/moves/start", {}),
        (f"/inspections/{a.inspection.pk}/plan/submit", {}),
        (f"/measures/{a.measure.pk}/progress", {"date": day, "text": "进展"}),
        (f"/evidence/{evidence}/review", {"accept": True}),
        (f"/measures/{a.measure.pk}/extensions", {"new_deadline": "2099-01-01", "reason": "理由"}),
        (f"/extensions/{extension}/decision", {"approve": True}),
        (f"/problems/{a.problem.pk}/follow-up-reviews", {"date": day, "finding": "好"}),
        (f"/inspections/{a.inspection.pk}/accountability", {"kind": "admonition_talk"}),
        (f"/inspections/{a.inspection.pk}/regulations", {"title": "制度"}),
        (f"/inspections/{a.inspection.pk}/funds", {"amount": 1}),
    ]


@pytest.mark.parametrize("stranger", ["b_rectification_office", "b_first_responsible", "outsider"])
def test_another_organisations_objects_are_not_found(cast: Cast, stranger: str) -> None:
    requests = _others(cast)
    user = cast.everyone[stranger]
    before = ledger_state()
    for path, body in requests:
        response = post(user, path, body)
        assert response.status == 404, path
        assert CHINESE.search(response.data["detail"])
    assert upload(user, cast.a.measure, "a.txt", b"note").status == 404
    assert ledger_state() == before


@pytest.mark.parametrize(
    "path",
    ["/measures/999999/moves/start", "/evidence/999999/review", "/extensions/999999/decision"],
)
def test_an_unknown_id_is_not_found(cast: Cast, path: str) -> None:
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    assert post(office, path, {"accept": True, "approve": True}).status == 404


def test_the_anonymous_are_asked_to_sign_in(cast: Cast, unchanged: None) -> None:
    assert post(None, f"/measures/{cast.a.measure.pk}/moves/start").status == 401


# ---- CSRF -------------------------------------------------------------------


def _browser(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_session_write_without_the_csrf_token_is_refused(cast: Cast) -> None:
    client = _browser(cast.a.users[Role.RESPONSIBLE_PERSON])
    before = ledger_state()
    response = client.post(
        f"/api/measures/{cast.a.measure.pk}/moves/start", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF 令牌" in response.json()["detail"]
    assert ledger_state() == before


def test_a_session_write_with_the_csrf_token_goes_through(cast: Cast) -> None:
    client = _browser(cast.a.users[Role.RESPONSIBLE_PERSON])
    secret = secrets.token_hex(16)  # 32 characters, as Django's CSRF cookie holds
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(
        f"/api/measures/{cast.a.measure.pk}/moves/start",
        {},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 200
    assert Measure.objects.get(pk=cast.a.measure.pk).state == State.IN_PROGRESS


def test_a_token_write_needs_no_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/measures/{cast.a.measure.pk}/moves/start",
        {},
        content_type="application/json",
        headers=bearer(cast.a.users[Role.RESPONSIBLE_PERSON]),
    )
    assert response.status_code == 200


# ---- evidence files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("工具.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("报告.pdf", b"#!/bin/sh\nrm -rf /\n", "文件内容与扩展名不符"),
        ("照片.png", PDF, "文件内容与扩展名不符"),
    ],
)
def test_an_evidence_file_of_the_wrong_kind_is_refused(
    cast: Cast, name: str, content: bytes, reason: str
) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    before = ledger_state()
    response = upload(person, cast.a.measure, name, content)
    assert response.status == 409
    assert response.data["detail"].startswith(reason)
    assert ledger_state() == before
    assert not Evidence.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=64)
def test_an_oversize_evidence_file_is_refused_before_it_is_read(cast: Cast) -> None:
    # The limit in bytes is the handler's wording: the service, which sees the
    # content only after it was read, would say 0 MB.
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    files = stored_files()
    response = upload(person, cast.a.measure, "大文件.pdf", PDF + b"0" * 64)
    assert (response.status, response.data["detail"]) == (409, "文件超过大小上限（64 字节）")
    assert not Evidence.objects.exists()
    assert stored_files() == files


# ---- input the databases cannot keep ----------------------------------------


def _raw(user: User, path: str, body: str) -> int:
    response = Client().post(
        f"/api{path}", body, content_type="application/json", headers=bearer(user)
    )
    return response.status_code


@pytest.mark.parametrize(
    ("target", "body"),
    [
        ("moves/start", '{"comment": "\\u0000"}'),
        ("moves/start", '{"comment": "\\ud800"}'),
        ("moves/start", '{"comment": "' + "长" * 5001 + '"}'),
        ("moves/start", "[1, 2"),
        ("moves/start", "1" * 5000),
        ("progress", '{"date": "2024-01-01", "text": "x", "figures": {"a": 1e400}}'),
        ("progress", '{"date": "2024-01-01", "text": "x", "figures": {"a": NaN}}'),
        ("progress", '{"date": "2024-01-01", "text": "x", "figures": {"a": 1' + "0" * 30 + "}}"),
        ("progress", '{"date": "2024-01-01", "text": "x", "figures": {"\\u0000": 1}}'),
        ("progress", '{"date": "2024-01-01", "text": "x", "figures": {"a": "\\ud800"}}'),
        ("progress", '{"date": "99999-01-01", "text": "x"}'),
        ("progress", '{"date": 1e300, "text": "x"}'),
    ],
)
def test_input_the_databases_cannot_keep_is_rejected(cast: Cast, target: str, body: str) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    status = _raw(person, f"/measures/{cast.a.measure.pk}/{target}", body)
    assert status in (400, 422)
    assert not ProgressEntry.objects.exists()
    assert Measure.objects.get(pk=cast.a.measure.pk).state == State.NOT_STARTED


@pytest.mark.parametrize("measure_id", ["-1", "0", str(2**63), str(10**40)])
def test_an_impossible_id_is_rejected(cast: Cast, measure_id: str) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    assert _raw(person, f"/measures/{measure_id}/moves/start", "{}") in (404, 422)


def test_right_to_left_marks_and_rare_characters_are_kept_as_written(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    text = "\u202e进展\u200b𠀀👩‍👩‍👧 \ufeff"
    response = post(
        person,
        f"/measures/{cast.a.measure.pk}/progress",
        {"date": TODAY.isoformat(), "text": text, "figures": {"\u202e": -0.0}},
    )
    assert response.status == 200
    assert ProgressEntry.objects.get().text == text
    assert verify() is None
