"""The warning tiers and the days allowed after feedback are the office's to set."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.rules import office_settings
from zhenggai.orgs.models import OfficeSettings, Role

RULES = {
    "warn_person_days": 30,
    "warn_leader_days": 15,
    "plan_days": 90,
    "report_days": 120,
    "reviews_plans": True,
    "longest_term_days": 365,
}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_changes_its_rules_and_the_warnings_follow(cast: Cast) -> None:
    url = f"/api/offices/{cast.office.pk}/rules"
    assert _client(cast.office_user).get(url).json()["warn_person_days"] == 20
    response = _client(cast.office_user).post(url, RULES, content_type="application/json")
    assert response.status_code == 200
    assert response.json() | {"office": 0} == RULES | {"office": 0}
    rules = office_settings(cast.office.pk)
    assert (rules.warn_person_days, rules.plan_days) == (30, 90)
    event = Event.objects.get(action="office_settings.update")
    assert event.before is None and event.after is not None
    assert event.after["warn_leader_days"] == 15


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"warn_leader_days": 40}, "提醒责任领导的天数"),
        ({"plan_days": 200}, "整改方案不晚于"),
        ({"longest_term_days": 20}, "整改时限最长应在反馈后 30 到 1095 天之间"),
    ],
)
def test_inconsistent_rules_are_refused_and_nothing_changes(
    cast: Cast, change: dict[str, int], why: str
) -> None:
    url = f"/api/offices/{cast.office.pk}/rules"
    response = _client(cast.office_user).post(url, RULES | change, content_type="application/json")
    assert response.status_code == 409 and why in response.json()["detail"]
    assert not OfficeSettings.objects.exists()
    assert not Event.objects.filter(action="office_settings.update").exists()


def test_the_office_decides_whether_it_reviews_plans_and_their_longest_term(cast: Cast) -> None:
    url = f"/api/offices/{cast.office.pk}/rules"
    change = RULES | {"reviews_plans": False, "longest_term_days": 180}
    response = _client(cast.office_user).post(url, change, content_type="application/json")
    assert response.status_code == 200
    rules = office_settings(cast.office.pk)
    assert (rules.reviews_plans, rules.longest_term_days) == (False, 180)
    assert _client(cast.office_user).get(url).json()["reviews_plans"] is False


def test_no_one_but_the_office_sees_or_changes_them(cast: Cast) -> None:
    url = f"/api/offices/{cast.office.pk}/rules"
    for user in [*cast.a.users.values(), cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider]:
        assert _client(user).get(url).status_code == 404
        assert _client(user).post(url, RULES, content_type="application/json").status_code == 404
    assert Client().get(url).status_code == 401
    assert not OfficeSettings.objects.exists()
