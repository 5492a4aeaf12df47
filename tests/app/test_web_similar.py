"""举一反三 on the problem page: the section htmx loads, as the office and as an
organisation, and the topic corrected through it."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.orgs.models import Role
from zhenggai.services import problem_topics, similar
from zhenggai.taxonomy.models import ProblemTopic


@pytest.fixture(autouse=True)
def _fresh_indexes() -> Iterator[None]:
    similar.forget()
    yield
    similar.forget()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _section(cast: Cast, user: User) -> str:
    response = _client(user).get(reverse("web:similar", args=[cast.a.problem.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_problem_page_loads_the_section_after_itself(cast: Cast) -> None:
    page = _client(cast.a.users[Role.RESPONSIBLE_PERSON]).get(
        reverse("web:problem", args=[cast.a.problem.pk])
    )
    assert reverse("web:similar", args=[cast.a.problem.pk]) in page.content.decode()


def test_an_organisation_reads_the_other_one_anonymised_without_a_link(cast: Cast) -> None:
    body = _section(cast, cast.a.users[Role.RESPONSIBLE_PERSON])
    assert "某单位" in body and "县文旅局措施1" in body
    assert "县文旅局" not in body.replace("县文旅局措施", "")
    assert reverse("web:problem", args=[cast.b.problem.pk]) not in body
    assert "修改分类" not in body  # a responsible person may not correct the topic


def test_the_office_reads_names_and_links(cast: Cast) -> None:
    problem_topics.suggest_topics(None, cast.b.inspection)  # makes the default taxonomy
    body = _section(cast, cast.office_user)
    assert "县文旅局" in body.replace("县文旅局措施", "")
    assert reverse("web:problem", args=[cast.b.problem.pk]) in body
    assert "修改分类" in body


def test_the_rectification_office_corrects_the_topic(cast: Cast) -> None:
    user = cast.a.users[Role.RECTIFICATION_OFFICE]
    problem_topics.suggest_topics(None, cast.b.inspection)  # makes the default taxonomy
    topic = problem_topics.office_topics(cast.office.pk)[-1]
    url = reverse("web:similar", args=[cast.a.problem.pk])
    response = _client(user).post(url, {"topic": topic.pk})
    assert response.status_code == 200 and "问题分类已修改" in response.content.decode()
    row = ProblemTopic.objects.get(problem=cast.a.problem)
    assert (row.topic, row.suggested, row.set_by) == (topic, False, user)
    assert Event.objects.filter(action="problem_topic.set", object_id=row.pk).exists()


def test_a_responsible_person_is_refused_in_chinese_and_nothing_changes(cast: Cast) -> None:
    problem_topics.suggest_topics(None, cast.a.inspection)
    before = problem_topics.topic_of(cast.office_user, cast.a.problem.pk)
    assert before is not None
    topic = problem_topics.office_topics(cast.office.pk)[-1]
    url = reverse("web:similar", args=[cast.a.problem.pk])
    response = _client(cast.a.users[Role.RESPONSIBLE_PERSON]).post(url, {"topic": topic.pk})
    assert response.status_code == 403
    assert "修改问题分类" in response.content.decode()
    assert ProblemTopic.objects.get(problem=cast.a.problem).topic_id == before.topic_id
    bad = _client(cast.a.users[Role.RECTIFICATION_OFFICE]).post(url, {"topic": "x"})
    assert bad.status_code == 400 and "请选择问题分类" in bad.content.decode()


def test_another_organisation_gets_404(cast: Cast) -> None:
    url = reverse("web:similar", args=[cast.a.problem.pk])
    for user in (cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        assert _client(user).get(url).status_code == 404
        assert _client(user).post(url, {"topic": 1}).status_code == 404
