"""Who may see and do what: the one place that decides.

A user's roles for an inspection come from memberships in its organisation
(or one of that organisation's departments) and, for the inspection office,
in any organisation above it. Everything readable is scoped through
``visible_inspections``; everything fetched by id goes through ``inspection_for``
and friends, which answer NotFound to someone who should not know it exists.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhenggai.inspections.models import Inspection, Problem
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Membership, Organisation, Role, role_names
from zhenggai.refusals import NotFound, Refused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = AuthUser | AnonymousUser

DEPARTMENT = Organisation.Kind.DEPARTMENT

# Roles whose scope reaches down to the organisations under theirs.
SUPERVISING = {Role.INSPECTION_OFFICE}


@dataclass(frozen=True)
class Grant:
    role: Role
    organisation_id: int
    department_id: int | None
    unit_id: int  # the inspected organisation whose ledger the membership reaches


def grants(user: User) -> list[Grant]:
    """The user's memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached: list[Grant] | None = getattr(user, "_zhenggai_grants", None)
    if cached is None:
        rows = Membership.objects.filter(user_id=user.pk).values_list(
            "role",
            "organisation_id",
            "department_id",
            "organisation__kind",
            "organisation__parent_id",
        )
        cached = [
            Grant(Role(role), org, department, parent if kind == DEPARTMENT and parent else org)
            for role, org, department, kind, parent in rows
        ]
        setattr(user, "_zhenggai_grants", cached)  # noqa: B010 - a per-request cache
    return cached


def _descendants(roots: Iterable[int]) -> set[int]:
    """Offices and inspected organisations under the roots, roots included. Departments
    are left out: inspections belong to organisations, and a county has hundreds of
    departments to hash on every request."""
    found = set(roots)
    frontier = set(found)
    while frontier:
        below = Organisation.objects.filter(parent_id__in=frontier).exclude(kind=DEPARTMENT)
        frontier = set(below.values_list("pk", flat=True)) - found
        found |= frontier
    return found


def _ancestors(organisation_id: int) -> set[int]:
    """The organisation and the three levels above it, in one query."""
    row = (
        Organisation.objects.filter(pk=organisation_id)
        .values_list("parent_id", "parent__parent_id", "parent__parent__parent_id")
        .first()
    )
    return {organisation_id, *(row or ())} - {None}


def visible_organisations(user: User) -> set[int]:
    """Organisations whose inspections the user may read; a department's member
    reads its organisation's ledger. Cached on the user object for the request."""
    cached: set[int] | None = getattr(user, "_zhenggai_visible", None)
    if cached is None:
        own = {g.unit_id for g in grants(user) if g.role not in SUPERVISING}
        supervised = _descendants(g.organisation_id for g in grants(user) if g.role in SUPERVISING)
        cached = own | supervised
        if user.is_authenticated:
            setattr(user, "_zhenggai_visible", cached)  # noqa: B010 - a per-request cache
    return cached


def visible_inspections(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(organisation_id__in=visible_organisations(user))


def roles_in(user: User, organisation_id: int) -> set[Role]:
    """The roles the user holds for an inspected organisation's work."""
    mine = grants(user)
    chain = _ancestors(organisation_id) if any(g.role in SUPERVISING for g in mine) else set()
    roles = set()
    for grant in mine:
        if grant.role in SUPERVISING:
            if grant.organisation_id in chain:
                roles.add(grant.role)
        elif grant.unit_id == organisation_id:
            roles.add(grant.role)
    return roles


def inspection_for(user: User, pk: int) -> tuple[Inspection, set[Role]]:
    inspection = Inspection.objects.filter(pk=pk).first()
    roles = roles_in(user, inspection.organisation_id) if inspection else set()
    if inspection is None or not roles:
        raise NotFound(_("未找到该巡察，或您无权查看"))
    return inspection, roles


def problem_for(user: User, pk: int) -> tuple[Problem, set[Role]]:
    # The parents a detail page shows come in the same row: they cost no extra query.
    problem = (
        Problem.objects.select_related("inspection__organisation", "category", "parent")
        .filter(pk=pk)
        .first()
    )
    roles = roles_in(user, problem.inspection.organisation_id) if problem else set()
    if problem is None or not roles:
        raise NotFound(_("未找到该问题，或您无权查看"))
    return problem, roles


def measure_for(user: User, pk: int) -> tuple[Measure, set[Role]]:
    """The measure and the roles the user may act with on it (possibly none: a reader)."""
    measure = Measure.objects.select_related("inspection").filter(pk=pk).first()
    org_roles = roles_in(user, measure.inspection.organisation_id) if measure else set()
    if measure is None or not org_roles:
        raise NotFound(_("未找到该整改措施，或您无权查看"))
    return measure, narrow_to_measure(user, measure, org_roles)


def narrow_to_measure(user: User, measure: Measure, roles: set[Role]) -> set[Role]:
    """A responsible person and a responsible leader act only on what is theirs."""
    roles = set(roles)
    own_units = {g.department_id or g.organisation_id for g in grants(user)}
    if Role.RESPONSIBLE_PERSON in roles and not (
        measure.person_id == user.pk or measure.department_id in own_units
    ):
        roles.discard(Role.RESPONSIBLE_PERSON)
    if Role.RESPONSIBLE_LEADER in roles and measure.leader_id not in (None, user.pk):
        roles.discard(Role.RESPONSIBLE_LEADER)
    return roles


def require(roles: set[Role], allowed: Iterable[Role], what: "StrOrPromise") -> None:
    """Refused unless one of the roles is allowed; ``what`` names the act, translated."""
    if not roles & set(allowed):
        raise Refused(_("只有%(roles)s可以%(move)s") % {"roles": role_names(allowed), "move": what})
