"""The escalation pages: the office's warning list and ladder, the organisation's
letters signed for and answered through the page, and nothing of A's letters for B."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.escalation import ladder
from zhenggai.escalation.letters import letter_issue
from zhenggai.escalation.models import Letter
from zhenggai.inspections.models import Inspection
from zhenggai.orgs.models import Organisation, Role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _late(cast: Cast) -> None:
    inspection = cast.a.inspection
    inspection.feedback_date = TODAY - dt.timedelta(days=45)  # plan 15 days late
    inspection.save()


def test_the_warning_list_shows_late_plans_with_links(cast: Cast) -> None:
    _late(cast)
    body = _client(cast.office_user).get(reverse("web:warnings")).content.decode()
    assert "县融媒体中心" in body
    plan = reverse("web:plan", args=[cast.a.inspection.pk])
    assert f'<a href="{plan}">15</a>' in body  # under 整改方案逾期（天）
    assert reverse("web:letters", args=[cast.a.inspection.pk]) in body


def test_the_warning_list_pages_with_the_warned_first(cast: Cast) -> None:
    _late(cast)
    for n in range(60):
        org = Organisation.objects.create(
            name=f"单位{n:02}", kind=Organisation.Kind.INSPECTED, parent=cast.office
        )
        Inspection.objects.create(organisation=org, title=f"巡察{n}")
    client = _client(cast.office_user)
    first = client.get(reverse("web:warnings"))
    rows = first.context["rows"]
    assert len(rows) == 50 and rows[0].inspection.pk == cast.a.inspection.pk
    assert first.context["warned"] == 1 and first.context["count"] == 62
    second = client.get(reverse("web:warnings") + "?page=2")
    assert len(second.context["rows"]) == 12
    assert client.get(reverse("web:warnings") + "?page=x").context["page"] == 1


def test_a_draft_plan_s_measures_are_not_counted_overdue(cast: Cast) -> None:
    measure = cast.a.measure
    measure.deadline = TODAY - dt.timedelta(days=3)
    measure.save()
    body = _client(cast.office_user).get(reverse("web:warnings")).content.decode()
    assert 'overdue=1">0<' in body.replace("&amp;", "&")


def test_the_office_issues_from_the_page_and_a_answers(cast: Cast) -> None:
    _late(cast)
    url = reverse("web:letters", args=[cast.a.inspection.pk])
    assert _client(cast.office_user).post(url).status_code == 302
    letter = Letter.objects.get()
    page = reverse("web:letter", args=[letter.pk])
    org = _client(cast.a.users[Role.RECTIFICATION_OFFICE])
    assert "整改方案应于" in org.get(page).content.decode()
    org.post(page, {"action": "acknowledge"})
    org.post(page, {"action": "answer", "reply": "已审批方案", "measures": [cast.a.measure.pk]})
    letter.refresh_from_db()
    assert letter.acknowledged_at and letter.reply == "已审批方案"
    assert list(letter.measures.values_list("pk", flat=True)) == [cast.a.measure.pk]


def test_a_reader_is_refused_in_chinese_and_nothing_changes(cast: Cast) -> None:
    _late(cast)
    letter = letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    page = reverse("web:letter", args=[letter.pk])
    response = _client(cast.a.users[Role.DISCIPLINE]).post(
        page, {"action": "acknowledge"}, follow=True
    )
    assert "只有" in response.content.decode()
    letter.refresh_from_db()
    assert letter.acknowledged_at is None
    refused = _client(cast.a.users[Role.RECTIFICATION_OFFICE]).post(
        reverse("web:letters", args=[cast.a.inspection.pk]), follow=True
    )
    assert "只有巡察办可以发出督促函件" in refused.content.decode()


def test_b_never_sees_a_s_letters(cast: Cast) -> None:
    _late(cast)
    letter = letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    b = _client(cast.b.users[Role.RECTIFICATION_OFFICE])
    for name in ("web:letter", "web:letter_docx"):
        assert b.get(reverse(name, args=[letter.pk])).status_code == 404
    assert (
        b.post(reverse("web:letter", args=[letter.pk]), {"action": "acknowledge"}).status_code
        == 404
    )
    own = b.get(reverse("web:letters", args=[cast.b.inspection.pk])).content.decode()
    assert letter.number not in own


def test_the_office_changes_its_ladder_on_its_page(cast: Cast) -> None:
    _client(cast.office_user).post(
        reverse("web:ladder"),
        {"prefix": "县巡办", "name": ["通知书", "告诫书", ""], "days": ["5", "3", "7"]},
    )
    found, steps = ladder.ladder_for(cast.office)
    assert found.prefix == "县巡办"
    assert [(s.name, s.days) for s in steps] == [("通知书", 5), ("告诫书", 3)]


def test_the_docx_downloads(cast: Cast) -> None:
    _late(cast)
    letter = letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    response = _client(cast.a.users[Role.FIRST_RESPONSIBLE]).get(
        reverse("web:letter_docx", args=[letter.pk])
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
