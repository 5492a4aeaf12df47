"""Who and what belongs to an inspected organisation (a unit): its departments and
its people, as the pages offer them and as the services accept them."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from zhenggai.orgs.models import Organisation, display_name


def departments(unit_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(parent_id=unit_id, kind=Organisation.Kind.DEPARTMENT)


def members(unit_id: int) -> QuerySet[User]:
    """Members of the unit itself and of its departments."""
    own = Q(memberships__organisation_id=unit_id)
    return User.objects.filter(own | Q(memberships__organisation__parent_id=unit_id)).distinct()


def department_choices(unit_id: int) -> list[tuple[int, str]]:
    return list(departments(unit_id).order_by("name", "pk").values_list("pk", "name"))


def member_choices(unit_id: int) -> list[tuple[int, str]]:
    """(id, name as the pages show it), by name."""
    rows = members(unit_id).values_list("pk", "first_name", "last_name", "username")
    named = [(pk, display_name(first, last, username)) for pk, first, last, username in rows]
    return sorted(named, key=lambda row: (row[1], row[0]))


# --- An inspection office's own tree and people, as its administrators manage them ---


def office_tree(office_id: int) -> list[Organisation]:
    """The office, its inspected organisations and their departments, by name under
    each parent (the parent before its children): two queries."""
    office = list(Organisation.objects.filter(pk=office_id, kind=Organisation.Kind.OFFICE))
    units = list(Organisation.objects.filter(parent_id=office_id, kind=Organisation.Kind.INSPECTED))
    below = Organisation.objects.filter(
        parent_id__in=[u.pk for u in units], kind=Organisation.Kind.DEPARTMENT
    )
    departments: dict[int, list[Organisation]] = {}
    for department in below.order_by("name", "pk"):
        departments.setdefault(department.parent_id or 0, []).append(department)
    ordered = list(office)
    for unit in sorted(units, key=lambda u: (u.name, u.pk)):
        ordered += [unit, *departments.get(unit.pk, [])]
    return ordered


def people(office_id: int, tree: Iterable[int]) -> QuerySet[User]:
    """The office's people: those whose account is the office's, and those with no
    account whose memberships lie in its tree (``tree``: the ids of ``office_tree``)."""
    ids = list(tree)
    own = Q(account__office_id=office_id)
    placed = Q(account__isnull=True) & (
        Q(memberships__organisation_id__in=ids) | Q(memberships__department_id__in=ids)
    )
    return User.objects.filter(own | placed).distinct()
