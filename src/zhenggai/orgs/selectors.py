"""Who and what belongs to an inspected organisation (a unit): its departments and
its people, as the pages offer them and as the services accept them."""

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
