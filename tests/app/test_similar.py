"""举一反三: other organisations' similar problems, anonymised for organisations and
named for the office, and the problem's topic, corrected by those who may."""

from collections.abc import Iterator

import pytest

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.ledger.models import ProgressEntry
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import problem_topics, similar
from zhenggai.taxonomy.models import ProblemTopic, SimilarSettings, Topic


@pytest.fixture(autouse=True)
def _fresh_indexes() -> Iterator[None]:
    """Each test's database starts its ids anew: no index of another test's."""
    similar.forget()
    yield
    similar.forget()


def test_an_organisation_sees_another_organisations_problem_anonymised(cast: Cast) -> None:
    ProgressEntry.objects.create(
        measure=cast.b.measure, date="2024-05-01", text="召开专题学习会3次"
    )
    hits = similar.similar_problems(cast.a.users[Role.RECTIFICATION_OFFICE], cast.a.problem.pk)
    assert [h.problem.pk for h in hits] == [cast.b.problem.pk]
    assert hits[0].organisation == "某单位"
    assert not hits[0].linked
    texts = [m.text for m in hits[0].measures]
    assert texts == ["县文旅局措施1", "县文旅局措施2"]
    assert hits[0].measures[0].progress == "召开专题学习会3次"


def test_the_office_sees_names_and_links(cast: Cast) -> None:
    hits = similar.similar_problems(cast.office_user, cast.a.problem.pk)
    assert [(h.organisation, h.linked) for h in hits] == [("县文旅局", True)]


def test_the_office_may_let_organisations_see_names(cast: Cast) -> None:
    SimilarSettings.objects.create(office=cast.office, names_shown=True)
    hits = similar.similar_problems(cast.a.users[Role.RESPONSIBLE_PERSON], cast.a.problem.pk)
    assert [(h.organisation, h.linked) for h in hits] == [("县文旅局", False)]


def test_no_people_and_no_evidence_of_another_organisation(cast: Cast) -> None:
    hit = similar.similar_problems(cast.a.users[Role.RECTIFICATION_OFFICE], cast.a.problem.pk)[0]
    shown = [vars(m) for m in hit.measures]
    assert all(set(m) == {"text", "state", "progress"} for m in shown)
    people = {u.username for u in cast.b.users.values()}
    assert not any(name in str(shown) for name in people)


def test_its_own_organisations_problems_are_not_hits(cast: Cast) -> None:
    hits = similar.similar_problems(cast.b.users[Role.RECTIFICATION_OFFICE], cast.b.problem.pk)
    assert cast.b.problem.pk not in [h.problem.pk for h in hits]


def test_whoever_may_not_see_the_problem_gets_not_found(cast: Cast) -> None:
    for user in (cast.outsider, cast.b.users[Role.RECTIFICATION_OFFICE]):
        with pytest.raises(NotFound):
            similar.similar_problems(user, cast.a.problem.pk)


def _taxonomy(cast: Cast) -> list[Topic]:
    problem_topics.suggest_topics(None, cast.b.inspection)  # makes the default taxonomy
    return problem_topics.office_topics(cast.office.pk)


def test_topics_are_suggested_when_problems_arrive_audited(cast: Cast) -> None:
    assert problem_topics.suggest_topics(None, cast.a.inspection) == 1
    row = ProblemTopic.objects.get(problem=cast.a.problem)
    assert row.suggested and row.topic.name == "思想建设"
    assert Topic.objects.filter(office=cast.office).count() == 11  # the default taxonomy
    event = Event.objects.get(action="problem_topic.suggest")
    assert event.after is not None and event.object_id == row.pk
    assert event.after["topic_id"] == row.topic_id
    assert problem_topics.suggest_topics(None, cast.a.inspection) == 0  # never twice


def test_reading_a_topic_writes_nothing(cast: Cast) -> None:
    problem_topics.suggest_topics(None, cast.b.inspection)  # the office's taxonomy made
    events = Event.objects.count()
    found = problem_topics.topic_of(cast.a.users[Role.RESPONSIBLE_PERSON], cast.a.problem.pk)
    assert found is not None and found.suggested and found.pk is None
    assert found.topic.name == "思想建设"
    assert not ProblemTopic.objects.filter(problem=cast.a.problem).exists()
    assert Event.objects.count() == events


@pytest.mark.parametrize("role", [Role.RECTIFICATION_OFFICE, Role.INSPECTION_OFFICE])
def test_the_offices_correct_the_topic_audited(cast: Cast, role: Role) -> None:
    user = cast.office_user if role == Role.INSPECTION_OFFICE else cast.a.users[role]
    topic = _taxonomy(cast)[0]
    row = problem_topics.topic_set(actor=user, problem_id=cast.a.problem.pk, topic_id=topic.pk)
    assert (row.topic, row.suggested, row.set_by) == (topic, False, user)
    event = Event.objects.get(action="problem_topic.set")
    assert event.actor_id == user.pk


@pytest.mark.parametrize(
    "role",
    [Role.RESPONSIBLE_PERSON, Role.RESPONSIBLE_LEADER, Role.FIRST_RESPONSIBLE, Role.DISCIPLINE],
)
def test_other_roles_may_not_correct_the_topic(cast: Cast, role: Role) -> None:
    topic = _taxonomy(cast)[0]
    with pytest.raises(Refused, match="修改问题分类"):
        problem_topics.topic_set(
            actor=cast.a.users[role], problem_id=cast.a.problem.pk, topic_id=topic.pk
        )
    assert not ProblemTopic.objects.filter(problem=cast.a.problem).exists()
    assert not Event.objects.filter(action="problem_topic.set").exists()


def test_another_organisation_may_not_correct_the_topic(cast: Cast) -> None:
    topic = _taxonomy(cast)[0]
    with pytest.raises(NotFound):
        problem_topics.topic_set(
            actor=cast.b.users[Role.RECTIFICATION_OFFICE],
            problem_id=cast.a.problem.pk,
            topic_id=topic.pk,
        )
