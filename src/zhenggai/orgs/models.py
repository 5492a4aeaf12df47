"""Organisations in their hierarchy, the people in them and their roles.

An inspection office (巡察办) supervises inspected organisations (被巡察单位),
which have departments (部室). A user acts through memberships: one role in one
organisation. What a role may see and do is decided in ``access.py``.
"""

import secrets

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", "巡察办"
        INSPECTED = "inspected", "被巡察单位"
        DEPARTMENT = "department", "部室"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = "组织"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_per_parent")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    INSPECTION_OFFICE = "inspection_office", "巡察办"
    RECTIFICATION_OFFICE = "rectification_office", "整改办公室"
    RESPONSIBLE_PERSON = "responsible_person", "责任人"
    RESPONSIBLE_LEADER = "responsible_leader", "责任领导"
    FIRST_RESPONSIBLE = "first_responsible", "第一责任人"
    DISCIPLINE = "discipline", "派驻纪检监察组"


class Membership(models.Model):
    """One role of one user in one organisation; a department narrows a person's scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "成员角色"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]


class OfficeSettings(models.Model):
    """The inspection office's rules: warning tiers and the time allowed after feedback.

    江津区's tiers are the defaults: 20 days left tells the person, 10 days the
    leader too, overdue the head of the organisation.
    """

    office = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="rules")
    warn_person_days = models.PositiveIntegerField("提醒责任人（剩余天数）", default=20)
    warn_leader_days = models.PositiveIntegerField("提醒责任领导（剩余天数）", default=10)
    plan_days = models.PositiveIntegerField("反馈后报送整改方案（天）", default=30)
    report_days = models.PositiveIntegerField("反馈后报送整改情况报告（天）", default=60)

    class Meta:
        verbose_name = "巡察办设置"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A bearer token for office systems; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField("用途", max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "接口令牌"
