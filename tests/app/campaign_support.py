"""What the campaign tests share: closed problems in both organisations of the cast
(and one in another office's organisation), and a campaign made over them."""

import datetime as dt

from django.contrib.auth.models import User

from tests.app.conftest import Cast, Unit
from zhenggai.campaigns.models import Campaign
from zhenggai.campaigns.selectors import Selection
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Approval, Measure
from zhenggai.orgs.models import Membership, Organisation, Role
from zhenggai.services import campaigns as services


def signed_off(problem: Problem, on: dt.date | None = None) -> Problem:
    """The problem and its measures signed off, its 销号 decision dated ``on``."""
    Measure.objects.filter(problem=problem).update(state=State.SIGNED_OFF)
    Problem.objects.filter(pk=problem.pk).update(state=State.SIGNED_OFF)
    approval = Approval.objects.create(
        kind=Approval.Kind.SIGN_OFF,
        inspection_id=problem.inspection_id,
        problem=problem,
        decision="sign_off",
    )
    when = dt.datetime.combine(on or dt.date(2025, 3, 1), dt.time(12), tzinfo=dt.UTC)
    Approval.objects.filter(pk=approval.pk).update(at=when)
    problem.refresh_from_db()
    return problem


def both_closed(cast: Cast) -> tuple[Problem, Problem]:
    return signed_off(cast.a.problem), signed_off(cast.b.problem)


def colleague(cast: Cast, name: str = "office2") -> User:
    """Another person of the cast's inspection office."""
    user = User.objects.create_user(username=name, password="x", first_name="王检查")
    Membership.objects.create(user=user, organisation=cast.office, role=Role.INSPECTION_OFFICE)
    return user


def elsewhere() -> Problem:
    """A closed problem of an organisation under another office."""
    office = Organisation.objects.create(name="市委巡察办", kind=Organisation.Kind.OFFICE)
    org = Organisation.objects.create(
        name="市水务局", kind=Organisation.Kind.INSPECTED, parent=office
    )
    inspection = Inspection.objects.create(organisation=org, title="市水务局巡察整改")
    category = Category.objects.create(inspection=inspection, position=1, title="政治建设方面")
    problem = Problem.objects.create(
        inspection=inspection, category=category, position=1, title="别处的问题"
    )
    return signed_off(problem)


def second_problem(unit: Unit, title: str, category_title: str) -> Problem:
    category = Category.objects.create(inspection=unit.inspection, position=2, title=category_title)
    return Problem.objects.create(
        inspection=unit.inspection, category=category, position=2, title=title
    )


def made(cast: Cast, selection: Selection | None = None, name: str = "2025年回头看") -> Campaign:
    return services.campaign_create(
        actor=cast.office_user,
        office_id=cast.office.pk,
        fields=services.CampaignFields(name=name),
        selection=selection or Selection(),
    )
