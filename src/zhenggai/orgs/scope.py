"""The roles a user holds, and where: read from memberships alone, so that every
layer may ask (the access door, the worklists, the pages) without reaching the
objects the roles apply to.

A user's roles for an inspected organisation come from memberships in it (or one
of its departments) and, for the inspection office, in any organisation above it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser

from zhenggai.orgs.models import Membership, Organisation, Role

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


def supervised_organisations(user: User) -> set[int]:
    """The offices and inspected organisations under the offices where the user holds
    a supervising role (the inspection office's cockpit); empty for everyone else."""
    return _descendants(g.organisation_id for g in grants(user) if g.role in SUPERVISING)


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
