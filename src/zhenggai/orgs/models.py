"""Organisations in their hierarchy, the people in them and their roles.

An inspection office (巡察办) supervises inspected organisations (被巡察单位),
which have departments (部室). A user acts through memberships: one role in one
organisation. What a role may see and do is decided in ``access.py``.
"""

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("巡察办")
        INSPECTED = "inspected", _("被巡察单位")
        DEPARTMENT = "department", _("部室")

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("组织")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_per_parent")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    INSPECTION_OFFICE = "inspection_office", _("巡察办")
    RECTIFICATION_OFFICE = "rectification_office", _("整改办公室")
    RESPONSIBLE_PERSON = "responsible_person", _("责任人")
    RESPONSIBLE_LEADER = "responsible_leader", _("责任领导")
    FIRST_RESPONSIBLE = "first_responsible", _("第一责任人")
    DISCIPLINE = "discipline", _("派驻纪检监察组")


def role_names(roles: Iterable[str]) -> str:
    """The roles' names as a list in a sentence: 「第一责任人、责任领导」."""
    # Translators: the separator between the items of a list.
    return gettext("、").join(str(Role(role).label) for role in sorted(roles))


class Membership(models.Model):
    """One role of one user in one organisation; a department narrows a person's scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("成员角色")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]


class Account(models.Model):
    """The inspection office whose people a user is among, and whether the user is one
    of that office's administrators (系统管理员).

    Administering is not a role in the work: an administrator makes the office's
    organisations and people and gives them roles, and reads no ledger for it (they
    may hold a role of their own beside it, as a membership). So it is a mark here
    rather than a ``Role``: every role's rules and pages stay as they are. A user
    without an account (made before accounts, or by the demo) counts among the
    people of the offices whose tree holds their memberships.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="accounts")
    administrator = models.BooleanField(_("系统管理员"), default=False)
    # The one-time sign-in code an administrator last issued (services/people.py):
    # only its SHA-256 is kept, blank once used or replaced.
    code_digest = models.CharField(max_length=64, blank=True, db_index=True)
    code_expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("账号")


class OfficeSettings(models.Model):
    """The inspection office's rules: warning tiers and the time allowed after feedback.

    江津区's tiers are the defaults: 20 days left tells the person, 10 days the
    leader too, overdue the head of the organisation.
    """

    office = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="rules")
    warn_person_days = models.PositiveIntegerField(_("提醒责任人（剩余天数）"), default=20)
    warn_leader_days = models.PositiveIntegerField(_("提醒责任领导（剩余天数）"), default=10)
    plan_days = models.PositiveIntegerField(_("反馈后报送整改方案（天）"), default=30)
    report_days = models.PositiveIntegerField(_("反馈后报送整改情况报告（天）"), default=60)
    # Whether a plan the organisation's leader approved comes to the office for its
    # own review, and the longest term a first deadline may set after the feedback.
    reviews_plans = models.BooleanField(_("整改方案报巡察办审核"), default=True)
    longest_term_days = models.PositiveIntegerField(_("整改时限最长（反馈后天数）"), default=365)

    class Meta:
        verbose_name = _("巡察办设置")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A bearer token for office systems; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("用途"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接口令牌")


def display_name(first: str | None, last: str | None, username: str | None) -> str:
    """How pages name a person: their name as Django's ``get_full_name`` gives it,
    else their username (a login, not a name people know each other by)."""
    return f"{first or ''} {last or ''}".strip() or username or ""
