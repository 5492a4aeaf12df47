"""The API refuses bad input in Chinese, and refusing changes nothing."""

import re

from django.test import Client

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.ledger.models import ProgressEntry
from zhenggai.orgs.models import Role

CJK = re.compile(r"[\u4e00-\u9fff]")


def _person(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.a.users[Role.RESPONSIBLE_PERSON])
    return client


def test_an_unreadable_body_is_refused_in_chinese(cast: Cast) -> None:
    url = f"/api/measures/{cast.a.measure.pk}/progress"
    response = _person(cast).post(url, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "请求体无法解析" in response.json()["detail"]
    assert ProgressEntry.objects.count() == 0


def test_a_wrong_date_is_named_in_chinese(cast: Cast) -> None:
    events = Event.objects.count()
    response = _person(cast).post(
        f"/api/measures/{cast.a.measure.pk}/progress",
        {"date": "2026-02-30", "text": "召开会议"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "date：日期格式应为 YYYY-MM-DD" in response.json()["detail"]
    assert (ProgressEntry.objects.count(), Event.objects.count()) == (0, events)


def test_a_missing_field_is_named_in_chinese(cast: Cast) -> None:
    response = _person(cast).post(
        f"/api/measures/{cast.a.measure.pk}/progress",
        {"date": "2026-01-05"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "text：缺少该项" in response.json()["detail"]


def test_anonymous_requests_are_told_to_sign_in(cast: Cast) -> None:
    response = Client().get("/api/inspections")
    assert response.status_code == 401
    assert CJK.search(response.json()["detail"])
