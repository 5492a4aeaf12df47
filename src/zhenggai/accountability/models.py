"""Accountability actions (the ladder from 批评教育 to 党纪/政务处分), regulations
adopted (建章立制) and funds recovered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Inspection, Problem


class Action(models.Model):
    class Kind(models.TextChoices):
        CRITICISM_EDUCATION = "criticism_education", _("批评教育")
        ADMONITION_TALK = "admonition_talk", _("谈话提醒")
        ORDERED_SELF_EXAMINATION = "ordered_self_examination", _("责令检查")
        ADMONISHMENT = "admonishment", _("诫勉")
        ORGANISATIONAL = "organisational", _("组织处理")
        PARTY_DISCIPLINE = "party_discipline", _("党纪政务处分")
        OTHER = "other", _("其他")

    class Grade(models.TextChoices):
        NONE = "", _("无")
        WARNING = "warning", _("警告")
        SERIOUS_WARNING = "serious_warning", _("严重警告")
        DEMERIT = "demerit", _("记过")
        MAJOR_DEMERIT = "major_demerit", _("记大过")
        DEMOTION = "demotion", _("降级")
        REMOVAL_FROM_POST = "removal_from_post", _("撤职")
        PROBATION = "probation", _("留党察看")
        EXPULSION = "expulsion", _("开除")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="accountability"
    )
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(_("处理方式"), max_length=30, choices=Kind.choices)
    # The document's own word when kind is OTHER (e.g. 通报批评).
    kind_text = models.CharField(_("处理方式（原文）"), max_length=50, blank=True)
    grade = models.CharField(_("处分档次"), max_length=30, choices=Grade.choices, blank=True)
    person_name = models.CharField(_("被处理人"), max_length=100, blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("问责处理")


class Regulation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="regulations")
    position = models.PositiveIntegerField(default=0)
    title = models.TextField(_("制度名称"))
    adopted_on = models.DateField(_("出台日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("建章立制")
        ordering = ["position", "pk"]


class FundsRecovered(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="funds")
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    description = models.TextField(_("说明"), blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("追缴资金")
