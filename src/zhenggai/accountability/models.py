"""Accountability actions (the ladder from 批评教育 to 党纪/政务处分), regulations
adopted (建章立制) and funds recovered."""

from django.conf import settings
from django.db import models

from zhenggai.inspections.models import Inspection, Problem


class Action(models.Model):
    class Kind(models.TextChoices):
        CRITICISM_EDUCATION = "criticism_education", "批评教育"
        ADMONITION_TALK = "admonition_talk", "谈话提醒"
        ORDERED_SELF_EXAMINATION = "ordered_self_examination", "责令检查"
        ADMONISHMENT = "admonishment", "诫勉"
        ORGANISATIONAL = "organisational", "组织处理"
        PARTY_DISCIPLINE = "party_discipline", "党纪政务处分"
        OTHER = "other", "其他"

    class Grade(models.TextChoices):
        NONE = "", "无"
        WARNING = "warning", "警告"
        SERIOUS_WARNING = "serious_warning", "严重警告"
        DEMERIT = "demerit", "记过"
        MAJOR_DEMERIT = "major_demerit", "记大过"
        DEMOTION = "demotion", "降级"
        REMOVAL_FROM_POST = "removal_from_post", "撤职"
        PROBATION = "probation", "留党察看"
        EXPULSION = "expulsion", "开除"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="accountability"
    )
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField("处理方式", max_length=30, choices=Kind.choices)
    # The document's own word when kind is OTHER (e.g. 通报批评).
    kind_text = models.CharField("处理方式（原文）", max_length=50, blank=True)
    grade = models.CharField("处分档次", max_length=30, choices=Grade.choices, blank=True)
    person_name = models.CharField("被处理人", max_length=100, blank=True)
    date = models.DateField("日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "问责处理"


class Regulation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="regulations")
    position = models.PositiveIntegerField(default=0)
    title = models.TextField("制度名称")
    adopted_on = models.DateField("出台日期", null=True, blank=True)

    class Meta:
        verbose_name = "建章立制"
        ordering = ["position", "pk"]


class FundsRecovered(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="funds")
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    description = models.TextField("说明", blank=True)
    date = models.DateField("日期", null=True, blank=True)

    class Meta:
        verbose_name = "追缴资金"
