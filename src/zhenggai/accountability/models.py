"""The registers of what an inspection led to: accountability actions (the ladder
from 批评教育 to 党纪处分 and 政务处分), regulations adopted (建章立制), funds
recovered or refunded, and the organisation-of-work facts (meetings, training,
reminders) that the bulletins and reports count."""

from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import CaseLead, Inspection, Problem


class Action(models.Model):
    class Kind(models.TextChoices):
        CRITICISM_EDUCATION = "criticism_education", _("批评教育")
        ADMONITION_TALK = "admonition_talk", _("谈话提醒")
        ORDERED_SELF_EXAMINATION = "ordered_self_examination", _("责令检查")
        ADMONISHMENT = "admonishment", _("诫勉")
        ORGANISATIONAL = "organisational", _("组织处理")
        PARTY_SANCTION = "party_sanction", _("党纪处分")
        GOVERNMENT_SANCTION = "government_sanction", _("政务处分")
        # A document's summary (「给予党纪政务处分2人」) that does not say which of the
        # two: kept as it was stated; a new record names one (LEGACY_KINDS).
        PARTY_DISCIPLINE = "party_discipline", _("党纪政务处分")
        OTHER = "other", _("其他")

    class Grade(models.TextChoices):
        NONE = "", _("无")
        WARNING = "warning", _("警告")
        SERIOUS_WARNING = "serious_warning", _("严重警告")
        REMOVAL_FROM_PARTY_POST = "removal_from_party_post", _("撤销党内职务")
        PROBATION = "probation", _("留党察看")
        EXPULSION = "expulsion", _("开除党籍")
        DEMERIT = "demerit", _("记过")
        MAJOR_DEMERIT = "major_demerit", _("记大过")
        DEMOTION = "demotion", _("降级")
        REMOVAL_FROM_POST = "removal_from_post", _("撤职")
        DISMISSAL = "dismissal", _("开除")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="accountability"
    )
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    # The handed-over lead this action came out of, if any (its register lists them).
    case_lead = models.ForeignKey(
        CaseLead, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    kind = models.CharField(_("处理方式"), max_length=30, choices=Kind.choices)
    # The document's own word when kind is OTHER (e.g. 通报批评).
    kind_text = models.CharField(_("处理方式（原文）"), max_length=50, blank=True)
    grade = models.CharField(_("处分档次"), max_length=30, choices=Grade.choices, blank=True)
    person_name = models.CharField(_("被处理人"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    deciding_body = models.CharField(_("决定机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("问责处理")


G = Action.Grade
# The grades each sanction has (党纪处分条例 art. 8; 公职人员政务处分法 art. 7), in
# order of weight. Only sanctions have grades; the legacy kind keeps whatever it had.
GRADES: Mapping[str, tuple[str, ...]] = {
    Action.Kind.PARTY_SANCTION: (
        G.WARNING,
        G.SERIOUS_WARNING,
        G.REMOVAL_FROM_PARTY_POST,
        G.PROBATION,
        G.EXPULSION,
    ),
    Action.Kind.GOVERNMENT_SANCTION: (
        G.WARNING,
        G.DEMERIT,
        G.MAJOR_DEMERIT,
        G.DEMOTION,
        G.REMOVAL_FROM_POST,
        G.DISMISSAL,
    ),
    Action.Kind.PARTY_DISCIPLINE: tuple(g for g in G.values if g),
}
# Kinds kept for what was imported, never chosen for a new record.
LEGACY_KINDS = frozenset({Action.Kind.PARTY_DISCIPLINE})


def grade_fits(kind: str, grade: str) -> bool:
    """A grade belongs to its kind: none, or one of the kind's own."""
    return grade == "" or grade in GRADES.get(kind, ())


class Regulation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="regulations")
    position = models.PositiveIntegerField(default=0)
    title = models.TextField(_("制度名称"))
    adopted_on = models.DateField(_("出台日期"), null=True, blank=True)
    issuing_body = models.CharField(_("制发单位"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("建章立制")
        ordering = ["position", "pk"]


class FundsRecovered(models.Model):
    class Kind(models.TextChoices):
        RECOVERED = "recovered", _("追缴")
        REFUNDED = "refunded", _("退还")
        PAID_BACK = "paid_back", _("补缴")
        OTHER = "other", _("其他")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="funds")
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.RECOVERED)
    # None: a bulletin tells the money was recovered without saying how much
    # (「追回超标报销费用」); a sum recorded in the application is always given.
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True)
    description = models.TextField(_("说明"), blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("追缴资金")


class WorkFact(models.Model):
    """Something the organisation did to organise the work (召开专题会议N次,
    开展培训N场, 督促提醒N次): one row per event, or one row for several (count)."""

    class Kind(models.TextChoices):
        SPECIAL_MEETING = "special_meeting", _("专题会议")
        LEADERSHIP_MEETING = "leadership_meeting", _("领导小组会议")
        COORDINATION_MEETING = "coordination_meeting", _("调度会")
        TRAINING = "training", _("培训")
        REMINDER = "reminder", _("督促提醒")
        OTHER = "other", _("其他")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="work_facts")
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("日期"), null=True, blank=True)
    count = models.PositiveIntegerField(_("次数"), default=1)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("组织推进情况")
        ordering = ["date", "pk"]
