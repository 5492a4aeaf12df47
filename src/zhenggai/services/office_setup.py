"""The start of an installation: the inspection office and its first administrator,
made by the operator with `zhenggai setup` on the server's own command line.

Only the command makes them: a page that let the first visitor claim an empty
installation would give it to whoever on the network came first. The sign-in page
of an installation with no organisation says which command to run (web/signin.py).
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.orgs.models import Account, Organisation
from zhenggai.refusals import Refused
from zhenggai.services import org_tree, people


def installed() -> bool:
    """Whether any organisation exists: an empty installation leads to `zhenggai setup`."""
    return Organisation.objects.exists()


def administrator_exists() -> bool:
    return Account.objects.filter(administrator=True, user__is_active=True).exists()


def _office(name: str) -> Organisation:
    """The top-level office of that name, made when there is none (an installation
    whose office the demo or an earlier setup made keeps it)."""
    name = org_tree.clean_name(name)
    found = Organisation.objects.filter(
        parent=None, kind=Organisation.Kind.OFFICE, name=name
    ).first()
    return found or org_tree.office_create(actor=None, name=name)


def office_setup(
    *, office_name: str, username: str, name: str, password: str, again: bool = False
) -> User:
    """The office (made, or found by its name) and a new administrator of it who signs
    in with ``password``. Refused while an active administrator exists anywhere,
    unless ``again`` (an operator who lost every administrator's password)."""
    name = people.clean_person_name(name)
    with transaction.atomic():
        if administrator_exists() and not again:
            raise Refused(
                _("已有系统管理员，无需再次初始化；如确需再建一位系统管理员，请加 --again")
            )
        username = people.clean_username(username)
        people.check_password(password, User(username=username, first_name=name))
        office = _office(office_name)
        person = people.person_add(
            actor=None,
            office=office,
            username=username,
            name=name,
            action=Action.PERSON_CREATE,
        )
        person.set_password(password)
        person.save(update_fields=["password"])
        Account.objects.filter(user=person).update(administrator=True)
        chain.record(
            actor=None,
            action=Action.ADMINISTRATOR_SETUP,
            obj=person,
            after={"username": username, "office_id": office.pk, "office": office.name},
        )
    return person
