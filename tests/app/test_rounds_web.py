"""The office's register in the browser and the API: a round made, a team added and
given its organisations, an inspection registered and shown 「反馈意见未上传」
until its feedback is uploaded into it."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Round, Team
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db

FEEDBACK = Path(__file__).parent.parent / "feedback" / "a_wrapper.txt"


@pytest.fixture(autouse=True)
def jobs_inline_and_a_data_folder_of_our_own(settings: Any, tmp_path: Path) -> None:
    settings.JOBS_INLINE = True
    settings.DATA_DIR = tmp_path


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _made_round(client: Client, cast: Cast) -> Round:
    data = {"office": cast.office.pk, "name": "十二届县委第五轮巡察", "kind": "专项"}
    response = client.post("/rounds/", data | {"start": "2025-03-01", "plan_days": "20"})
    made = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rounds/{made.pk}/"
    return made


def test_the_office_builds_a_round_in_the_browser(cast: Cast) -> None:
    client = _client(cast.office_user)
    assert "巡察轮次" in client.get("/").content.decode()
    made = _made_round(client, cast)
    assert (made.kind, made.plan_days, made.start) == ("专项", 20, dt.date(2025, 3, 1))
    url = f"/rounds/{made.pk}/"
    client.post(url, {"op": "team", "name": "县委第一巡察组", "leader": "王某"})
    team = Team.objects.get()
    client.post(url, {"op": "assign", "team": team.pk, "organisations": [cast.a.org.pk]})
    assert list(team.organisations.all()) == [cast.a.org]
    response = client.post(
        url,
        {
            "op": "register",
            "organisation": cast.b.org.pk,
            "team": team.pk,
            "feedback_date": "2025-06-01",
        },
    )
    assert response.status_code == 302
    registered = Inspection.objects.get(round=made)
    page = client.get(url).content.decode()
    assert "反馈意见未上传" in page and "县文旅局" in page
    assert "2025-06-21" in page  # the plan due: the round's 20 days
    assert "2025-07-31" in page  # the report due: the office's 60 days
    assert f"/plans/new/?inspection={registered.pk}" in page
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"round.create", "team.create", "team.assign", "inspection.register"} <= actions


def test_a_refusal_is_shown_on_the_form_in_chinese(cast: Cast) -> None:
    client = _client(cast.office_user)
    made = _made_round(client, cast)
    data = {"name": "改", "kind": "常规", "start": "2025-05-01", "end": "2025-04-01"}
    response = client.post(f"/rounds/{made.pk}/edit/", data)
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_the_organisation_uploads_the_feedback_into_the_registered_inspection(
    cast: Cast,
) -> None:
    client = _client(cast.office_user)
    made = _made_round(client, cast)
    client.post(f"/rounds/{made.pk}/", {"op": "register", "organisation": cast.b.org.pk})
    registered = Inspection.objects.get(round=made)
    unit = _client(cast.b.users[Role.RECTIFICATION_OFFICE])
    form = unit.get(f"/plans/new/?inspection={registered.pk}").content.decode()
    assert "上传到已登记的巡察" in form
    data = {
        "organisation": cast.b.org.pk,
        "inspection": registered.pk,
        "other_organisation_ok": "on",
        "file": SimpleUploadedFile(FEEDBACK.name, FEEDBACK.read_bytes()),
    }
    response = unit.post("/plans/new/", data)
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.sources.count() == 1 and registered.categories.exists()
    assert Inspection.objects.filter(organisation=cast.b.org).count() == 2  # the fixture's too
    assert "反馈意见未上传" not in client.get(f"/rounds/{made.pk}/").content.decode()
    # Another unit's people cannot aim at it.
    stranger = _client(cast.a.users[Role.RECTIFICATION_OFFICE])
    assert stranger.get(f"/plans/new/?inspection={registered.pk}").status_code == 404


# --- The API --------------------------------------------------------------------------


def test_the_api_lists_creates_and_details_rounds_and_registers(cast: Cast) -> None:
    client = _client(cast.office_user)
    body = {
        "office": cast.office.pk,
        "name": "十二届县委第五轮巡察",
        "kind": "回头看",
        "report_days": 45,
    }
    made = client.post("/api/rounds", body, content_type="application/json")
    assert made.status_code == 200, made.content
    round_id = made.json()["id"]
    assert made.json()["kind"] == "回头看"
    assert [r["id"] for r in client.get("/api/rounds").json()] == [round_id]
    registered = client.post(
        f"/api/rounds/{round_id}/inspections",
        {"organisation": cast.a.org.pk, "feedback_date": "2025-01-01"},
        content_type="application/json",
    )
    assert registered.status_code == 200, registered.content
    assert registered.json()["report_due"] == "2025-02-15"
    assert registered.json()["has_feedback"] is False
    detail = client.get(f"/api/rounds/{round_id}").json()
    assert [i["organisation"] for i in detail["inspections"]] == [cast.a.org.pk]
    inspection = client.get(f"/api/inspections/{registered.json()['id']}").json()
    assert inspection["round"] == {"id": round_id, "name": "十二届县委第五轮巡察"}
    assert inspection["due"]["report_due"] == "2025-02-15"


def test_the_api_refuses_other_roles_and_hides_other_offices(cast: Cast) -> None:
    round = Round.objects.create(office=cast.office, name="十二届县委第五轮巡察")
    unit = _client(cast.a.users[Role.RECTIFICATION_OFFICE])
    listed = unit.get("/api/rounds")
    assert listed.status_code == 409 and "只有巡察办" in listed.json()["detail"]
    assert unit.get(f"/api/rounds/{round.pk}").status_code == 409
    created = unit.post(
        "/api/rounds", {"office": cast.office.pk, "name": "x"}, content_type="application/json"
    )
    assert created.status_code == 409
    assert Round.objects.count() == 1


def test_the_round_page_gives_each_field_an_id_of_its_own(cast: Cast) -> None:
    """Its forms side by side (a team's assignment beside the registration, both with a
    巡察组) still label their own fields."""
    client = _client(cast.office_user)
    made = _made_round(client, cast)
    client.post(f"/rounds/{made.pk}/", {"op": "team", "name": "县委第一巡察组"})
    page = client.get(f"/rounds/{made.pk}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'for="id_assign_team"' in page and 'id="id_assign_team"' in page


def test_the_round_page_edits_a_team_and_moves_an_inspection(cast: Cast) -> None:
    client = _client(cast.office_user)
    made = _made_round(client, cast)
    url = f"/rounds/{made.pk}/"
    other = Round.objects.create(office=cast.office, name="第六轮")
    client.post(url, {"op": "team", "name": "第一巡察组"})
    team = Team.objects.get(round=made)
    response = client.post(url, {"op": "team_edit", "team": team.pk, "name": "第二巡察组"})
    assert response.status_code == 302
    assert Team.objects.get(pk=team.pk).name == "第二巡察组"
    client.post(url, {"op": "register", "organisation": cast.a.org.pk})
    inspection = Inspection.objects.get(round=made)
    page = client.get(url).content.decode()
    assert 'id="id_move_round"' in page and "第六轮" in page
    response = client.post(url, {"op": "move", "inspection": inspection.pk, "round": other.pk})
    assert response.status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).round_id == other.pk
    # A refusal is shown on the form in Chinese, and nothing moves.
    client.post(url, {"op": "register", "organisation": cast.a.org.pk})
    again = Inspection.objects.get(round=made)
    refused = client.post(url, {"op": "move", "inspection": again.pk, "round": other.pk})
    assert refused.status_code == 400 and "在该轮次已登记巡察" in refused.content.decode()
    assert Inspection.objects.get(pk=again.pk).round_id == made.pk
