"""Writes to an inspection office's tree: the office itself, the organisations it
inspects under it, and their departments. Made and renamed by the office's
administrators, never deleted here (work and history hang on them)."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import Refused
from zhenggai.services import problem_topics

Kind = Organisation.Kind
# What each kind of organisation holds under it in an office's tree.
CHILD_KIND = {Kind.OFFICE: Kind.INSPECTED, Kind.INSPECTED: Kind.DEPARTMENT}
NAME_MAX = 200


def clean_name(name: str) -> str:
    """The name as stored: spaces at either end dropped; Refused when empty or too long."""
    name = " ".join(name.split())
    if not name:
        raise Refused(_("请填写名称"))
    if len(name) > NAME_MAX:
        raise Refused(_("名称不能超过 %(n)s 个字") % {"n": NAME_MAX})
    return name


def _refuse_same_name(parent_id: int | None, name: str, leave_out: int | None = None) -> None:
    siblings = Organisation.objects.filter(parent_id=parent_id, name=name)
    if leave_out is not None:
        siblings = siblings.exclude(pk=leave_out)
    if siblings.exists():
        raise Refused(_("同一上级下已有名为「%(name)s」的单位或部门") % {"name": name})


def office_create(*, actor: User | None, name: str) -> Organisation:
    """A new inspection office at the top of a tree (the first one, by `zhenggai setup`),
    with the default taxonomy of problems, which it may change."""
    name = clean_name(name)
    with transaction.atomic():
        _refuse_same_name(None, name)
        office = Organisation.objects.create(name=name, kind=Kind.OFFICE)
        chain.created(
            actor=actor, obj=office, inspection_id=None, action=Action.ORGANISATION_CREATE
        )
        problem_topics.seed_taxonomy(office.pk)
    return office


def organisation_create(*, actor: User, parent_id: int, name: str) -> Organisation:
    """An inspected organisation under the office, or a department under one of them."""
    name = clean_name(name)
    with transaction.atomic():
        parent, _office = access.tree_organisation_for(actor, parent_id)
        kind = CHILD_KIND.get(Kind(parent.kind))
        if kind is None:
            raise Refused(_("部门下不能再设单位或部门"))
        _refuse_same_name(parent.pk, name)
        made = Organisation.objects.create(name=name, kind=kind, parent=parent)
        chain.created(actor=actor, obj=made, inspection_id=None, action=Action.ORGANISATION_CREATE)
    return made


def organisation_rename(*, actor: User, organisation_id: int, name: str) -> Organisation:
    """A new name for the office, one of its organisations or a department."""
    name = clean_name(name)
    with transaction.atomic():
        found, _office = access.tree_organisation_for(actor, organisation_id)
        if found.name == name:
            return found
        _refuse_same_name(found.parent_id, name, leave_out=found.pk)
        before = {"name": found.name}
        found.name = name
        found.save(update_fields=["name"])
        chain.record(
            actor=actor,
            action=Action.ORGANISATION_RENAME,
            obj=found,
            before=before,
            after={"name": name},
        )
    return found
