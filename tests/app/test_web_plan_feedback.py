"""What the plan page tells of the feedback itself: a file naming another
organisation is held back, and the feedback's recommendations and case leads
stand beside the measures being written."""

from typing import Any

import pytest

from tests.app.conftest import Cast
from tests.app.test_web_plans import (
    _client,
    _kept,
    _office,
    _plan,
    _upload,
    jobs_inline_and_a_data_folder_of_our_own,
)
from tests.support import SAMPLES
from zhenggai.inspections.models import CaseLead, Inspection, Recommendation
from zhenggai.jobs.models import Job
from zhenggai.orgs.models import Role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures(jobs_inline_and_a_data_folder_of_our_own.__name__),
]


def test_a_feedback_naming_another_organisation_is_not_stored_without_confirmation(
    cast: Cast, settings: Any
) -> None:
    client = _office(cast)
    inspections = Inspection.objects.count()

    _upload(client, cast, SAMPLES[1].name, SAMPLES[1].read_bytes(), other_ok=False)

    job = Job.objects.get()
    assert job.result["inspection"] is None and job.result["named"] == "区融媒体中心"
    assert Inspection.objects.count() == inspections and not _kept(settings)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "「区融媒体中心」，与所选单位不一致，未导入任何内容" in page


def test_the_plan_shows_the_feedbacks_recommendations_and_case_leads(cast: Cast) -> None:
    inspection = cast.a.inspection
    Recommendation.objects.create(inspection=inspection, text="严格落实中央八项规定精神")
    CaseLead.objects.create(inspection=inspection, description="某干部违规收受礼金问题")
    Inspection.objects.filter(pk=inspection.pk).update(stated_totals={"case_leads": 3})

    body = _client(cast.a.users[Role.RESPONSIBLE_PERSON]).get(_plan(cast)).content.decode()

    assert "严格落实中央八项规定精神" in body and "某干部违规收受礼金问题" in body
    assert "巡察组移交问题线索 3 件" in body
