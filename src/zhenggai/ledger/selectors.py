"""Reading the ledger (STYLE.md: services write, selectors read).

Every function here answers in a fixed number of queries however many rows the
ledger holds, and none decides who may see what: callers pass querysets or
objects already scoped by ``zhenggai.access``.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)

from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.ledger import derived
from zhenggai.ledger.models import (
    Approval,
    Evidence,
    Extension,
    FollowUpReview,
    Measure,
    ProgressEntry,
    Unfinished,
)
from zhenggai.orgs.models import display_name

# --- Totals -------------------------------------------------------------------------


@dataclass
class Tally:
    """What the ledger counts for an inspection, an organisation or everything."""

    problems: int = 0  # top-level problems; sub-problems are parts of them
    signed_off: int = 0
    long_term: int = 0
    in_progress: int = 0  # top-level problems not done (neither signed off nor long-term)
    measures: int = 0
    overdue: int = 0  # measures past their deadline and not done
    weights: dict[str, int] = field(default_factory=dict)  # measures' weight by state

    @property
    def completion(self) -> float:
        return derived.completion(self.weights.items())

    def absorb(self, other: "Tally") -> None:
        for name in ("problems", "signed_off", "long_term", "in_progress", "measures", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for state, weight in other.weights.items():
            self.weights[state] = self.weights.get(state, 0) + weight


def tallies(inspections: QuerySet[Inspection], today: dt.date) -> dict[int, Tally]:
    """Per inspection id, in two GROUP BY queries over the scoped inspections; an
    inspection with no problems and no measures gets an empty Tally.

    The scope is read first as a list of ids: against a list PostgreSQL scans the
    covering indexes instead of hash-joining every row to the inspections."""
    scope = list(inspections.values_list("pk", "plan_approved"))
    ids = [pk for pk, _ in scope]
    approved = [pk for pk, at in scope if at is not None]
    result: dict[int, Tally] = defaultdict(Tally)
    problems = (
        Problem.objects.filter(inspection_id__in=ids, parent__isnull=True)
        .values_list("inspection_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for inspection_id, state, n in problems:
        _count_problems(result[inspection_id], state, n)
    measures = (
        Measure.objects.filter(inspection_id__in=ids)
        .values_list("inspection_id", "state")
        .annotate(
            n=Count("pk"),
            weight=Sum("weight"),
            overdue=Count("pk", filter=derived.overdue_q(today, approved)),
        )
        .order_by()
    )
    for inspection_id, state, n, weight, overdue in measures:
        _count_measures(result[inspection_id], state, n, weight or 0, overdue)
    return result


def _count_measures(tally: Tally, state: str, n: int, weight: int, overdue: int) -> None:
    tally.measures += n
    tally.overdue += overdue
    tally.weights[state] = tally.weights.get(state, 0) + weight


def _count_problems(tally: Tally, state: str, n: int) -> None:
    tally.problems += n
    if state == State.SIGNED_OFF:
        tally.signed_off += n
    elif state == State.LONG_TERM:
        tally.long_term += n
    else:
        tally.in_progress += n


@dataclass
class OrganisationTally:
    id: int
    name: str
    inspections: int = 0
    tally: Tally = field(default_factory=Tally)


def organisation_tallies(
    inspections: QuerySet[Inspection], today: dt.date
) -> list[OrganisationTally]:
    """Per inspected organisation that has one of the scoped inspections, by name: the
    two queries of ``tallies`` and one for the organisations, folded here."""
    by_inspection = tallies(inspections, today)
    found: dict[int, OrganisationTally] = {}
    rows = inspections.values_list("pk", "organisation_id", "organisation__name").order_by()
    for pk, organisation_id, name in rows:
        row = found.setdefault(organisation_id, OrganisationTally(organisation_id, name))
        row.inspections += 1
        row.tally.absorb(by_inspection[pk])
    return sorted(found.values(), key=lambda row: (row.name, row.id))


# --- The flat ledger list -----------------------------------------------------------

_STATE_ORDER = Case(
    *(When(state=state, then=Value(rank)) for rank, state in enumerate(State)),
    output_field=IntegerField(),
)

# "position" is ledger order: inspection, category, problem (created in document
# order by the importer, sub-problems after their parent), then the measure's number.
ORDERS: dict[str, tuple[Any, ...]] = {
    "position": (
        "inspection_id",
        "category__position",
        F("problem_id").asc(nulls_first=True),
        "position",
        "pk",
    ),
    "deadline": (F("deadline").asc(nulls_last=True), "pk"),
    "-deadline": (F("deadline").desc(nulls_last=True), "-pk"),
    "state": (_STATE_ORDER, F("deadline").asc(nulls_last=True), "pk"),
}

# Filter field → lookup, for the filters that are a plain comparison.
_LOOKUPS = {
    "inspection": "inspection_id",
    "category": "category_id",
    "category_title": "category__title",
    "department": "department_id",
    "department_name": "department_name",
    "person": "person_id",
    "person_name": "person_name",
    "deadline_from": "deadline__gte",
    "deadline_to": "deadline__lte",
}


@dataclass(frozen=True)
class MeasureFilter:
    inspection: int | None = None
    category: int | None = None
    states: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # Measure.Type values
    category_title: str | None = None  # a category (方面) by its title, across inspections
    topic: int | None = None  # a topic of the office's taxonomy, on the problem or its parent
    department: int | None = None
    department_name: str | None = None
    person: int | None = None
    person_name: str | None = None
    overdue: bool | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    q: str | None = None
    sort: str = "position"


def _conditions(wanted: MeasureFilter, today: dt.date) -> Q:
    given = {name: getattr(wanted, name) for name in _LOOKUPS}
    found = Q(**{_LOOKUPS[name]: value for name, value in given.items() if value is not None})
    if wanted.states:
        found &= Q(state__in=wanted.states)
    if wanted.types:
        found &= Q(type__in=wanted.types)
    if wanted.topic is not None:
        # As cockpit_selectors.by_topic counts: the problem's own topic, else its parent's.
        own = Q(problem__topic__topic_id=wanted.topic)
        found &= own | Q(problem__topic__isnull=True, problem__parent__topic__topic_id=wanted.topic)
    if wanted.overdue is not None:
        overdue = derived.overdue_q(today)
        found &= overdue if wanted.overdue else ~overdue
    if wanted.q and wanted.q.strip():
        # icontains is LIKE on SQLite and UPPER() LIKE on PostgreSQL: both leave
        # Chinese as it is, and Django escapes % and _ in the needle.
        needle = wanted.q.strip()
        found &= Q(text__icontains=needle) | Q(problem__title__icontains=needle)
    return found


def measures_matching(
    inspections: QuerySet[Inspection], wanted: MeasureFilter, today: dt.date
) -> QuerySet[Measure]:
    """The measures of the scoped inspections that pass the filter, sorted.

    The scope is a list of inspection ids on ``measure.inspection_id``, so counting
    needs no join; a list, not a subquery, lets PostgreSQL count from the index
    alone (measured: 13.3 → 6.7 ms on 30,000 measures).
    """
    scope = list(inspections.values_list("pk", flat=True))
    found = Measure.objects.filter(inspection_id__in=scope)
    return found.filter(_conditions(wanted, today)).order_by(*ORDERS[wanted.sort])


@dataclass(frozen=True)
class Listed:
    """One line of the ledger list, as plain values: a page of 200 measures read as
    models would build 1,600 model instances, which costs more than the queries."""

    id: int
    inspection_id: int
    organisation_id: int
    organisation_name: str
    office_id: int | None  # the organisation's parent, whose rules colour the warning
    category_id: int
    category_title: str | None
    problem_id: int | None
    problem_title: str | None
    position: int
    text: str
    type: str
    leader: str | None  # the name the ledger gives, else the assigned user's
    department: str | None
    department_id: int | None
    person: str | None
    original_deadline: dt.date | None
    deadline: dt.date | None
    state: str
    plan_approved: dt.datetime | None  # the inspection's: its deadlines bind from then

    @classmethod
    def of(cls, m: Measure) -> "Listed":
        """The same line from a measure read with its relations (a detail page)."""
        organisation = m.inspection.organisation
        return cls(
            id=m.pk,
            inspection_id=m.inspection_id,
            organisation_id=organisation.pk,
            organisation_name=organisation.name,
            office_id=organisation.parent_id,
            category_id=m.category_id,
            category_title=m.category.title,
            problem_id=m.problem_id,
            problem_title=m.problem.title if m.problem else None,
            position=m.position,
            text=m.text,
            type=m.type,
            leader=m.leader_name or (_named(m.leader) if m.leader else None),
            department=m.department_name or (m.department.name if m.department else None),
            department_id=m.department_id,
            person=m.person_name or (_named(m.person) if m.person else None),
            original_deadline=m.original_deadline,
            deadline=m.deadline,
            state=m.state,
            plan_approved=m.inspection.plan_approved,
        )


# Listed's fields read as they are, and the column each comes from.
_COLUMNS = {
    "id": "pk",
    "inspection_id": "inspection_id",
    "organisation_id": "inspection__organisation_id",
    "organisation_name": "inspection__organisation__name",
    "office_id": "inspection__organisation__parent_id",
    "category_id": "category_id",
    "category_title": "category__title",
    "problem_id": "problem_id",
    "problem_title": "problem__title",
    "position": "position",
    "text": "text",
    "type": "type",
    "department_id": "department_id",
    "original_deadline": "original_deadline",
    "deadline": "deadline",
    "state": "state",
    "plan_approved": "inspection__plan_approved",
}
# Listed's names: the ledger's text when it has one, else the assigned user or unit.
_NAMES = {
    "leader": ("leader_name", "leader__first_name", "leader__last_name", "leader__username"),
    "department": ("department_name", "department__name"),
    "person": ("person_name", "person__first_name", "person__last_name", "person__username"),
}


def _listed(row: dict[str, Any]) -> Listed:
    values: dict[str, Any] = {name: row[column] for name, column in _COLUMNS.items()}
    for name, (text, *related) in _NAMES.items():
        given = row[related[0]] if len(related) == 1 else display_name(*map(row.get, related))
        values[name] = row[text] or given or None
    return Listed(**values)


def _named(user: Any) -> str:
    return display_name(user.first_name, user.last_name, user.get_username())


def page_of(found: QuerySet[Measure], page: int, size: int) -> tuple[int, list[Listed]]:
    """The total and one page, in three queries (none past the last page).

    The page's ids are chosen on the measure table alone; only those rows are then
    joined to their inspection, category, problem and people, so the joins do not
    grow with the ledger.
    """
    count = found.count()
    start = (page - 1) * size
    if start >= count:
        return count, []
    ids = list(found.values_list("pk", flat=True)[start : start + size])
    columns = [*_COLUMNS.values(), *(c for names in _NAMES.values() for c in names)]
    rows = Measure.objects.filter(pk__in=ids).values(*columns)
    by_id = {row["pk"]: _listed(row) for row in rows}
    return count, [by_id[pk] for pk in ids]


# --- Details --------------------------------------------------------------------------


def measures_in_detail(*, with_parents: bool = True) -> QuerySet[Measure]:
    """Measures with everything their detail shows: five queries for any number of them.
    Under a problem already read, ``with_parents=False`` leaves out the joins to what
    the problem holds (see ``problem_in_detail``)."""
    parents = ("inspection__organisation", "category", "problem") if with_parents else ()
    return Measure.objects.select_related(
        *parents, "leader", "department", "person"
    ).prefetch_related(
        Prefetch("progress", queryset=ProgressEntry.objects.select_related("author")),
        Prefetch("evidence", queryset=Evidence.objects.select_related("supplied_by")),
        Prefetch("extensions", queryset=Extension.objects.select_related("requested_by")),
        Prefetch("approval_set", queryset=Approval.objects.select_related("approver")),
    )


def problem_in_detail(problem: Problem) -> Problem:
    """The problem (read by ``access.problem_for`` with its parents) with its parts:
    ten more queries, whatever it holds.

    Its measures take their problem, category and inspection from the problem
    itself instead of joining them again (a fifth of the page's time, measured)."""
    prefetch_related_objects(
        [problem],
        Prefetch("subproblems", queryset=Problem.objects.order_by("position", "pk")),
        Prefetch("measures", queryset=measures_in_detail(with_parents=False)),
        Prefetch("reviews", queryset=FollowUpReview.objects.select_related("reviewer")),
        Prefetch("unfinished_set", queryset=Unfinished.objects.all()),
        Prefetch("approval_set", queryset=Approval.objects.select_related("approver")),
    )
    for measure in problem.measures.all():
        measure.problem, measure.inspection = problem, problem.inspection
        if measure.category_id == problem.category_id:
            measure.category = problem.category
    return problem


# --- History --------------------------------------------------------------------------


def _events_of(model: type[Any], ids: QuerySet[Any]) -> Q:
    return Q(object_type=model._meta.model_name, object_id__in=ids)


def _measure_events(measures: QuerySet[Measure]) -> Q:
    """A measure's own events and those of its progress, evidence and extensions."""
    ids = measures.values("pk")
    return (
        _events_of(Measure, ids)
        | _events_of(ProgressEntry, ProgressEntry.objects.filter(measure_id__in=ids).values("pk"))
        | _events_of(Evidence, Evidence.objects.filter(measure_id__in=ids).values("pk"))
        | _events_of(Extension, Extension.objects.filter(measure_id__in=ids).values("pk"))
        # A sign-off imported from an office's ledger is recorded as the approval's own.
        | _events_of(Approval, Approval.objects.filter(measure_id__in=ids).values("pk"))
    )


def measure_history(measure: Measure) -> QuerySet[Event]:
    return Event.objects.filter(_measure_events(Measure.objects.filter(pk=measure.pk)))


def problem_history(problem: Problem) -> QuerySet[Event]:
    """The problem's events, its follow-up reviews and carry-overs, and all its measures'."""
    mine = Problem.objects.filter(pk=problem.pk).values("pk")
    return Event.objects.filter(
        _events_of(Problem, mine)
        | _events_of(FollowUpReview, FollowUpReview.objects.filter(problem=problem).values("pk"))
        | _events_of(Unfinished, Unfinished.objects.filter(problem=problem).values("pk"))
        | _measure_events(Measure.objects.filter(problem=problem))
    )
