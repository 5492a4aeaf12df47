"""回头看 campaigns: the inspection office picks closed problems across its
organisations, gives each to one of its people to check again, and records whether
the rectification held or relapsed (a relapse reopens the problem through the same
door as a single follow-up review: ``services/ledger.py`` ``follow_up_record``).

An app of its own, so that its tables and migrations stand alone;
``services/campaigns.py`` writes to them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Problem
from zhenggai.ledger.models import FollowUpReview
from zhenggai.orgs.models import Organisation


class Campaign(models.Model):
    """A 回头看 campaign of one office; ``selection`` keeps the filters it was made
    with (its scope, as the report states it)."""

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("专项名称"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    selection = models.JSONField(_("选取条件"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("回头看专项")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="campaign_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CampaignCheck(models.Model):
    """One closed problem checked again in a campaign, by one of the office's people."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待检查")
        HELD = "held", _("整改成效巩固")
        RELAPSED = "relapsed", _("问题反弹")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checks")
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查人"),
    )
    result = models.CharField(
        _("检查结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    reasons = models.TextField(_("检查情况"), blank=True)
    checked_on = models.DateField(_("检查日期"), null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The follow-up record on the problem that the result was written through.
    review = models.OneToOneField(
        FollowUpReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("回头看检查")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "problem"], name="check_unique_problem")
        ]


class CheckEvidence(models.Model):
    """A file found in a check, kept in the evidence store (content-addressed)."""

    check_row = models.ForeignKey(CampaignCheck, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("文件名"), max_length=255)
    path = models.CharField(max_length=300)  # relative to MEDIA_ROOT, named by digest
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    supplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回头看佐证材料")
        ordering = ["uploaded_at", "pk"]
