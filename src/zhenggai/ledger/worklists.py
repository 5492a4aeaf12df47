"""What awaits each person: their open measures, the sign-offs and evidence reviews
that wait on them. The home page lists them; the reminder job counts them.

The same rules as ``access.narrow_to_measure``: a responsible person's
measures are those assigned to them or to their department; a responsible
leader signs what names them or names no leader; the first responsible person
signs everything of the organisation.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import DONE_STATES, PlanState, State
from zhenggai.ledger.measure_flow import REVIEWERS
from zhenggai.ledger.models import Evidence, Measure
from zhenggai.orgs import scope
from zhenggai.orgs.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _units(user: User, roles: set[Role]) -> set[int]:
    return {g.unit_id for g in scope.grants(user) if g.role in roles}


def _signable(user: User, prefix: str = "") -> Q:
    """Measures (under ``prefix``) the user may sign off or review as a leader."""
    leading = _units(user, {Role.RESPONSIBLE_LEADER})
    first = _units(user, {Role.FIRST_RESPONSIBLE})
    unit = f"{prefix}inspection__organisation_id__in"
    mine = Q(**{f"{prefix}leader_id": user.pk}) | Q(**{f"{prefix}leader__isnull": True})
    return Q(**{unit: first}) | (Q(**{unit: leading}) & mine)


def plans_awaiting(user: User) -> QuerySet[Inspection]:
    """Plans that wait on the user: to approve (first responsible person), to review
    (the inspection office, for the organisations under it), to correct after a
    return (the rectification office)."""
    waiting = (
        Q(
            organisation_id__in=_units(user, {Role.FIRST_RESPONSIBLE}),
            plan_state=PlanState.SUBMITTED,
        )
        | Q(
            organisation_id__in=_offices_below(user),
            plan_state=PlanState.OFFICE_REVIEW,
        )
        | Q(
            organisation_id__in=_units(user, {Role.RECTIFICATION_OFFICE}),
            plan_state=PlanState.RETURNED,
        )
    )
    return (
        Inspection.objects.filter(waiting)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def _offices_below(user: User) -> set[int]:
    """The organisations an inspection office user watches."""
    if not _units(user, {Role.INSPECTION_OFFICE}):
        return set()
    return set(scope.visible_organisations(user))


def open_measures_of(user: User) -> QuerySet[Measure]:
    """A responsible person's measures not yet done, soonest deadline first."""
    units = _units(user, {Role.RESPONSIBLE_PERSON})
    departments = {
        g.department_id or g.organisation_id
        for g in scope.grants(user)
        if g.role == Role.RESPONSIBLE_PERSON
    }
    theirs = Q(person_id=user.pk) | Q(department_id__in=departments)
    return (
        Measure.objects.filter(theirs, inspection__organisation_id__in=units)
        .exclude(state__in=DONE_STATES)
        .select_related("inspection__organisation", "problem", "category")
        .order_by("deadline", "pk")
    )


def measures_awaiting_sign_off(user: User) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(_signable(user), state=State.AWAITING_SIGN_OFF)
        .select_related("inspection__organisation", "problem")
        .order_by("deadline", "pk")
    )


def problems_awaiting_sign_off(user: User) -> QuerySet[Problem]:
    units = _units(user, {Role.RESPONSIBLE_LEADER, Role.FIRST_RESPONSIBLE})
    return (
        Problem.objects.filter(inspection__organisation_id__in=units, state=State.AWAITING_SIGN_OFF)
        .select_related("inspection__organisation", "category")
        .order_by("inspection_id", "position")
    )


def evidence_to_review(user: User) -> QuerySet[Evidence]:
    office = _units(user, {Role.RECTIFICATION_OFFICE})
    leaders = REVIEWERS - {Role.RECTIFICATION_OFFICE}
    wanted = Q(measure__inspection__organisation_id__in=office)
    if _units(user, set(leaders)):
        wanted |= _signable(user, "measure__")
    return (
        Evidence.objects.filter(wanted, review=Evidence.Review.PENDING)
        .select_related("measure__inspection__organisation", "measure__problem")
        .order_by("uploaded_at", "pk")
    )


# --- Everyone at once, for the reminder job -------------------------------------------
#
# The job asks the questions above for every user together. Asked user by user they
# would cost queries per user; here the memberships are read once and each measure
# or problem is matched to its people in Python, by the same rules.


@dataclass(frozen=True)
class Staff:
    """Every active user's grants, indexed by (inspected organisation, role)."""

    by_unit: dict[tuple[int, Role], list[tuple[int, scope.Grant]]]

    @classmethod
    def load(cls) -> "Staff":
        """One query over the memberships of active users."""
        rows = Membership.objects.filter(user__is_active=True).values_list(
            "user_id",
            "role",
            "organisation_id",
            "department_id",
            "organisation__kind",
            "organisation__parent_id",
        )
        by_unit: dict[tuple[int, Role], list[tuple[int, scope.Grant]]] = defaultdict(list)
        for user_id, role, org, department, kind, parent in rows:
            unit = parent if kind == Organisation.Kind.DEPARTMENT and parent else org
            grant = scope.Grant(Role(role), org, department, unit)
            by_unit[(unit, grant.role)].append((user_id, grant))
        return cls(dict(by_unit))

    def _holders(self, unit_id: int, role: Role) -> list[tuple[int, scope.Grant]]:
        return self.by_unit.get((unit_id, role), [])

    def carriers(self, measure: Measure) -> set[int]:
        """The responsible people whose open list holds the measure (``open_measures_of``)."""
        unit = measure.inspection.organisation_id
        return {
            user_id
            for user_id, g in self._holders(unit, Role.RESPONSIBLE_PERSON)
            if user_id == measure.person_id
            or (g.department_id or g.organisation_id) == measure.department_id
        }

    def signers(self, measure: Measure) -> set[int]:
        """Who signs the measure off (``_signable``): its named leader, every responsible
        leader when none is named, and the first responsible person."""
        unit = measure.inspection.organisation_id
        first = {user_id for user_id, _g in self._holders(unit, Role.FIRST_RESPONSIBLE)}
        leaders = {
            user_id
            for user_id, _g in self._holders(unit, Role.RESPONSIBLE_LEADER)
            if measure.leader_id in (None, user_id)
        }
        return first | leaders

    def problem_signers(self, problem: Problem) -> set[int]:
        """Who signs a problem off (``problems_awaiting_sign_off``)."""
        unit = problem.inspection.organisation_id
        roles = (Role.RESPONSIBLE_LEADER, Role.FIRST_RESPONSIBLE)
        return {user_id for role in roles for user_id, _g in self._holders(unit, role)}

    def office(self, unit_id: int) -> set[int]:
        """The organisation's rectification office."""
        return {user_id for user_id, _g in self._holders(unit_id, Role.RECTIFICATION_OFFICE)}


def measures_needing_action(until: dt.date) -> QuerySet[Measure]:
    """Every measure someone must act on: not done with a deadline up to ``until``,
    or awaiting sign-off; with its organisation and round, whose rules colour it."""
    return (
        Measure.objects.filter(
            (Q(deadline__lte=until) & ~Q(state__in=DONE_STATES)) | Q(state=State.AWAITING_SIGN_OFF)
        )
        .select_related("inspection__organisation", "inspection__round")
        .order_by("pk")
    )


def all_problems_awaiting_sign_off() -> QuerySet[Problem]:
    return (
        Problem.objects.filter(state=State.AWAITING_SIGN_OFF)
        .select_related("inspection__organisation")
        .order_by("pk")
    )


class Pending(TypedDict):
    pending: int  # how many files await review


def pending_evidence_by_measure() -> "QuerySet[WithAnnotations[Measure, Pending]]":
    """Measures with evidence awaiting review, each with ``pending``: how many files."""
    return (
        Measure.objects.filter(evidence__review=Evidence.Review.PENDING)
        .annotate(pending=Count("evidence"))
        .select_related("inspection__organisation")
        .order_by("pk")
    )
