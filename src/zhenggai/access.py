"""Who may see and do what: the one place that decides.

A user's roles for an inspection come from memberships in its organisation
(or one of that organisation's departments) and, for the inspection office,
in any organisation above it. Everything readable is scoped through
``visible_inspections``; everything fetched by id goes through ``inspection_for``
and friends, which answer NotFound to someone who should not know it exists.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhenggai.inspections.models import Inspection, Problem
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Role, role_names
from zhenggai.orgs.scope import User, grants, roles_in, visible_organisations
from zhenggai.refusals import NotFound, Refused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def visible_inspections(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(organisation_id__in=visible_organisations(user))


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
