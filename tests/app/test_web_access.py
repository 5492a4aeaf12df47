"""Every page, as every kind of visitor: the people of the organisation read it, the
sibling organisation and an outsider get 404 and learn nothing, and an anonymous
visitor is sent to sign in. A page added to web/urls.py without a line here fails."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, reverse

from tests.app.conftest import Cast
from zhenggai.campaigns.models import Campaign, CampaignCheck, CheckEvidence
from zhenggai.escalation.letters import letter_issue
from zhenggai.escalation.models import Letter
from zhenggai.inspections.models import Problem, Round
from zhenggai.inspections.states import State
from zhenggai.jobs.models import Job
from zhenggai.ledger.models import Evidence
from zhenggai.orgs.models import Role
from zhenggai.services import assessments as assessment_services
from zhenggai.services.ledger import store
from zhenggai.web import urls

pytestmark = pytest.mark.django_db

# Pages anyone signed in may open: what they show is their own.
PERSONAL = {"home", "inbox", "plan_upload", "password_change"}
# Pages for objects of organisation A (by route name).
OF_A = {
    "ledger",
    "ledger_export",
    "plan",
    "assign",
    "dispatch",
    "dispatch_sheet",
    "problem",
    "similar",
    "measure",
    "evidence",
    "document",
    "publications",
    "templates",
    "template_change",
    "template_download",
    # An inspection's letters and a letter (test_escalation_web.py).
    "letters",
    "letter",
    "letter_docx",
    # An inspection's registers (test_registers_web.py).
    "registers",
}
# Actions posted about organisation A's objects, with no page of their own (GET: 405).
POSTED = {"report_submit"}  # the report submitted to the office (test_report_submission.py)
# A job is its owner's alone, even within the organisation.
OWNED = {"job", "job_download"}
SIGN_IN = {"login", "logout", "welcome"}
# The office's administration, for its administrators alone (test_web_office_admin.py).
ADMIN = {"admin_tree", "admin_people", "admin_person", "admin_import", "admin_import_template"}
# The inspection office's cockpit (test_cockpit.py) and its register of rounds
# (test_rounds_web.py): the office alone; everyone else 404.
OFFICE = {
    "cockpit",
    "cockpit_measures",
    "cockpit_sheet",
    "cockpit_table",
    "cockpit_section",
    "rounds",
    "round",
    "round_edit",
    "round_bulletin",  # the round's bulletin (test_round_bulletin.py)
    # The warning list and the escalation ladder (test_escalation_web.py).
    "warnings",
    "ladder",
    "assessment_scheme",
}
# Its 回头看 campaigns (test_campaigns_web.py): the office alone, too.
OFFICE |= {"campaigns", "campaign_new", "campaign", "campaign_report", "campaign_file"}
# An inspection's assessment: the office's; A's people once final, never a draft;
# everyone else 404 (test_the_assessment_is_the_office_s_and_once_final_a_s).
ASSESSMENT = {"assessment", "assessment_report", "assessment_evidence"}
# Routes whose id is organisation A's inspection's.
BY_INSPECTION = {
    "ledger",
    "ledger_export",
    "plan",
    "assign",
    "dispatch",
    "dispatch_sheet",
    "publications",
    "report_submit",
    "templates",
    "letters",
    "assessment",
    "assessment_report",
    "registers",
}
# Routes whose URLs take more than an id.
WITH_ARGUMENTS = {
    "document",
    "template_change",
    "template_download",
    "cockpit_sheet",
    "cockpit_table",
    "cockpit_section",
    "assessment_evidence",
}


def _urls(cast: Cast) -> dict[str, str]:
    a = cast.a
    office = a.users[Role.RECTIFICATION_OFFICE]
    evidence = Evidence.objects.create(
        measure=a.measure,
        name="会议记录.txt",
        path="none",
        size=1,
        content_type="text/plain",
        sha256="0" * 64,
        supplied_by=office,
        effective_date=dt.date.today(),
    )
    job = Job.objects.create(owner=office, kind="ledger_export", state=Job.State.DONE)
    round, _made = Round.objects.get_or_create(office=cast.office, name="十二届县委第五轮巡察")
    letter = Letter.objects.filter(inspection=a.inspection).first() or letter_issue(
        actor=cast.office_user, inspection_id=a.inspection.pk
    )
    campaign = _campaign(cast)
    ids = {name: a.inspection.pk for name in BY_INSPECTION} | {
        "problem": a.problem.pk,
        "similar": a.problem.pk,
        "measure": a.measure.pk,
        "evidence": evidence.pk,
        "job": job.pk,
        "job_download": job.pk,
        "admin_person": a.users[Role.RESPONSIBLE_PERSON].pk,
        "round": round.pk,
        "round_edit": round.pk,
        "round_bulletin": round.pk,
        "letter": letter.pk,
        "letter_docx": letter.pk,
        "campaign": campaign.pk,
        "campaign_report": campaign.pk,
        "campaign_file": campaign.checks.get().files.get().pk,
    }
    found = {
        name: reverse(f"web:{name}", args=[ids[name]] if name in ids else [])
        for name in _names()
        if name not in WITH_ARGUMENTS
    }
    return found | _with_arguments(cast)


def _with_arguments(cast: Cast) -> dict[str, str]:
    """The routes of WITH_ARGUMENTS, each with arguments that find something."""
    pk = cast.a.inspection.pk
    given: dict[str, list[int | str]] = {
        "cockpit_sheet": ["inspections"],
        "cockpit_table": ["departments"],
        "cockpit_section": ["trend"],
        "document": [pk, "bulletin", "docx"],
        "template_change": [pk, "bulletin"],
        "template_download": [pk, "bulletin", "default"],
        "assessment_evidence": [pk, "0"],
    }
    return {name: reverse(f"web:{name}", args=args) for name, args in given.items()}


def _campaign(cast: Cast) -> Campaign:
    """A 回头看 campaign over A's closed problem, a file kept with its check."""
    found = Campaign.objects.filter(office=cast.office).first()
    if found is not None:
        return found
    Problem.objects.filter(pk=cast.a.problem.pk).update(state=State.SIGNED_OFF)
    campaign = Campaign.objects.create(
        office=cast.office, name="十二届县委第五轮巡察回头看", created_by=cast.office_user
    )
    check = CampaignCheck.objects.create(campaign=campaign, problem=cast.a.problem)
    digest = hashlib.sha256(b"notes").hexdigest()
    CheckEvidence.objects.create(
        check_row=check,
        name="notes.txt",
        path=store(b"notes", digest),
        size=5,
        content_type="text/plain",
        sha256=digest,
        supplied_by=cast.office_user,
    )
    return campaign


def _names() -> list[str]:
    return [p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name]


def test_every_page_is_in_the_table() -> None:
    assert set(_names()) == (
        PERSONAL | OF_A | POSTED | OWNED | SIGN_IN | ADMIN | OFFICE | ASSESSMENT
    )


def test_the_office_s_pages_are_the_inspection_office_s_alone(cast: Cast) -> None:
    found = _urls(cast)
    for name in OFFICE:
        assert _get(cast.office_user, found[name])[0] == 200, name
        for user in [*cast.a.users.values(), *cast.b.users.values(), cast.outsider]:
            status, body = _get(user, found[name])
            assert status == 404, (name, user)
            assert "县融媒体中心" not in body, (name, user)
            assert "十二届县委第五轮巡察" not in body, (name, user)


def test_the_administration_is_404_to_everyone_of_the_cast(cast: Cast) -> None:
    """No one in the cast administers the office; test_web_office_admin.py has one who does."""
    found = _urls(cast)
    for name in ADMIN:
        for user in [cast.office_user, *cast.a.users.values(), cast.outsider]:
            assert _get(user, found[name])[0] == 404, (name, user)


def _get(user: User | None, url: str) -> tuple[int, str]:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    return response.status_code, body.decode(errors="replace")


def test_anonymous_visitors_are_sent_to_sign_in(cast: Cast) -> None:
    for name, url in _urls(cast).items():
        if name in SIGN_IN:
            continue
        status, _body = _get(None, url)
        assert status == 302, name


def test_the_organisation_reads_its_pages_and_others_get_404(cast: Cast) -> None:
    found = _urls(cast)
    readers = [*cast.a.users.values(), cast.office_user]
    strangers = [
        cast.b.users[Role.RECTIFICATION_OFFICE],
        cast.b.users[Role.DISCIPLINE],
        cast.outsider,
    ]
    for name in OF_A:
        for user in readers:
            status, _body = _get(user, found[name])
            # The evidence row points at no file: found, then missing on disk.
            assert status == (404 if name == "evidence" else 200), (name, user)
        for user in strangers:
            status, body = _get(user, found[name])
            assert status == 404, (name, user)
            assert "县融媒体中心" not in body, (name, user)


def test_a_posted_action_is_refused_to_strangers_as_not_found(cast: Cast) -> None:
    found = _urls(cast)
    for name in POSTED:
        assert _get(cast.a.users[Role.RECTIFICATION_OFFICE], found[name])[0] == 405, name
        for user in (cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider):
            client = Client()
            client.force_login(user)
            response = client.post(found[name])
            assert response.status_code == 404, (name, user)
            assert "县融媒体中心" not in response.content.decode(), (name, user)


def test_a_job_is_its_owners_alone(cast: Cast) -> None:
    found = _urls(cast)
    owner = cast.a.users[Role.RECTIFICATION_OFFICE]
    assert _get(owner, found["job"])[0] == 200
    for user in (cast.a.users[Role.FIRST_RESPONSIBLE], cast.b.users[Role.RECTIFICATION_OFFICE]):
        assert _get(user, found["job"])[0] == 404
        assert _get(user, found["job_download"])[0] == 404


def test_personal_pages_show_only_ones_own(cast: Cast) -> None:
    for name in PERSONAL:
        for user in (cast.outsider, cast.b.users[Role.RECTIFICATION_OFFICE]):
            status, body = _get(user, _urls(cast)[name])
            # Someone with no organisation to import for is told so.
            refused = name == "plan_upload" and user == cast.outsider
            assert status == (403 if refused else 200), (name, user)
            assert "县融媒体中心" not in body, (name, user)


def test_only_those_who_may_import_are_offered_it(cast: Cast) -> None:
    link = 'href="/plans/new/"'
    assert link in _get(cast.a.users[Role.RECTIFICATION_OFFICE], "/")[1]
    assert link in _get(cast.office_user, "/")[1]
    assert link not in _get(cast.a.users[Role.RESPONSIBLE_PERSON], "/")[1]
    assert link not in _get(cast.outsider, "/")[1]


def test_the_assessment_is_the_office_s_and_once_final_a_s(cast: Cast) -> None:
    found = _urls(cast)
    user = cast.office_user
    draft = assessment_services.assessment_start(actor=user, inspection_id=cast.a.inspection.pk)
    assessment_services.assessment_enter(
        actor=user,
        assessment_id=draft.pk,
        indicator=0,
        value=Decimal(20),
        note="依据",
        evidence=assessment_services.Upload("纪要.txt", "会议纪要".encode()),
    )
    strangers = [*cast.b.users.values(), cast.outsider]
    assert _get(user, found["assessment"])[0] == 200
    for other in [*cast.a.users.values(), *strangers]:
        assert _get(other, found["assessment"])[0] == 404, other
    for score in (2, 3):
        assessment_services.assessment_enter(
            actor=user, assessment_id=draft.pk, indicator=score, value=Decimal(1), note="依据"
        )
    assessment_services.assessment_finalise(actor=user, assessment_id=draft.pk)
    for name in ASSESSMENT:
        for reader in [user, *cast.a.users.values()]:
            assert _get(reader, found[name])[0] == 200, (name, reader)
        for other in strangers:
            status, body = _get(other, found[name])
            assert status == 404, (name, other)
            assert "县融媒体中心" not in body, (name, other)
