"""No page issues more queries as the data grows (STYLE.md 14): each read operation is
counted on the cast's small ledger, then again after many more rows of every kind."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from tests.app.conftest import Cast
from zhenggai.accountability.models import Action, Regulation
from zhenggai.inspections.models import Category, Inspection, Problem, Round
from zhenggai.inspections.states import State
from zhenggai.ledger.models import (
    Approval,
    Evidence,
    Extension,
    FollowUpReview,
    Measure,
    ProgressEntry,
    Unfinished,
)
from zhenggai.orgs.models import Organisation, Role

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()

# Queries per operation for the office user signed in by session: the session and the
# user (2), the user's grants and the organisation tree of access.py, then the
# operation's own. Pinned so that a change that adds queries is seen and justified.
PINNED = {
    "measures": 10,
    "measures filtered": 10,
    "inspections": 9,
    "totals": 9,
    "inspection": 10,
    "ledger": 12,
    "outline": 9,  # the rules in force: one query (inspections/rules.py)
    "problem": 15,
    "measure": 11,
    "measure history": 6,
    "problem history": 6,
}


def _urls(cast: Cast) -> dict[str, str]:
    a = cast.a
    return {
        "measures": "/api/measures",
        "measures filtered": "/api/measures?page_size=200&sort=state&q=措施&overdue=false",
        "inspections": "/api/inspections",
        "totals": "/api/totals",
        "inspection": f"/api/inspections/{a.inspection.pk}",
        "ledger": f"/api/inspections/{a.inspection.pk}/ledger",
        "outline": f"/api/inspections/{a.inspection.pk}/outline",
        "problem": f"/api/problems/{a.problem.pk}",
        "measure": f"/api/measures/{a.measure.pk}",
        "measure history": f"/api/measures/{a.measure.pk}/history",
        "problem history": f"/api/problems/{a.problem.pk}/history",
    }


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return len(queries)


def _measures(inspection: Inspection, category: Category, problem: Problem, n: int) -> None:
    Measure.objects.bulk_create(
        Measure(
            inspection=inspection,
            category=category,
            problem=problem,
            position=10 + k,
            text=f"措施{k}",
            deadline=TODAY + dt.timedelta(days=k - n // 2),
            state=list(State)[k % len(State)],
        )
        for k in range(n)
    )


def _grow_the_ledger(cast: Cast, user: User) -> None:
    """The cast's problem and measure gain every kind of part, many times over."""
    a = cast.a
    a.inspection.round = Round.objects.create(office=cast.office, name="第一轮")
    a.inspection.feedback_date = TODAY
    a.inspection.save()
    for position in range(2, 6):
        category = Category.objects.create(inspection=a.inspection, position=position, title="类")
        parent = Problem.objects.create(
            inspection=a.inspection, category=category, position=1, title="问题"
        )
        sub = Problem.objects.create(
            inspection=a.inspection, category=category, parent=parent, position=1, title="子问题"
        )
        _measures(a.inspection, category, sub, 10)
    sub = Problem.objects.create(
        inspection=a.inspection, category=a.problem.category, parent=a.problem, position=2
    )
    _measures(a.inspection, a.problem.category, a.problem, 20)
    _measures(a.inspection, a.problem.category, sub, 5)
    for measure in Measure.objects.filter(problem=a.problem):
        _measure_parts(measure, user)
    FollowUpReview.objects.bulk_create(
        FollowUpReview(problem=a.problem, reviewer=user, date=TODAY, finding="好") for _ in range(5)
    )
    Unfinished.objects.bulk_create(
        Unfinished(inspection=a.inspection, problem=a.problem, position=k) for k in range(5)
    )
    Action.objects.bulk_create(
        Action(inspection=a.inspection, kind=kind) for kind in Action.Kind for _ in range(3)
    )
    Regulation.objects.bulk_create(
        Regulation(inspection=a.inspection, position=k, title=f"制度{k}") for k in range(5)
    )


def _measure_parts(measure: Measure, user: User) -> None:
    ProgressEntry.objects.bulk_create(
        ProgressEntry(measure=measure, date=TODAY, text="进展", author=user) for _ in range(3)
    )
    Evidence.objects.bulk_create(
        Evidence(
            measure=measure,
            name=f"材料{k}.pdf",
            path=f"aa/{k}",
            size=1,
            content_type="application/pdf",
            sha256="a" * 64,
            supplied_by=user,
            effective_date=TODAY,
        )
        for k in range(3)
    )
    Extension.objects.bulk_create(
        Extension(measure=measure, new_deadline=TODAY, reason="理由", requested_by=user)
        for _ in range(2)
    )
    Approval.objects.bulk_create(
        Approval(
            kind=Approval.Kind.SIGN_OFF,
            inspection=measure.inspection,
            measure=measure,
            approver=user,
            decision="sign_off",
        )
        for _ in range(2)
    )


def _grow_the_county(cast: Cast) -> None:
    """More organisations, each with inspections and measures, under the same office."""
    for k in range(6):
        org = Organisation.objects.create(
            name=f"单位{k}", kind=Organisation.Kind.INSPECTED, parent=cast.office
        )
        for _ in range(2):
            inspection = Inspection.objects.create(organisation=org, title="巡察")
            category = Category.objects.create(inspection=inspection, position=1, title="类")
            problem = Problem.objects.create(
                inspection=inspection, category=category, position=1, title="问题"
            )
            _measures(inspection, category, problem, 30)


def test_no_read_issues_more_queries_as_the_data_grows(client: Client, cast: Cast) -> None:
    client.force_login(cast.office_user)
    urls = _urls(cast)
    small = {name: _count(client, url) for name, url in urls.items()}
    _grow_the_ledger(cast, cast.a.users[Role.RESPONSIBLE_PERSON])
    _grow_the_county(cast)
    assert Measure.objects.count() > 400
    large = {name: _count(client, url) for name, url in urls.items()}
    assert large == small
    assert small == PINNED


@pytest.mark.parametrize("size", [1, 50, 200])
def test_the_page_size_does_not_change_the_query_count(
    client: Client, cast: Cast, size: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _grow_the_county(cast)
    client.force_login(cast.office_user)
    with django_assert_num_queries(PINNED["measures"]):
        assert client.get(f"/api/measures?page_size={size}").status_code == 200
