"""The assessment pages: the office fills in and finalises an assessment in the
browser, a fair grade links its re-rectification, the report opens as .docx with
its grade, the organisation reads its final assessment without a control, and the
scheme page saves or refuses in Chinese."""

import io
from decimal import Decimal

import docx
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.app.assessment_support import ENTERED, assess, build_ledger
from tests.app.conftest import Cast
from zhenggai.assessment.models import Assessment, Scheme
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_the_office_assesses_in_the_browser_and_a_fair_grade_links_its_re_rectification(
    cast: Cast,
) -> None:
    build_ledger(cast, done=1, overdue=1)
    client = _client(cast.office_user)
    url = reverse("web:assessment", args=[cast.a.inspection.pk])
    assert "开始整改评估" in client.get(url).content.decode()
    assert client.post(url, {"op": "start"}).status_code == 302
    evidence = SimpleUploadedFile("纪要.txt", "会议纪要".encode())
    posted = {"op": "enter", "indicator": "0", "value": "20", "note": "专题会议3次"}
    assert client.post(url, {**posted, "evidence": evidence}).status_code == 302
    for position, value in ((2, "20"), (3, "10")):
        client.post(url, {**posted, "indicator": str(position), "value": value})
    page = client.get(url).content.decode()
    assert "专题会议3次" in page and "纪要.txt" in page and "录入评估指标" in page
    client.post(url, {"op": "finalise"})
    assessment = Assessment.objects.get(inspection=cast.a.inspection)
    # 20 + 40 × 50% + 20 + 10 = 70, less 2 for the overdue measure
    assert (assessment.total, assessment.grade) == (Decimal("68.0"), "一般")
    page = client.get(url).content.decode()
    assert 'id="re-rectification"' in page and "再整改" in page
    assert "录入评估指标" not in page
    redo = assessment.reopened_as
    assert redo is not None
    assert client.get(reverse("web:ledger", args=[redo.pk])).status_code == 200


def test_a_refusal_is_shown_in_chinese_on_the_page(cast: Cast) -> None:
    client = _client(cast.office_user)
    url = reverse("web:assessment", args=[cast.a.inspection.pk])
    client.post(url, {"op": "start"})
    response = client.post(url, {"op": "finalise"}, follow=True)
    assert "以下指标尚未评分" in response.content.decode()
    client.post(url, {"op": "enter", "indicator": "0", "value": "30", "note": "x"})
    assert "0到20分之间" in client.get(url).content.decode()


def test_the_report_opens_as_docx_with_its_grade_and_re_rectification(cast: Cast) -> None:
    build_ledger(cast, done=2)
    assess(cast, {**ENTERED, 2: Decimal(0)})
    response = _client(cast.office_user).get(
        reverse("web:assessment_report", args=[cast.a.inspection.pk])
    )
    assert response.status_code == 200
    text = _text(response.content)
    assert "县融媒体中心" in text and "整改完成（40 分）：40.0 分" in text
    assert "等次：一般" in text and "再整改" in text and "县委巡察办" in text


def test_the_organisation_reads_its_final_assessment_without_controls(cast: Cast) -> None:
    build_ledger(cast, done=2)
    assess(cast, ENTERED)
    client = _client(cast.a.users[Role.RECTIFICATION_OFFICE])
    url = reverse("web:assessment", args=[cast.a.inspection.pk])
    page = client.get(url).content.decode()
    assert "100.0" in page and "好" in page
    assert 'name="op"' not in page
    assert client.post(url, {"op": "start"}).status_code == 302
    assert Assessment.objects.count() == 1
    ledger = client.get(reverse("web:ledger", args=[cast.a.inspection.pk])).content.decode()
    assert url in ledger
    report = client.get(reverse("web:assessment_report", args=[cast.a.inspection.pk]))
    assert "等次：好" in _text(report.content)


def test_the_ledger_links_a_draft_to_the_office_only(cast: Cast) -> None:
    url = reverse("web:assessment", args=[cast.a.inspection.pk])
    ledger = reverse("web:ledger", args=[cast.a.inspection.pk])
    assert url in _client(cast.office_user).get(ledger).content.decode()
    assert url not in _client(cast.a.users[Role.FIRST_RESPONSIBLE]).get(ledger).content.decode()


def _scheme_post(**changes: str) -> dict[str, str]:
    rows = [("组织领导", "30", "entered"), ("整改完成", "70", "measures")]
    data = {
        "overdue_each": "2",
        "overdue_cap": "20",
        "relapse_each": "5",
        "relapse_cap": "20",
        "false_limit": "2",
        "good": "90",
        "fairly_good": "80",
        "fair": "60",
    }
    for n, (name, weight, source) in enumerate(rows):
        data |= {f"name_{n}": name, f"weight_{n}": weight, f"source_{n}": source}
    for n in range(len(rows), 8):
        data[f"source_{n}"] = "entered"
    return data | changes


def test_the_scheme_page_saves_and_refuses_in_chinese(cast: Cast) -> None:
    client = _client(cast.office_user)
    url = reverse("web:assessment_scheme")
    assert "群众满意度" in client.get(url).content.decode()  # the default, unsaved
    refused = client.post(url, _scheme_post(weight_1="60"))
    assert refused.status_code == 400 and "现为90分" in refused.content.decode()
    assert not Scheme.objects.exists()
    assert client.post(url, _scheme_post()).status_code == 302
    scheme = Scheme.objects.get(office=cast.office)
    assert [(i.name, i.weight) for i in scheme.indicators.all()] == [
        ("组织领导", 30),
        ("整改完成", 70),
    ]
    other = _client(cast.a.users[Role.RECTIFICATION_OFFICE])
    assert other.post(url, _scheme_post()).status_code == 404
