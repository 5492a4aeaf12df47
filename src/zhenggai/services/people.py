"""Writes to an inspection office's people, by its administrators: accounts made,
named, given and relieved of roles, deactivated and reactivated (never deleted: their
history names them), and their one-time sign-in codes.

A person's password is never chosen by the administrator: the administrator hands
out a one-time sign-in code (printed on a sheet beside the login), and the person
sets their own password with it on the page /welcome/. A reset does the same, and
the old password stops working at once. Only the code's SHA-256 is kept; it works
once, for ``CODE_DAYS``. A code rather than a link: a link's secret would sit in
the address, and so in every access log and browser history on its way.

Every write names its actor and is recorded in the audit chain; the events about a
person hold their login and name, never a password or its hash.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.orgs.models import Account, Membership, Organisation, Role
from zhenggai.refusals import NotFound, Refused

CODE_DAYS = 7
# Nothing to misread on paper: no 0/o, 1/l/i. 16 of them are about 79 bits, beyond
# guessing even without the sign-in throttle.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 16
CODE_GROUP = 4  # printed as abcd-efgh-jkmn-pqrs
NAME_MAX = 150
Kind = Organisation.Kind


@dataclass(frozen=True)
class Issued:
    """A person's one-time sign-in code, as the sheet prints it (the plain code is
    nowhere else)."""

    username: str
    name: str
    code: str
    expires: dt.datetime


def _plain(code: str) -> str:
    """The code as issued, whatever the case, spaces and dashes it was typed with."""
    return "".join(c for c in code.lower() if c.isalnum())


def digest(code: str) -> str:
    return hashlib.sha256(_plain(code).encode()).hexdigest()


def _person(user: User) -> dict[str, object]:
    """What the audit keeps of a person."""
    return {"username": user.username, "name": user.first_name, "is_active": user.is_active}


def clean_person_name(name: str) -> str:
    """A person's name (姓名) as stored, in ``first_name`` whole: a Chinese name is not
    split into given name and family name."""
    name = " ".join(name.split())
    if not name:
        raise Refused(_("请填写姓名"))
    if len(name) > NAME_MAX:
        raise Refused(_("姓名不能超过 %(n)s 个字") % {"n": NAME_MAX})
    return name


def clean_username(username: str) -> str:
    """A login as stored; Refused when malformed or taken (in any letter case)."""
    username = username.strip()
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise Refused(_("登录名只能由字母、数字和 @ . + - _ 组成，且不能为空")) from None
    if len(username) > NAME_MAX:
        raise Refused(_("登录名不能超过 %(n)s 个字符") % {"n": NAME_MAX})
    if User.objects.filter(username__iexact=username).exists():
        raise Refused(_("登录名「%(username)s」已被使用") % {"username": username})
    return username


def check_password(password: str, user: User | None = None) -> None:
    """Refused, with every reason in the request's language, unless the configured
    validators (settings.AUTH_PASSWORD_VALIDATORS) accept the password."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise Refused(" ".join(str(m) for m in error.messages)) from None


def _account(person: User, office: Organisation) -> Account:
    """The person's account, made in the office for someone who had none."""
    account, _made = Account.objects.get_or_create(user=person, defaults={"office": office})
    return account


def issue_code(*, actor: User | None, person: User, office: Organisation) -> Issued:
    """A new one-time sign-in code for the person; the one before stops working, and
    so does their password. Inside the caller's transaction."""
    plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = "-".join(plain[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))
    expires = timezone.now() + dt.timedelta(days=CODE_DAYS)
    account = _account(person, office)
    account.code_digest, account.code_expires = digest(plain), expires
    account.save(update_fields=["code_digest", "code_expires"])
    person.set_unusable_password()
    person.save(update_fields=["password"])
    chain.record(
        actor=actor,
        action=Action.PERSON_PASSWORD_RESET,
        obj=person,
        after={**_person(person), "code_expires": expires},
    )
    return Issued(person.username, person.first_name, code, expires)


def person_add(
    *, actor: User | None, office: Organisation, username: str, name: str, action: Action
) -> User:
    """A new person of the office, with no password yet. Inside the caller's
    transaction; ``username`` and ``name`` already clean."""
    person = User.objects.create_user(username=username, first_name=name)
    Account.objects.create(user=person, office=office)
    chain.record(actor=actor, action=action, obj=person, after=_person(person))
    return person


def person_create(*, actor: User, username: str, name: str) -> Issued:
    """A new person of the actor's office, and their first sign-in code."""
    name = clean_person_name(name)
    with transaction.atomic():
        office = access.administered_office(actor)
        person = person_add(
            actor=actor,
            office=office,
            username=clean_username(username),
            name=name,
            action=Action.PERSON_CREATE,
        )
        return issue_code(actor=actor, person=person, office=office)


def person_rename(*, actor: User, person_id: int, name: str) -> User:
    name = clean_person_name(name)
    with transaction.atomic():
        person, _office = access.person_for(actor, person_id, lock=True)
        if person.first_name == name and not person.last_name:
            return person
        before = _person(person)
        person.first_name, person.last_name = name, ""
        person.save(update_fields=["first_name", "last_name"])
        chain.record(
            actor=actor,
            action=Action.PERSON_RENAME,
            obj=person,
            before=before,
            after=_person(person),
        )
    return person


def person_activate(*, actor: User, person_id: int, active: bool) -> User:
    """Deactivate (the person can no longer sign in, their sessions and tokens stop
    working, their code too) or reactivate (as they were: roles and password kept)."""
    with transaction.atomic():
        person, _office = access.person_for(actor, person_id, lock=True)
        if person.pk == actor.pk and not active:
            raise Refused(_("不能停用自己的账号"))
        if person.is_active == active:
            return person
        before = _person(person)
        person.is_active = active
        person.save(update_fields=["is_active"])
        if not active:
            Account.objects.filter(user=person).update(code_digest="", code_expires=None)
        chain.record(
            actor=actor,
            action=Action.PERSON_REACTIVATE if active else Action.PERSON_DEACTIVATE,
            obj=person,
            before=before,
            after=_person(person),
        )
    return person


def codes_issue(*, actor: User, person_ids: Iterable[int]) -> list[Issued]:
    """A one-time sign-in code for each person (a reset of their password), in the
    order given; all or none."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        raise Refused(_("请先选择人员"))
    with transaction.atomic():
        issued = []
        for pk in ids:
            person, office = access.person_for(actor, pk, lock=True)
            if not person.is_active:
                raise Refused(
                    _("「%(name)s」的账号已停用，请先恢复")
                    % {"name": person.first_name or person.username}
                )
            issued.append(issue_code(actor=actor, person=person, office=office))
    return issued


def administrator_set(*, actor: User, person_id: int, administrator: bool) -> Account:
    """Make a person of the office one of its administrators, or no longer one. An
    administrator does not step down themselves: the office keeps one."""
    with transaction.atomic():
        person, office = access.person_for(actor, person_id, lock=True)
        if person.pk == actor.pk:
            raise Refused(_("不能更改自己的系统管理员身份"))
        account = _account(person, office)
        if account.administrator != administrator:
            account.administrator = administrator
            account.save(update_fields=["administrator"])
            chain.record(
                actor=actor,
                action=Action.ADMINISTRATOR_GRANT if administrator else Action.ADMINISTRATOR_REVOKE,
                obj=person,
                after={**_person(person), "office_id": office.pk},
            )
    return account


# --- Roles ------------------------------------------------------------------------------


def placed(place: Organisation, role: Role) -> tuple[int, int | None]:
    """Where a role given at ``place`` sits: (organisation, department). The inspection
    office's role sits in the office; every other role in an inspected organisation,
    narrowed to one of its departments when ``place`` is a department."""
    if role == Role.INSPECTION_OFFICE:
        if place.kind != Kind.OFFICE:
            raise Refused(_("「巡察办」角色只能设在巡察办"))
        return place.pk, None
    if place.kind == Kind.INSPECTED:
        return place.pk, None
    if place.kind == Kind.DEPARTMENT and place.parent_id is not None:
        return place.parent_id, place.pk
    raise Refused(
        _("「%(role)s」角色应设在被巡察单位或其部门，不能设在巡察办") % {"role": role.label}
    )


def grant(*, actor: User | None, person: User, place: Organisation, role: Role) -> Membership:
    """The role at the place (see ``placed``). Inside the caller's transaction."""
    organisation_id, department_id = placed(place, role)
    if Membership.objects.filter(user=person, organisation_id=organisation_id, role=role).exists():
        raise Refused(
            _("「%(name)s」在该单位已有「%(role)s」角色；要换部门，请先撤销原角色")
            % {"name": person.first_name or person.username, "role": role.label}
        )
    membership = Membership.objects.create(
        user=person, organisation_id=organisation_id, department_id=department_id, role=role
    )
    chain.created(actor=actor, obj=membership, inspection_id=None, action=Action.MEMBERSHIP_CREATE)
    return membership


def membership_grant(*, actor: User, person_id: int, place_id: int, role: str) -> Membership:
    """Give a person of the office a role in its tree."""
    if role not in Role.values:
        raise Refused(_("请选择角色"))
    with transaction.atomic():
        person, office = access.person_for(actor, person_id, lock=True)
        place, _office = access.tree_organisation_for(actor, place_id)
        _account(person, office)
        return grant(actor=actor, person=person, place=place, role=Role(role))


def membership_revoke(*, actor: User, membership_id: int) -> None:
    """Take a role back; what the person did with it stays in the history."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(pk=membership_id).first()
        if membership is None:
            raise NotFound(_("未找到该角色，或您无权查看"))
        person, office = access.person_for(actor, membership.user_id, lock=True)
        access.tree_organisation_for(actor, membership.organisation_id)
        _account(person, office)
        before = chain.snapshot(membership)
        membership.delete()
        chain.record(
            actor=actor,
            action=Action.MEMBERSHIP_DELETE,
            object_type="membership",
            before=before,
        )


# --- One's own password -----------------------------------------------------------------


def code_holder(username: str, code: str) -> User:
    """The active person with that login whose unused, unexpired code this is; Refused
    otherwise, the same for every reason."""
    account = (
        Account.objects.select_related("user")
        .filter(
            user__username=username.strip(),
            code_digest=digest(code),
            code_expires__gt=timezone.now(),
        )
        .exclude(code_digest="")
        .first()
    )
    if account is None or not account.user.is_active:
        raise Refused(
            _("登录名或一次性登录码不正确，或登录码已使用、已过期；请向系统管理员索取新的登录码")
        )
    return account.user


def password_set_by_code(*, username: str, code: str, password: str) -> User:
    """The person sets their password with their code, which then stops working."""
    with transaction.atomic():
        person = code_holder(username, code)
        person = User.objects.select_for_update().get(pk=person.pk)
        check_password(password, person)
        person.set_password(password)
        person.save(update_fields=["password"])
        Account.objects.filter(user=person).update(code_digest="", code_expires=None)
        chain.record(
            actor=person, action=Action.PERSON_PASSWORD_SET, obj=person, after=_person(person)
        )
    return person


def password_changed(*, user: User, password: str) -> None:
    """The signed-in person's new password (the page has checked the old one and the
    validators); a code still pending stops working."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        Account.objects.filter(user=user).update(code_digest="", code_expires=None)
        chain.record(
            actor=user, action=Action.PERSON_PASSWORD_CHANGE, obj=user, after=_person(user)
        )
