"""What awaits each person: their open measures, the sign-offs and evidence reviews
that wait on them. The home page lists them; the reminder job counts them.

The same rules as ``orgs.access.narrow_to_measure``: a responsible person's
measures are those assigned to them or to their department; a responsible
leader signs what names them or names no leader; the first responsible person
signs everything of the organisation.
"""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from zhenggai.inspections.models import Problem
from zhenggai.ledger.models import Evidence, Measure
from zhenggai.ledger.services import REVIEWERS
from zhenggai.ledger.states import DONE_STATES, State
from zhenggai.orgs import access
from zhenggai.orgs.models import Role


def _units(user: User, roles: set[Role]) -> set[int]:
    return {g.unit_id for g in access.grants(user) if g.role in roles}


def _signable(user: User, prefix: str = "") -> Q:
    """Measures (under ``prefix``) the user may sign off or review as a leader."""
    leading = _units(user, {Role.RESPONSIBLE_LEADER})
    first = _units(user, {Role.FIRST_RESPONSIBLE})
    unit = f"{prefix}inspection__organisation_id__in"
    mine = Q(**{f"{prefix}leader_id": user.pk}) | Q(**{f"{prefix}leader__isnull": True})
    return Q(**{unit: first}) | (Q(**{unit: leading}) & mine)


def open_measures_of(user: User) -> QuerySet[Measure]:
    """A responsible person's measures not yet done, soonest deadline first."""
    units = _units(user, {Role.RESPONSIBLE_PERSON})
    departments = {
        g.department_id or g.organisation_id
        for g in access.grants(user)
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
