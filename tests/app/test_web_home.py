"""The home page shows each person what is theirs: by role, scoped, in fixed queries."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.app.conftest import Cast
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger.models import Evidence, Measure
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db


def _home(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_responsible_person_sees_their_measures_by_deadline_with_marks(cast: Cast) -> None:
    a = cast.a
    soon = dt.date.today() + dt.timedelta(days=3)
    Measure.objects.filter(pk=a.measure.pk).update(deadline=soon)
    body = _home(a.users[Role.RESPONSIBLE_PERSON])
    assert "我负责的整改措施" in body
    assert "县融媒体中心措施1" in body and 'class="mark red"' in body
    assert "县融媒体中心措施2" not in body  # another department's
    assert "县文旅局" not in body


def test_a_leader_sees_what_awaits_their_sign_off(cast: Cast) -> None:
    a = cast.a
    Measure.objects.filter(pk=a.measure.pk).update(state=State.AWAITING_SIGN_OFF)
    body = _home(a.users[Role.RESPONSIBLE_LEADER])
    assert "待我销号" in body and "县融媒体中心措施1" in body
    other = _home(cast.b.users[Role.RESPONSIBLE_LEADER])
    assert "县融媒体中心措施1" not in other


def test_the_rectification_office_sees_its_ledgers_and_evidence_to_review(cast: Cast) -> None:
    a = cast.a
    Evidence.objects.create(
        measure=a.measure,
        name="会议记录.pdf",
        path="x",
        size=1,
        content_type="application/pdf",
        sha256="0" * 64,
        supplied_by=a.users[Role.RESPONSIBLE_PERSON],
        effective_date=dt.date.today(),
    )
    body = _home(a.users[Role.RECTIFICATION_OFFICE])
    assert f'href="/inspections/{a.inspection.pk}/"' in body
    assert "本周变化" in body and "会议记录.pdf" in body
    assert f'href="/inspections/{cast.b.inspection.pk}/"' not in body


def test_the_inspection_office_sees_its_organisations_side_by_side(cast: Cast) -> None:
    body = _home(cast.office_user)
    assert "各被巡察单位整改情况" in body
    assert body.index("县文旅局") < body.index("县融媒体中心")  # by name


@pytest.mark.parametrize(
    ("state", "who"),
    [
        (PlanState.SUBMITTED, Role.FIRST_RESPONSIBLE),
        (PlanState.OFFICE_REVIEW, Role.INSPECTION_OFFICE),
        (PlanState.RETURNED, Role.RECTIFICATION_OFFICE),
    ],
)
def test_a_plan_waiting_on_someone_is_on_their_home_page_only(
    cast: Cast, state: PlanState, who: Role
) -> None:
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(plan_state=state)
    link = f'href="/inspections/{cast.a.inspection.pk}/plan/"'
    office = (Role.INSPECTION_OFFICE.value, cast.office_user)
    everyone = [office, *((r.value, u) for r, u in cast.a.users.items())]
    for role, user in [*everyone, ("b", cast.b.users[Role.FIRST_RESPONSIBLE])]:
        waiting = 'id="plans-waiting"' in (page := _home(user)) and link in page
        assert waiting == (role == who.value), (state, role)


def test_an_outsider_sees_no_one_s_work(cast: Cast) -> None:
    body = _home(cast.outsider)
    assert "县融媒体中心" not in body and "县文旅局" not in body


def test_hostile_text_is_shown_as_text(cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.measure.pk).update(text="<script>alert(1)</script>")
    body = _home(cast.a.users[Role.RESPONSIBLE_PERSON])
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


@pytest.mark.parametrize("role", list(Role))
def test_its_queries_do_not_grow_with_the_ledger(cast: Cast, role: Role) -> None:
    user = cast.office_user if role == Role.INSPECTION_OFFICE else cast.a.users[role]
    # One row in every list already: an empty list's office rules cost no query.
    Measure.objects.filter(pk=cast.a.measure.pk).update(state=State.AWAITING_SIGN_OFF)
    client = Client()
    client.force_login(user)

    def count() -> int:
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    before = count()
    a = cast.a
    for n in range(40):
        Measure.objects.create(
            inspection=a.inspection,
            category=a.problem.category,
            problem=a.problem,
            position=10 + n,
            text=f"措施{n}",
            department=a.department,
            person=a.users[Role.RESPONSIBLE_PERSON],
            state=State.AWAITING_SIGN_OFF if n % 2 else State.IN_PROGRESS,
            deadline=dt.date.today(),
        )
    assert count() == before
