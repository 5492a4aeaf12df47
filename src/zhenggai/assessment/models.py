"""整改评估: the office's scheme (indicators, deductions, grade thresholds) and its
assessments of an inspection's rectification. The counting is zhenggai/core/assessment.py;
the writes are services/assessments.py."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhenggai.core import assessment as scoring
from zhenggai.inspections.models import Inspection
from zhenggai.orgs.models import Organisation


def _points(label: Any, *, null: bool = False) -> "models.DecimalField[Any, Any]":
    """Points to one decimal place, as scores and deductions are kept."""
    return models.DecimalField(label, max_digits=5, decimal_places=1, null=null, blank=null)


class Source(models.TextChoices):
    ENTERED = scoring.Source.ENTERED, _("评估录入（附佐证）")
    MEASURES = scoring.Source.MEASURES, _("台账计算：整改措施完成率")
    PROBLEMS = scoring.Source.PROBLEMS, _("台账计算：问题整改完成率")


class Grade(models.TextChoices):
    GOOD = scoring.Grade.GOOD, pgettext_lazy("grade", "好")
    FAIRLY_GOOD = scoring.Grade.FAIRLY_GOOD, pgettext_lazy("grade", "较好")
    FAIR = scoring.Grade.FAIR, pgettext_lazy("grade", "一般")
    POOR = scoring.Grade.POOR, pgettext_lazy("grade", "差")


class Scheme(models.Model):
    """One office's assessment scheme, made with the defaults on first use
    (services/assessments.py ``DEFAULT_INDICATORS``)."""

    office = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="assessment_scheme"
    )
    overdue_each = _points(_("每项逾期措施扣分"))
    overdue_cap = _points(_("逾期扣分上限"))
    relapse_each = _points(_("每个反弹问题扣分"))
    relapse_cap = _points(_("反弹扣分上限"))
    false_limit = models.PositiveIntegerField(_("虚报瞒报达到该次数总分计0分"))
    good = models.PositiveIntegerField(_("“好”的最低分"))
    fairly_good = models.PositiveIntegerField(_("“较好”的最低分"))
    fair = models.PositiveIntegerField(_("“一般”的最低分"))

    class Meta:
        verbose_name = _("整改评估方案")

    def rules(self) -> dict[str, Any]:
        """The scheme as an assessment keeps it (its snapshot), indicators in order."""
        return {
            "indicators": [
                {"name": i.name, "weight": i.weight, "source": i.source}
                for i in self.indicators.all()
            ],
            **{name: str(getattr(self, name)) for name in DEDUCTIONS},
            **{name: getattr(self, name) for name in ("false_limit", *THRESHOLDS)},
        }


DEDUCTIONS = ("overdue_each", "overdue_cap", "relapse_each", "relapse_cap")
THRESHOLDS = ("good", "fairly_good", "fair")


class Indicator(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField()
    name = models.CharField(_("指标"), max_length=100)
    weight = models.PositiveIntegerField(_("分值"))
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("评估指标")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "position"], name="indicator_position")
        ]


class Assessment(models.Model):
    """An inspection's assessment: a draft the office fills in, then final with its
    total and grade. A fair or poor grade opens a re-rectification (``reopened_as``),
    a new inspection of the same organisation whose plan is to be written."""

    class State(models.TextChoices):
        DRAFT = "draft", _("评估中")
        FINAL = "final", _("已完成")

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="assessment"
    )
    rules = models.JSONField(default=dict)  # the scheme when the assessment began
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    false_statements = models.PositiveIntegerField(_("虚报瞒报次数"), default=0)
    false_statements_note = models.TextField(_("虚报瞒报情况"), blank=True)
    false_statements_evidence_name = models.CharField(max_length=255, blank=True)
    false_statements_evidence_path = models.CharField(max_length=300, blank=True)
    false_statements_evidence_type = models.CharField(max_length=100, blank=True)
    # Taken from the ledger when the assessment is finalised.
    overdue = models.PositiveIntegerField(_("逾期措施"), default=0)
    relapses = models.PositiveIntegerField(_("反弹问题"), default=0)
    deductions = models.JSONField(default=list)
    total = _points(_("总分"), null=True)
    grade = models.CharField(_("等次"), max_length=4, choices=Grade.choices, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    reopened_as = models.OneToOneField(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reopened_from",
    )

    class Meta:
        verbose_name = _("整改评估")


class Score(models.Model):
    """An indicator's score in an assessment: entered with its evidence and basis, or
    computed from the ledger when the assessment is finalised."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    position = models.PositiveIntegerField()  # of the indicator in ``Assessment.rules``
    value = _points(_("得分"), null=True)
    note = models.TextField(_("评分依据"), blank=True)
    evidence_name = models.CharField(_("佐证材料"), max_length=255, blank=True)
    evidence_path = models.CharField(max_length=300, blank=True)  # by digest under MEDIA_ROOT
    evidence_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "position"], name="score_position")
        ]
