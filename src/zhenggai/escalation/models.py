"""The office's escalation ladder and the letters it sends down it.

An office's ladder is its steps in order (通知书 → 提醒书 → 告诫书 → 问责书 by
default, ``ladder.DEFAULT_STEPS``), each with the days after which a letter of
that step, unanswered, is followed by the next. A letter keeps the words it was
written with (the ledger's facts on the day), so it reads the same however the
ledger changes; its .docx is written from them on download.

A letter's number is its office's per year: ``prefix〔year〕seq号``, the sequence
taken in the issuing transaction under a lock on the office's ladder row, and
held unique by a constraint.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Inspection
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Organisation


class Ladder(models.Model):
    """One office's ladder: the prefix of its letters' numbers; its steps below."""

    office = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(_("发文机关代字"), max_length=30)

    class Meta:
        verbose_name = _("督促函件梯次")


class Step(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()  # 1 for the first letter
    name = models.CharField(_("文书名称"), max_length=20)
    days = models.PositiveSmallIntegerField(_("未答复多少天后升级"))

    class Meta:
        verbose_name = _("梯次")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="step_unique_position")
        ]


class Letter(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()  # its step on the ladder when issued
    name = models.CharField(_("文书名称"), max_length=20)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("文号"), max_length=60)
    title = models.TextField(_("标题"))
    addressee = models.TextField(_("主送"))
    paragraphs = models.JSONField(_("正文"), default=list)  # list[str], the body as written
    facts = models.JSONField(default=dict)  # the figures the body was written from
    signature = models.TextField(_("署名"))
    issued_at = models.DateTimeField(_("发出时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # When an unanswered letter is followed by the next step (escalate.py).
    answer_due = models.DateField(_("答复期限"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reply = models.TextField(_("答复内容"), blank=True)
    measures = models.ManyToManyField(Measure, related_name="+", blank=True)
    # Set when the next step was issued because this one went unanswered.
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督促函件")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "seq"], name="letter_unique_number")
        ]
        indexes = [
            # The escalation run: open letters whose answer is due.
            models.Index(fields=["answer_due"], name="letter_by_answer_due"),
            models.Index(fields=["inspection", "issued_at"], name="letter_by_inspection"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    @property
    def open(self) -> bool:
        """Neither answered nor followed by the next step."""
        return self.answered_at is None and self.escalated_at is None


class Notice(models.Model):
    """A due-date reminder given: one per person, inspection, reason and day, so the
    watch (escalate.py) never says the same thing twice in a day; the unique
    constraint is the claim, as two runs at once insert the same row."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=30)  # "plan_due", "report_late", "letter_escalated" …
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "inspection", "reason", "day"], name="notice_once_a_day"
            )
        ]
