"""The synthetic data set of the application benchmark: its proportions, its mix of
states and deadlines, and that a seed always gives the same data."""

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from django.db.models import Count, F

from zhenggai.demo.synthetic import Built, build
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger.derived import overdue_q
from zhenggai.ledger.models import Measure, ProgressEntry
from zhenggai.orgs.models import Organisation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)
SCALE = 0.01  # 3 inspections, 75 problems, 300 measures, 1,200 progress entries


def _build(seed: int = 7) -> Built:
    return build(scale=SCALE, seed=seed, today=TODAY)


def _digest() -> str:
    """The values of every generated row in insertion order, without the keys."""
    values = [
        *Organisation.objects.order_by("pk").values_list("name", "kind"),
        *Inspection.objects.order_by("pk").values_list("title", "feedback_date", "plan_state"),
        *Problem.objects.order_by("pk").values_list("title", "description", "state", "position"),
        *Measure.objects.order_by("pk").values_list(
            "text", "type", "state", "deadline", "original_deadline", "department__name"
        ),
        *ProgressEntry.objects.order_by("pk").values_list("date", "text", "figures"),
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def _digest_of_a_build(seed: int) -> str:
    """Build, take the digest, and roll the build back so the next one starts empty."""
    with transaction.atomic():
        _build(seed)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


def test_it_builds_the_county_proportions_at_a_small_scale() -> None:
    built = _build()
    assert built.counts["inspections"] == Inspection.objects.count() == 3
    per_inspection = Inspection.objects.annotate(n=Count("problems")).values_list("n", flat=True)
    assert set(per_inspection) == {25}
    per_problem = Problem.objects.annotate(n=Count("measures")).values_list("n", flat=True)
    assert set(per_problem) == {4}
    per_measure = Measure.objects.annotate(n=Count("progress")).values_list("n", flat=True)
    assert set(per_measure) == {4}
    assert ProgressEntry.objects.count() == 1200
    assert Problem.objects.exclude(parent=None).exists()


def test_each_inspection_has_four_or_five_categories() -> None:
    _build()
    per_inspection = Inspection.objects.annotate(n=Count("categories")).values_list("n", flat=True)
    assert set(per_inspection) <= {4, 5}


def test_some_measures_are_overdue_and_some_signed_off() -> None:
    _build()
    overdue = Measure.objects.filter(overdue_q(TODAY)).count()
    signed_off = Measure.objects.filter(state=State.SIGNED_OFF).count()
    assert 0 < overdue < 300
    assert 0 < signed_off < 300
    assert Measure.objects.filter(deadline__gte=TODAY).exists()


def test_every_measure_belongs_to_a_department_of_its_organisation() -> None:
    _build()
    assert not Measure.objects.filter(department=None).exists()
    foreign = Measure.objects.exclude(department__parent=F("inspection__organisation"))
    assert not foreign.exists()


def test_the_same_seed_gives_the_same_data() -> None:
    assert _digest_of_a_build(7) == _digest_of_a_build(7)


def test_another_seed_gives_other_data() -> None:
    assert _digest_of_a_build(7) != _digest_of_a_build(8)


def test_at_office_scale_each_organisation_has_one_inspection_of_a_round_s_team() -> None:
    built = build(scale=0.02, organisations=6, seed=7, today=TODAY)
    assert built.counts["organisations"] == 6 == Inspection.objects.count()
    assert Measure.objects.count() == 600
    per_org = Inspection.objects.values("organisation").annotate(n=Count("pk"))
    assert {row["n"] for row in per_org} == {1}
    for inspection in Inspection.objects.select_related("team"):
        assert inspection.team is not None
        assert inspection.team.round_id == inspection.round_id
        assert inspection.team.organisations.filter(pk=inspection.organisation_id).exists()


def test_approved_plans_have_their_approval_time_and_some_are_drafts() -> None:
    build(scale=0.1, seed=7, today=TODAY)  # 30 inspections
    approved = Inspection.objects.filter(plan_state=PlanState.APPROVED)
    assert approved.exists()
    assert not approved.filter(plan_approved=None).exists()
    drafts = Inspection.objects.filter(plan_state=PlanState.DRAFT)
    assert drafts.exists()
    assert not drafts.exclude(plan_approved=None).exists()
