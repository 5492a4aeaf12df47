"""The cockpit's figures come from aggregate queries: the page, its list of measures
and its .xlsx cost the same number of queries for two organisations with a handful
of measures as for many organisations, rounds, departments and measures."""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.demo.synthetic import INSPECTIONS, Built, build
from zhenggai.inspections.models import Category, Inspection, Problem, Round
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger.models import Approval, Measure
from zhenggai.orgs.models import Organisation

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
URLS = [
    "/cockpit/",
    "/cockpit/?round=none",
    "/cockpit/sections/departments/",
    "/cockpit/sections/categories/",
    "/cockpit/sections/types/",
    "/cockpit/sections/trend/",
    "/cockpit/tables/departments/",
    "/cockpit/measures/?overdue=1&state=in_progress",
    "/cockpit/departments.xlsx",
]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _organisation(cast: Cast, k: int, round_: Round) -> None:
    org = Organisation.objects.create(
        name=f"单位{k}", kind=Organisation.Kind.INSPECTED, parent=cast.office
    )
    department = Organisation.objects.create(
        name=f"部门{k}", kind=Organisation.Kind.DEPARTMENT, parent=org
    )
    for n in range(2):  # two inspections of each organisation
        inspection = Inspection.objects.create(
            organisation=org,
            round=round_,
            feedback_date=TODAY - dt.timedelta(days=60),
            plan_state=PlanState.APPROVED if n else PlanState.DRAFT,
            plan_approved=timezone.now() if n else None,
        )
        category = Category.objects.create(inspection=inspection, position=1, title=f"类{k % 3}")
        problem = Problem.objects.create(inspection=inspection, category=category, position=1)
        Measure.objects.bulk_create(
            Measure(
                inspection=inspection,
                category=category,
                problem=problem,
                position=j,
                text=f"措施{j}",
                department=department,
                type=list(Measure.Type)[j % 3],
                deadline=TODAY + dt.timedelta(days=j - 10),
                state=list(State)[j % len(State)],
            )
            for j in range(20)
        )
        done = Measure.objects.filter(inspection=inspection, state=State.SIGNED_OFF)
        Approval.objects.bulk_create(
            Approval(kind=Approval.Kind.SIGN_OFF, inspection=inspection, measure=m, decision="ok")
            for m in done
        )


def test_the_cockpit_s_queries_do_not_grow_with_the_data(cast: Cast) -> None:
    # One row in every list already: an empty list skips its page's queries.
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(
        plan_state=PlanState.APPROVED, plan_approved=timezone.now()
    )
    Measure.objects.filter(pk=cast.a.measure.pk).update(
        state=State.IN_PROGRESS, deadline=TODAY - dt.timedelta(days=1)
    )
    client = Client()
    client.force_login(cast.office_user)
    small = {url: _count(client, url) for url in URLS}
    rounds = [Round.objects.create(office=cast.office, name=f"第{k}轮") for k in range(3)]
    for k in range(12):
        _organisation(cast, k, rounds[k % 3])
    assert Measure.objects.count() > 400
    large = {url: _count(client, url) for url in URLS}
    assert large == small
    # Pinned: the session and the user, the grants and the office's tree, the figures.
    assert small["/cockpit/"] <= 15, small


def _office_urls(built: Built) -> list[str]:
    """The pages bench_pages.py measures at office scale, with the middle inspection's round, a
    department and a category of its ledger, and the list a chart links to."""
    inspections = Inspection.objects.order_by("pk")
    round_ = inspections[inspections.count() // 2].round
    assert round_ is not None
    measure = (
        Measure.objects.filter(inspection__round=round_)
        .select_related("category")
        .order_by("pk")
        .first()
    )
    assert measure is not None and measure.category is not None
    return [
        "/cockpit/",
        f"/cockpit/?round={round_.pk}",
        "/cockpit/measures/?overdue=1",
        f"/cockpit/measures/?department={measure.department_id}",
        f"/cockpit/measures/?{urlencode({'category': measure.category.title})}",
        "/cockpit/measures/?type=time_bound",
        f"/cockpit/measures/?department={measure.department_id}&overdue=1",
        "/cockpit/warnings/",
        "/rounds/",
        f"/rounds/{round_.pk}/",
        "/cockpit/departments.xlsx",
    ]


def _counts_of_a_build(organisations: int) -> dict[str, int]:
    """Build the synthetic ledger (one inspection per organisation), count each page's
    queries as its office, and roll the build back."""
    with transaction.atomic():
        built = build(scale=organisations / INSPECTIONS, organisations=organisations, seed=3)
        client = Client()
        client.force_login(built.office_user)
        counts = {re.sub(r"\d+", "<id>", u): _count(client, u) for u in _office_urls(built)}
        transaction.set_rollback(True)
    return counts


def test_the_office_s_pages_cost_the_same_queries_for_ten_times_the_data() -> None:
    small = _counts_of_a_build(3)  # 3 organisations, 300 measures
    large = _counts_of_a_build(30)  # 30 organisations, 3,000 measures
    assert large == small
