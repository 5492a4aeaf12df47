"""The inspection office's cockpit: its figures, read in aggregate queries.

Every function answers in a fixed number of GROUP BY queries however many
organisations, inspections and measures the office holds (tests/app/
test_cockpit_queries.py pins the page). None decides who may see what: callers
pass the inspections ``zhenggai.access.office_inspections`` scoped.

Overdue is ``ledger.derived``'s: past its deadline, not done, under an approved
plan. The queries pass the approved inspections' ids, so they need no join.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import DONE_STATES
from zhenggai.ledger import derived
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Organisation

WEEKS = 8  # the trend and the burn-down look back this many weeks


@dataclass
class Counts:
    """Measures counted: all, done (signed off or long-term), overdue; weights for
    the completion rate the ledger gives."""

    measures: int = 0
    done: int = 0
    overdue: int = 0
    weight: int = 0
    done_weight: int = 0

    @property
    def open(self) -> int:
        return self.measures - self.done

    @property
    def completion(self) -> float:
        return self.done_weight / self.weight if self.weight else 0.0

    def absorb(self, other: "Counts") -> None:
        for name in ("measures", "done", "overdue", "weight", "done_weight"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class InspectionRow:
    """One inspection of one organisation: each is its own row, never merged."""

    id: int
    organisation_id: int
    organisation: str
    round_id: int | None
    round: str | None
    title: str
    body: str
    plan_state: str
    approved: bool
    problems: int = 0
    counts: Counts = field(default_factory=Counts)


def inspection_rows(inspections: QuerySet[Inspection]) -> list[InspectionRow]:
    """The scoped inspections, by organisation then newest first: one query."""
    rows = inspections.values_list(
        "pk",
        "organisation_id",
        "organisation__name",
        "round_id",
        "round__name",
        "title",
        "inspection_body",
        "plan_state",
        "plan_approved",
    ).order_by("organisation__name", "organisation_id", "-pk")
    return [InspectionRow(*row[:8], approved=row[8] is not None) for row in rows]


def _measure_counts(
    measures: QuerySet[Measure], by: str, today: dt.date, approved: list[int]
) -> dict[Any, Counts]:
    """Counts per value of ``by``, in one GROUP BY query (a row per value: done and
    overdue are conditional counts, not groups)."""
    done = Q(state__in=DONE_STATES)
    rows = (
        measures.values_list(by)
        .annotate(
            n=Count("pk"),
            n_done=Count("pk", filter=done),
            n_late=Count("pk", filter=derived.overdue_q(today, approved)),
            weighed=Sum("weight"),
            weighed_done=Sum("weight", filter=done),
        )
        .order_by()
    )
    return {
        key: Counts(n, done, late, weight or 0, done_weight or 0)
        for key, n, done, late, weight, done_weight in rows
    }


def count_inspections(rows: list[InspectionRow], today: dt.date) -> None:
    """Fill the rows' problems and measures: two queries."""
    ids = [row.id for row in rows]
    approved = [row.id for row in rows if row.approved]
    measures = _measure_counts(
        Measure.objects.filter(inspection_id__in=ids), "inspection_id", today, approved
    )
    problems = dict(
        Problem.objects.filter(inspection_id__in=ids, parent__isnull=True)
        .values_list("inspection_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        row.counts = measures.get(row.id, Counts())
        row.problems = problems.get(row.id, 0)


@dataclass
class RoundRow:
    id: int | None  # None: the inspections registered without a round
    name: str | None
    inspections: int = 0
    problems: int = 0
    counts: Counts = field(default_factory=Counts)


def by_round(rows: list[InspectionRow]) -> list[RoundRow]:
    """The inspection rows folded by round (no query), rounds by name, none last."""
    found: dict[int | None, RoundRow] = {}
    for row in rows:
        folded = found.setdefault(row.round_id, RoundRow(row.round_id, row.round))
        folded.inspections += 1
        folded.problems += row.problems
        folded.counts.absorb(row.counts)
    return sorted(found.values(), key=lambda r: (r.id is None, r.name or "", r.id or 0))


@dataclass
class Group:
    """Measures of one department, category or type across the scoped inspections."""

    key: Any
    name: str
    owner: str = ""  # the organisation a department belongs to
    problems: int = 0
    counts: Counts = field(default_factory=Counts)


def by_department(rows: list[InspectionRow], today: dt.date) -> list[Group]:
    """Measures assigned to a department, per department: two queries (the counts, the
    names). Measures with no department assigned are left out: no list can name them."""
    ids = [row.id for row in rows]
    approved = [row.id for row in rows if row.approved]
    found = Measure.objects.filter(inspection_id__in=ids, department__isnull=False)
    counts = _measure_counts(found, "department_id", today, approved)
    names = Organisation.objects.filter(pk__in=list(counts)).values_list(
        "pk", "name", "parent__name"
    )
    groups = [Group(pk, name, owner or "", counts=counts[pk]) for pk, name, owner in names]
    return sorted(groups, key=lambda g: (-g.counts.overdue, g.owner, g.name, g.key))


def by_category(rows: list[InspectionRow], today: dt.date) -> list[Group]:
    """Per category title (方面) across organisations: their top-level problems and their
    measures, two queries. A category with no title is grouped under the empty key."""
    ids = [row.id for row in rows]
    approved = [row.id for row in rows if row.approved]
    found = Measure.objects.filter(inspection_id__in=ids)
    counts = _measure_counts(found, "category__title", today, approved)
    problems = dict(
        Problem.objects.filter(inspection_id__in=ids, parent__isnull=True)
        .values_list("category__title")
        .annotate(n=Count("pk"))
        .order_by()
    )
    titles = set(counts) | set(problems)
    groups = [
        Group(t or "", t or "", problems=problems.get(t, 0), counts=counts.get(t, Counts()))
        for t in titles
    ]
    return sorted(groups, key=lambda g: (-g.problems, -g.counts.measures, g.name))


def by_topic(rows: list[InspectionRow], today: dt.date) -> list[Group]:
    """Per topic of the office's taxonomy (政治建设, 作风建设 …) as set or suggested on
    the problems: top-level problems, and measures under their problem's topic (a
    sub-problem without its own, under its parent's); two queries. The groups are
    keyed by the topic's id (None: not classified) and named by the caller, which
    reads the taxonomy."""
    ids = [row.id for row in rows]
    approved = [row.id for row in rows if row.approved]
    topic = Coalesce("problem__topic__topic_id", "problem__parent__topic__topic_id")
    measures = Measure.objects.filter(inspection_id__in=ids).annotate(topic_id=topic)
    counts = _measure_counts(measures, "topic_id", today, approved)
    problems = dict(
        Problem.objects.filter(inspection_id__in=ids, parent__isnull=True)
        .values_list("topic__topic_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    keys = set(counts) | set(problems)
    groups = [
        Group(k, "", problems=problems.get(k, 0), counts=counts.get(k, Counts())) for k in keys
    ]
    return sorted(groups, key=lambda g: (g.key is None, -g.problems, -g.counts.measures))


def by_type(rows: list[InspectionRow], today: dt.date) -> list[Group]:
    """Per measure type (立行立改 / 限期整改 / 长期坚持), in the type's order: one query."""
    ids = [row.id for row in rows]
    approved = [row.id for row in rows if row.approved]
    counts = _measure_counts(Measure.objects.filter(inspection_id__in=ids), "type", today, approved)
    return [
        Group(value, str(label), counts=counts.get(value, Counts()))
        for value, label in Measure.Type.choices
    ]


@dataclass
class Week:
    day: dt.date  # the end of the week
    open: int = 0
    overdue: int = 0


@dataclass
class Burn:
    """The trend of one round (or of the inspections without one) week by week."""

    round_id: int | None
    weeks: list[Week]


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _week_conditions(day: dt.date) -> tuple[Q, Q]:
    """Open and overdue at the end of ``day``, as the ledger stood then.

    1. On the books: the feedback was given by then (or, with no feedback date, the
       inspection was registered by then).
    2. Done by then: done now, and done by then (``Measure.done_at``); a done measure
       with no such time (imported as done) counts done all along.
    3. Overdue by then: open, past its deadline, under a plan approved by then."""
    end = _end_of(day)
    booked = Q(inspection__feedback_date__lte=day) | Q(
        inspection__feedback_date__isnull=True, inspection__created__lt=end
    )
    done = Q(state__in=DONE_STATES) & (Q(done_at__isnull=True) | Q(done_at__lt=end))
    still_open = booked & ~done
    late = still_open & Q(deadline__lt=day, inspection__plan_approved__lt=end)
    return still_open, late


def weekly(rows: list[InspectionRow], today: dt.date, weeks: int = WEEKS) -> list[Burn]:
    """Open and overdue measures at the end of each of the last ``weeks`` weeks, per
    round: one query, its conditional counts fixed by ``weeks``."""
    days = [today - dt.timedelta(days=7 * k) for k in reversed(range(weeks))]
    aggregates: dict[str, Any] = {}
    for k, day in enumerate(days):
        still_open, late = _week_conditions(day)
        aggregates[f"open{k}"] = Count("pk", filter=still_open)
        aggregates[f"late{k}"] = Count("pk", filter=late)
    found = (
        Measure.objects.filter(inspection_id__in=[row.id for row in rows])
        .values("inspection__round_id")
        .annotate(**aggregates)
        .order_by()
    )
    return [
        Burn(
            got["inspection__round_id"],
            [Week(day, got[f"open{k}"], got[f"late{k}"]) for k, day in enumerate(days)],
        )
        for got in found
    ]


def total_weeks(burns: list[Burn], today: dt.date, weeks: int = WEEKS) -> list[Week]:
    """The burns summed: the trend of everything in scope."""
    days = [today - dt.timedelta(days=7 * k) for k in reversed(range(weeks))]
    total = [Week(day) for day in days]
    for burn in burns:
        for into, week in zip(total, burn.weeks, strict=True):
            into.open += week.open
            into.overdue += week.overdue
    return total
