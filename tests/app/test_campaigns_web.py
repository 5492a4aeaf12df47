"""The office's 回头看 campaign pages: a campaign previewed and made from filters,
its checks assigned and a relapse recorded with evidence (the organisation's own
problem page then shows it reopened, with the campaign named in its history), the
figures shown and the report downloaded; to an organisation every page is a 404."""

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.app.campaign_support import both_closed, colleague, made
from tests.app.conftest import Cast
from zhenggai.campaigns.models import Campaign, CampaignCheck, CheckEvidence
from zhenggai.inspections.models import Problem
from zhenggai.inspections.states import State
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db
TODAY = dt.date.today().isoformat()


@pytest.fixture(autouse=True)
def evidence_folder(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_office_previews_then_makes_a_campaign(cast: Cast) -> None:
    both_closed(cast)
    client = _client(cast.office_user)
    assert 'href="/campaigns/"' in client.get("/").content.decode()
    data = {"office": cast.office.pk, "name": "2025年回头看", "category": "政治"}
    response = client.post("/campaigns/new/", data | {"op": "preview"})
    assert response.status_code == 200
    assert "符合条件的已销号问题：2个" in _text(response)
    assert not Campaign.objects.exists()
    response = client.post("/campaigns/new/", data | {"op": "create"})
    campaign = Campaign.objects.get()
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.checks.count() == 2
    listed = _text(client.get("/campaigns/"))
    assert "2025年回头看" in listed


def test_a_selection_that_finds_nothing_is_refused_in_chinese(cast: Cast) -> None:
    response = _client(cast.office_user).post(
        "/campaigns/new/", {"office": cast.office.pk, "name": "空的", "op": "create"}
    )
    assert response.status_code == 400
    assert "没有符合条件的已销号问题" in _text(response)


def test_a_relapse_found_by_the_campaign_reopens_the_organisation_s_problem(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    check = campaign.checks.get(problem=cast.a.problem)
    person = colleague(cast)
    client = _client(cast.office_user)
    url = f"/campaigns/{campaign.pk}/"
    response = client.post(url, {"op": "assign", "checks": [check.pk], "assignee": person.pk})
    assert response.status_code == 302
    assert CampaignCheck.objects.get(pk=check.pk).assignee == person
    pdf = SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    record = {"op": "record", "check_id": check.pk, "checked_on": TODAY, "evidence": pdf}
    response = _client(person).post(
        url, record | {"result": "relapsed", "reasons": "学习又流于形式"}
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=cast.a.problem.pk).state == State.REOPENED
    page = _text(client.get(url))
    assert "问题反弹" in page and "学习又流于形式" in page and "现场照片.pdf" in page
    kept = CheckEvidence.objects.get()
    assert client.get(f"/campaigns/files/{kept.pk}/").status_code == 200
    own = _text(
        _client(cast.a.users[Role.RECTIFICATION_OFFICE]).get(f"/problems/{cast.a.problem.pk}/")
    )
    assert "回头看后重新整改" in own
    assert "回头看专项「2025年回头看」：学习又流于形式" in own


def test_a_relapse_without_reasons_is_refused_on_the_page(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    check = campaign.checks.first()
    assert check is not None
    response = _client(cast.office_user).post(
        f"/campaigns/{campaign.pk}/",
        {"op": "record", "check_id": check.pk, "checked_on": TODAY, "result": "relapsed"},
    )
    assert response.status_code == 400
    assert "请填写问题反弹的原因" in _text(response)
    assert CampaignCheck.objects.get(pk=check.pk).result == "pending"


def test_the_figures_are_shown_and_the_report_downloads(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    check = campaign.checks.get(problem=cast.b.problem)
    client = _client(cast.office_user)
    client.post(
        f"/campaigns/{campaign.pk}/",
        {"op": "record", "check_id": check.pk, "checked_on": TODAY, "result": "held"},
    )
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    table = page[page.index('id="campaign-by-organisation"') :]
    assert re.search(r"合计</td>\s*<td[^>]*>2</td>\s*<td[^>]*>1</td>\s*<td[^>]*>1</td>", table)
    response = client.get(f"/campaigns/{campaign.pk}/report.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response)))
    assert "共选取已销号问题2个，已检查1个" in "\n".join(p.text for p in document.paragraphs)


def test_the_campaign_is_closed_from_its_page_once_every_check_is_done(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    client = _client(cast.office_user)
    url = f"/campaigns/{campaign.pk}/"
    assert client.post(url, {"op": "close"}).status_code == 400
    for check in campaign.checks.all():
        client.post(
            url, {"op": "record", "check_id": check.pk, "checked_on": TODAY, "result": "held"}
        )
    assert client.post(url, {"op": "close"}).status_code == 302
    assert Campaign.objects.get().state == Campaign.State.CLOSED


def test_every_campaign_page_is_404_to_the_organisations(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    check = campaign.checks.get(problem=cast.a.problem)
    _client(cast.office_user).post(
        f"/campaigns/{campaign.pk}/",
        {
            "op": "record",
            "check_id": check.pk,
            "checked_on": TODAY,
            "result": "held",
            "evidence": SimpleUploadedFile("a.txt", b"notes"),
        },
    )
    kept = CheckEvidence.objects.get()
    urls = [
        "/campaigns/",
        "/campaigns/new/",
        f"/campaigns/{campaign.pk}/",
        f"/campaigns/{campaign.pk}/report.docx",
        f"/campaigns/files/{kept.pk}/",
    ]
    for user in [*cast.a.users.values(), *cast.b.users.values(), cast.outsider]:
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (url, user)
        response = client.post(f"/campaigns/{campaign.pk}/", {"op": "close"})
        assert response.status_code == 404
    assert Campaign.objects.get().state == Campaign.State.OPEN
