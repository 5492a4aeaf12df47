"""The read API: who sees what, the measures list's filters, details, totals, files."""

import datetime as dt
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.http import FileResponse
from django.test import Client
from django.utils import timezone

from tests.app.conftest import Cast, Unit
from zhenggai.accountability.models import Action
from zhenggai.api import ledger_schemas
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Evidence, Measure
from zhenggai.orgs.models import ApiToken, OfficeSettings, Role
from zhenggai.orgs.tokens import digest
from zhenggai.services import ledger as services

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
PDF = b"%PDF-1.4 evidence of the meeting\n"


def _get(client: Client, user: User, url: str, **params: Any) -> Any:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def _sign_off(unit: Unit, measure: Measure) -> Evidence:
    """The whole journey of a measure to 已销号, through the services."""
    person, leader = unit.users[Role.RESPONSIBLE_PERSON], unit.users[Role.RESPONSIBLE_LEADER]
    if Measure.objects.get(pk=measure.pk).state == "not_started":  # progress may have started it
        services.measure_move(actor=person, measure_id=measure.pk, move="start", data=MoveInput())
    evidence = services.evidence_add(
        actor=person, measure_id=measure.pk, name="会议记录.pdf", content=PDF, effective_date=TODAY
    )
    services.measure_move(actor=person, measure_id=measure.pk, move="submit", data=MoveInput())
    services.evidence_review(actor=leader, evidence_id=evidence.pk, accept=True, comment="")
    services.measure_move(
        actor=leader, measure_id=measure.pk, move="sign_off", data=MoveInput(comment="同意")
    )
    return evidence


def _more_measures(unit: Unit) -> dict[str, Measure]:
    """A ledger with something for every filter: states, deadlines, departments, words;
    its plan approved, so that its deadlines bind."""
    Inspection.objects.filter(pk=unit.inspection.pk).update(plan_approved=timezone.now())
    category = Category.objects.create(inspection=unit.inspection, position=2, title="作风建设方面")
    problem = Problem.objects.create(
        inspection=unit.inspection, category=category, position=1, title="会风文风不实"
    )

    def add(position: int, **fields: Any) -> Measure:
        return Measure.objects.create(
            inspection=unit.inspection,
            category=category,
            problem=problem,
            position=position,
            **{"text": f"另一措施{position}", **fields},
        )

    return {
        "late": add(1, deadline=TODAY - dt.timedelta(days=3), state=State.IN_PROGRESS),
        "late_but_done": add(2, deadline=TODAY - dt.timedelta(days=9), state=State.SIGNED_OFF),
        "soon": add(3, deadline=TODAY + dt.timedelta(days=5), department_name="财务室"),
        "words": add(4, text="精简会议文件，压缩发文数量", person_name="张三"),
    }


def _ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


# --- Who may read ---------------------------------------------------------------------


def test_anonymous_requests_are_401(client: Client, cast: Cast) -> None:
    for url in (
        "/api/me",
        "/api/inspections",
        f"/api/inspections/{cast.a.inspection.pk}/ledger",
        "/api/measures",
        f"/api/problems/{cast.a.problem.pk}",
        "/api/totals",
    ):
        response = client.get(url)
        assert response.status_code == 401, url
        assert set(response.json()) == {"detail"}


def test_a_token_signs_in_and_a_wrong_one_is_401(client: Client, cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    ApiToken.objects.create(user=person, digest=digest("secret-token"), label="OA")
    good = client.get("/api/me", HTTP_AUTHORIZATION="Bearer secret-token")
    assert good.status_code == 200
    assert good.json()["username"] == person.username
    wrong = client.get("/api/me", HTTP_AUTHORIZATION="Bearer another-token")
    assert wrong.status_code == 401


def test_another_organisations_objects_are_404(client: Client, cast: Cast) -> None:
    evidence = _sign_off(cast.b, cast.b.measure)
    b = cast.b
    client.force_login(cast.a.users[Role.RECTIFICATION_OFFICE])
    for url in (
        f"/api/inspections/{b.inspection.pk}",
        f"/api/inspections/{b.inspection.pk}/ledger",
        f"/api/inspections/{b.inspection.pk}/outline",
        f"/api/inspections/{b.inspection.pk}/measures",
        f"/api/problems/{b.problem.pk}",
        f"/api/problems/{b.problem.pk}/history",
        f"/api/measures/{b.measure.pk}",
        f"/api/measures/{b.measure.pk}/history",
        f"/api/evidence/{evidence.pk}/file",
        "/api/problems/999999",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "未找到" in response.json()["detail"]


def test_the_outsider_sees_nothing(client: Client, cast: Cast) -> None:
    assert _get(client, cast.outsider, "/api/inspections") == []
    assert _get(client, cast.outsider, "/api/measures")["count"] == 0
    assert _get(client, cast.outsider, "/api/totals")["organisations"] == []


def test_me_lists_the_roles(client: Client, cast: Cast) -> None:
    me = _get(client, cast.a.users[Role.RESPONSIBLE_PERSON], "/api/me")
    assert me["memberships"] == [
        {
            "organisation": {"id": cast.a.org.pk, "name": "县融媒体中心"},
            "role": "responsible_person",
            "role_label": "责任人",
            "department": {"id": cast.a.department.pk, "name": "新闻部"},
        }
    ]


# --- Inspections ----------------------------------------------------------------------


def test_the_office_lists_every_inspection_with_its_totals(client: Client, cast: Cast) -> None:
    _sign_off(cast.a, cast.a.measure)
    listed = _get(client, cast.office_user, "/api/inspections")
    assert [i["id"] for i in listed] == [cast.a.inspection.pk, cast.b.inspection.pk]
    assert listed[0]["organisation"] == {"id": cast.a.org.pk, "name": "县融媒体中心"}
    assert listed[0]["totals"] == {
        "problems": 1,
        "signed_off": 0,
        "long_term": 0,
        "in_progress": 1,
        "measures": 2,
        "overdue": 0,
        "completion": 0.5,
    }
    assert listed[1]["totals"]["completion"] == 0.0


def test_an_organisation_lists_only_its_own(client: Client, cast: Cast) -> None:
    listed = _get(client, cast.b.users[Role.DISCIPLINE], "/api/inspections")
    assert [i["id"] for i in listed] == [cast.b.inspection.pk]


def test_completion_is_weighted(client: Client, cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.measure.pk).update(weight=3, state=State.SIGNED_OFF)
    listed = _get(client, cast.office_user, f"/api/inspections/{cast.a.inspection.pk}")
    assert listed["totals"]["completion"] == 0.75


def test_the_detail_gives_the_due_dates_by_the_offices_rules(client: Client, cast: Cast) -> None:
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(feedback_date=dt.date(2024, 3, 1))
    OfficeSettings.objects.create(office=cast.office, plan_days=15, warn_leader_days=5)
    detail = _get(client, cast.office_user, f"/api/inspections/{cast.a.inspection.pk}")
    assert detail["due"] == {"plan_due": "2024-03-16", "report_due": "2024-04-30"}
    assert detail["rules"]["warn_leader_days"] == 5
    assert detail["contact"] == {"phone": None, "address": None, "postcode": None, "email": None}


def test_the_ledger_counts_accountability_and_leaves_no_empty_strings(
    client: Client, cast: Cast
) -> None:
    Action.objects.bulk_create(
        [
            *(Action(inspection=cast.a.inspection, kind="criticism_education") for _ in range(2)),
            Action(inspection=cast.a.inspection, kind="admonishment"),
            Action(inspection=cast.a.inspection, kind="other", kind_text="通报批评"),
        ]
    )
    ledger = _get(client, cast.office_user, f"/api/inspections/{cast.a.inspection.pk}/ledger")
    assert ledger["accountability"] == {
        "party_discipline": None,
        "ordered_self_examination": None,
        "criticism_education": 2,
        "admonition_talk": None,
        "other": {"诫勉": 1, "通报批评": 1},
    }
    deadline = cast.a.measure.deadline
    assert deadline is not None
    # no names were imported: the people it was assigned to, as the pages name them
    assert ledger["categories"][0]["problems"][0]["measures"][0] == {
        "text": cast.a.measure.text,
        "type": "限期整改",
        "target": None,
        "leader": "a_responsible_leader",
        "department": "新闻部",
        "person": "a_responsible_person",
        "deadline": deadline.isoformat(),
        "deadline_text": None,
        "progress": None,
        "status": None,
        "evidence": None,
        "sign_off": None,
        "note": None,
    }


def test_the_outline_gives_ids_and_states(client: Client, cast: Cast) -> None:
    outline = _get(client, cast.office_user, f"/api/inspections/{cast.a.inspection.pk}/outline")
    problem = outline["categories"][0]["problems"][0]
    assert problem["id"] == cast.a.problem.pk
    assert [m["id"] for m in problem["measures"]] == [cast.a.measure.pk, cast.a.other_measure.pk]
    assert problem["measures"][0]["warning"] == "green"


# --- The measures list ----------------------------------------------------------------


def test_the_list_filters_by_state(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    page = _get(client, cast.office_user, "/api/measures", state=["in_progress", "signed_off"])
    assert sorted(_ids(page)) == sorted([more["late"].pk, more["late_but_done"].pk])
    assert page["count"] == 2


def test_the_list_filters_by_overdue(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    page = _get(client, cast.office_user, "/api/measures", overdue="true")
    assert _ids(page) == [more["late"].pk]
    assert page["items"][0]["overdue"] is True
    assert page["items"][0]["warning"] == "red"
    not_overdue = _get(client, cast.office_user, "/api/measures", overdue="false")
    assert more["late"].pk not in _ids(not_overdue)
    assert not_overdue["count"] == Measure.objects.count() - 1


def test_the_list_filters_by_department_id_or_name(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    by_id = _get(client, cast.office_user, "/api/measures", department=cast.a.department.pk)
    assert _ids(by_id) == [cast.a.measure.pk]
    assert by_id["items"][0]["department"] == "新闻部"
    by_name = _get(client, cast.office_user, "/api/measures", department_name="财务室")
    assert _ids(by_name) == [more["soon"].pk]


def test_the_list_filters_by_person(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    assert _ids(_get(client, cast.office_user, "/api/measures", person=person.pk)) == [
        cast.a.measure.pk
    ]
    assert _ids(_get(client, cast.office_user, "/api/measures", person_name="张三")) == [
        more["words"].pk
    ]


def test_the_search_finds_chinese_in_measures_and_problem_titles(
    client: Client, cast: Cast
) -> None:
    more = _more_measures(cast.a)
    assert _ids(_get(client, cast.office_user, "/api/measures", q="压缩发文")) == [more["words"].pk]
    by_problem = _get(client, cast.office_user, "/api/measures", q="会风")
    assert by_problem["count"] == 4
    assert _get(client, cast.office_user, "/api/measures", q="100%")["count"] == 0


def test_the_list_filters_by_deadline_range(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    page = _get(
        client,
        cast.office_user,
        "/api/measures",
        deadline_from=(TODAY - dt.timedelta(days=3)).isoformat(),
        deadline_to=(TODAY + dt.timedelta(days=5)).isoformat(),
    )
    assert sorted(_ids(page)) == sorted([more["late"].pk, more["soon"].pk])


def test_the_list_filters_by_inspection_and_category(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    page = _get(client, cast.office_user, "/api/measures", inspection=cast.b.inspection.pk)
    assert _ids(page) == [cast.b.measure.pk, cast.b.other_measure.pk]
    scoped = _get(
        client,
        cast.office_user,
        f"/api/inspections/{cast.a.inspection.pk}/measures",
        category=more["late"].category_id,
    )
    assert scoped["count"] == 4


def test_the_list_is_paginated(client: Client, cast: Cast) -> None:
    _more_measures(cast.a)
    everything = _ids(_get(client, cast.office_user, "/api/measures", page_size=200))
    assert len(everything) == 8
    second = _get(client, cast.office_user, "/api/measures", page=2, page_size=3)
    assert (second["count"], second["page"], second["page_size"]) == (8, 2, 3)
    assert _ids(second) == everything[3:6]
    assert _get(client, cast.office_user, "/api/measures", page=9)["items"] == []
    client.force_login(cast.office_user)
    assert client.get("/api/measures", {"page_size": 201}).status_code == 422
    assert client.get("/api/measures", {"page": 0}).status_code == 422


def test_the_list_is_in_ledger_order_by_default(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    page = _get(client, cast.office_user, "/api/measures", inspection=cast.a.inspection.pk)
    assert _ids(page) == [
        cast.a.measure.pk,
        cast.a.other_measure.pk,
        *(m.pk for m in more.values()),
    ]


def test_the_list_sorts_by_deadline_and_state(client: Client, cast: Cast) -> None:
    more = _more_measures(cast.a)
    url = f"/api/inspections/{cast.a.inspection.pk}/measures"
    by_deadline = _ids(_get(client, cast.office_user, url, sort="deadline"))
    assert by_deadline[:3] == [more["late_but_done"].pk, more["late"].pk, more["soon"].pk]
    assert by_deadline[-1] == more["words"].pk  # no deadline: last
    latest_first = _ids(_get(client, cast.office_user, url, sort="-deadline"))
    assert latest_first[-3:] == [more["late"].pk, more["late_but_done"].pk, more["words"].pk]
    by_state = _ids(_get(client, cast.office_user, url, sort="state"))
    assert by_state[-2:] == [more["late"].pk, more["late_but_done"].pk]


def test_a_list_item_names_the_people_and_the_warning(client: Client, cast: Cast) -> None:
    OfficeSettings.objects.create(office=cast.office, warn_person_days=40)
    page = _get(client, cast.office_user, "/api/measures", inspection=cast.a.inspection.pk)
    item = page["items"][0]
    assert item["person"] == cast.a.users[Role.RESPONSIBLE_PERSON].username
    assert item["leader"] == cast.a.users[Role.RESPONSIBLE_LEADER].username
    assert item["problem"] == {"id": cast.a.problem.pk, "title": "理论学习不深入"}
    assert (item["state"], item["state_label"]) == ("not_started", "未开始")
    # 30 days left: inside the office's 40-day tier for the person.
    assert (item["overdue"], item["warning"]) == (False, "yellow")


# --- Details and history --------------------------------------------------------------


def test_the_problem_detail_carries_its_measures_parts(client: Client, cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    services.progress_record(
        actor=person, measure_id=cast.a.measure.pk, date=TODAY, text="已召开专题会"
    )
    evidence = _sign_off(cast.a, cast.a.measure)
    detail = _get(client, cast.a.users[Role.DISCIPLINE], f"/api/problems/{cast.a.problem.pk}")
    first = detail["measures"][0]
    assert first["state"] == "signed_off"
    assert [e["id"] for e in first["evidence"]] == [evidence.pk]
    assert first["evidence"][0]["review"] == "accepted"
    assert first["evidence"][0]["supplied_by"] == person.username
    assert [p["text"] for p in first["progress"]] == ["已召开专题会"]
    assert [a["kind"] for a in first["approvals"]] == ["evidence", "sign_off"]
    assert detail["category"]["title"] == "政治建设方面"
    assert detail["parent"] is None


def test_the_measure_detail_shows_extensions(client: Client, cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    later = TODAY + dt.timedelta(days=60)
    services.extension_request(
        actor=person, measure_id=cast.a.measure.pk, new_deadline=later, reason="需市级审批"
    )
    detail = _get(client, person, f"/api/measures/{cast.a.measure.pk}")
    assert detail["extensions"][0]["new_deadline"] == later.isoformat()
    assert detail["extensions"][0]["decision"] == "pending"
    assert detail["extensions"][0]["requested_by"] == person.username


def test_the_history_lists_the_audit_events_in_order(client: Client, cast: Cast) -> None:
    _sign_off(cast.a, cast.a.measure)
    history = _get(client, cast.office_user, f"/api/measures/{cast.a.measure.pk}/history")
    assert [e["action"] for e in history] == [
        "measure.start",
        "evidence.create",
        "measure.submit",
        "evidence.accepted",
        "measure.sign_off",
    ]
    assert history[-1]["before"]["state"] == "awaiting_sign_off"
    assert history[-1]["actor_name"] == cast.a.users[Role.RESPONSIBLE_LEADER].username
    of_problem = _get(client, cast.office_user, f"/api/problems/{cast.a.problem.pk}/history")
    # The problem got under way with its first measure, just before it.
    assert of_problem[0]["action"] == "problem.start"
    assert of_problem[0]["seq"] == history[0]["seq"] - 1
    assert [e["seq"] for e in of_problem[1:]] == [e["seq"] for e in history]


# --- Totals ---------------------------------------------------------------------------


def test_the_office_totals_count_each_organisation(client: Client, cast: Cast) -> None:
    _sign_off(cast.a, cast.a.measure)
    _more_measures(cast.b)
    report = _get(client, cast.office_user, "/api/totals")
    rows = {row["organisation"]["name"]: row for row in report["organisations"]}
    assert rows["县融媒体中心"]["completion"] == 0.5
    assert rows["县文旅局"]["overdue"] == 1
    assert rows["县文旅局"]["problems"] == 2
    assert report["overall"]["inspections"] == 2
    assert report["overall"]["measures"] == 8


def test_an_organisations_totals_are_its_own(client: Client, cast: Cast) -> None:
    report = _get(client, cast.a.users[Role.RESPONSIBLE_PERSON], "/api/totals")
    assert [row["organisation"]["id"] for row in report["organisations"]] == [cast.a.org.pk]


# --- Evidence files -------------------------------------------------------------------


def test_the_evidence_file_downloads_as_an_attachment(client: Client, cast: Cast) -> None:
    evidence = _sign_off(cast.a, cast.a.measure)
    client.force_login(cast.office_user)
    response = client.get(f"/api/evidence/{evidence.pk}/file")
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response.getvalue() == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('会议记录.pdf')}"
    )


def test_a_missing_evidence_file_is_404(client: Client, cast: Cast) -> None:
    evidence = _sign_off(cast.a, cast.a.measure)
    Evidence.objects.filter(pk=evidence.pk).update(path="../../../etc/passwd")
    client.force_login(cast.office_user)
    response = client.get(f"/api/evidence/{evidence.pk}/file")
    assert response.status_code == 404
    assert response.json() == {"detail": "佐证材料文件不存在"}


# --- The schema -----------------------------------------------------------------------


def test_every_read_operation_is_documented_in_chinese(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    read = [
        op
        for path, ops in schema["paths"].items()
        for op in ops.values()
        if "台账" in op.get("tags", [])
    ]
    assert len(read) == 13
    for op in read:
        texts = [op["summary"], op["description"]]
        texts += [answer["description"] for answer in op["responses"].values()]
        for text in texts:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (op["summary"], text)
        assert {"200", "401"} <= set(op["responses"]), op["summary"]


def test_ids_out_of_range_are_422_not_a_server_error(client: Client, cast: Cast) -> None:
    client.force_login(cast.office_user)
    huge = 2**70
    for url in (f"/api/problems/{huge}", f"/api/measures?department={huge}", "/api/measures/0"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["detail"]


def test_no_schema_name_is_taken_by_another_router(client: Client) -> None:
    """ninja files schemas by class name: a namesake in another router would replace ours."""
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    for name, shape in vars(ledger_schemas).items():
        if isinstance(shape, type) and issubclass(shape, dict) and name in components:
            assert set(components[name]["properties"]) == set(shape.__annotations__), name
