"""The organisation reports its rectification to the office: once, after its plan is
approved, by its rectification office or first responsible person, audited; the
office is told in its inbox, and the report's due date is met from then on."""

import datetime as dt

import pytest
from django.test import Client

from tests.app.conftest import Cast, plans_approved
from zhenggai.audit.models import Event
from zhenggai.escalation import reports
from zhenggai.escalation.facts import facts_of
from zhenggai.inbox.models import Kind, Message
from zhenggai.inspections.models import Inspection
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused

pytestmark = pytest.mark.django_db


def _late(cast: Cast) -> Inspection:
    """A's feedback long ago: its report is due and past."""
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(
        feedback_date=dt.date.today() - dt.timedelta(days=200)
    )
    return Inspection.objects.select_related("organisation").get(pk=cast.a.inspection.pk)


def test_the_report_is_submitted_once_audited_and_the_office_is_told(cast: Cast) -> None:
    plans_approved(cast.a)
    before = facts_of([_late(cast)], dt.date.today())[cast.a.inspection.pk]
    assert before.report_late is not None and before.report_late > 0
    user = cast.a.users[Role.RECTIFICATION_OFFICE]
    done = reports.report_submit(
        actor=user, inspection_id=cast.a.inspection.pk, note="县融发〔2025〕3号"
    )
    assert done.report_submitted is not None
    event = Event.objects.get(action="inspection.report_submit")
    assert event.after is not None and event.actor_id == user.pk
    assert event.after["comment"] == "县融发〔2025〕3号"
    told = Message.objects.get(recipient=cast.office_user)
    assert told.kind == Kind.NEWS and "县融媒体中心" in told.text
    assert told.link == f"/inspections/{cast.a.inspection.pk}/"
    after = facts_of([_late(cast)], dt.date.today())[cast.a.inspection.pk]
    assert after.report_late is None and after.report_due_in is None
    with pytest.raises(Refused, match="整改情况报告已于"):
        reports.report_submit(actor=user, inspection_id=cast.a.inspection.pk)
    assert Event.objects.filter(action="inspection.report_submit").count() == 1


def test_it_is_refused_before_the_plan_is_approved(cast: Cast) -> None:
    user = cast.a.users[Role.FIRST_RESPONSIBLE]
    with pytest.raises(Refused, match="整改方案审批后才能报送整改情况报告"):
        reports.report_submit(actor=user, inspection_id=cast.a.inspection.pk)
    assert Inspection.objects.get(pk=cast.a.inspection.pk).report_submitted is None


@pytest.mark.parametrize("role", [Role.RESPONSIBLE_PERSON, Role.DISCIPLINE])
def test_other_roles_are_refused_in_chinese(cast: Cast, role: Role) -> None:
    plans_approved(cast.a)
    with pytest.raises(Refused, match="报送整改情况报告"):
        reports.report_submit(actor=cast.a.users[role], inspection_id=cast.a.inspection.pk)
    with pytest.raises(NotFound):
        reports.report_submit(
            actor=cast.b.users[Role.RECTIFICATION_OFFICE], inspection_id=cast.a.inspection.pk
        )
    assert not Event.objects.filter(action="inspection.report_submit").exists()


def test_the_ledger_page_submits_it_and_then_says_when(cast: Cast) -> None:
    plans_approved(cast.a)
    client = Client()
    client.force_login(cast.a.users[Role.RECTIFICATION_OFFICE])
    ledger = f"/inspections/{cast.a.inspection.pk}/"
    assert 'id="report-submit"' in client.get(ledger).content.decode()
    response = client.post(f"{ledger}report/", {"note": "x" * 6000})
    assert response.status_code == 302  # refused: too long, nothing recorded
    assert Inspection.objects.get(pk=cast.a.inspection.pk).report_submitted is None
    assert "说明不能超过 5000 个字" in client.get(ledger).content.decode()
    response = client.post(f"{ledger}report/", {"note": ""})
    assert response.status_code == 302 and response["Location"] == ledger
    body = client.get(ledger).content.decode()
    assert 'id="report-submitted"' in body and 'id="report-submit"' not in body
    reader = Client()
    reader.force_login(cast.a.users[Role.RESPONSIBLE_PERSON])
    assert 'id="report-submit"' not in reader.get(ledger).content.decode()
