"""Inspection rounds, inspections and their feedback: categories, problems,
recommendations and case leads, as the inspection team handed them over."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.states import PlanState, State
from zhenggai.orgs.models import Organisation


class Round(models.Model):
    """A round of inspections (e.g. 十二届县委第五轮巡察) run by one office.

    The days allowed after feedback and the warning tiers are the office's
    (``OfficeSettings``) unless the round sets its own: a blank field here falls
    back to the office's (``inspections/rules.py``).
    """

    class Kind(models.TextChoices):
        REGULAR = "常规", pgettext_lazy("round kind", "常规")
        SPECIAL = "专项", pgettext_lazy("round kind", "专项")
        MOBILE = "机动", pgettext_lazy("round kind", "机动")
        FOLLOW_UP = "回头看", pgettext_lazy("round kind", "回头看")

    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("轮次"), max_length=200)
    kind = models.CharField(_("巡察类型"), max_length=8, choices=Kind.choices, default=Kind.REGULAR)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    plan_days = models.PositiveIntegerField(_("反馈后报送整改方案（天）"), null=True, blank=True)
    report_days = models.PositiveIntegerField(
        _("反馈后报送整改情况报告（天）"), null=True, blank=True
    )
    warn_person_days = models.PositiveIntegerField(
        _("提醒责任人（剩余天数）"), null=True, blank=True
    )
    warn_leader_days = models.PositiveIntegerField(
        _("提醒责任领导（剩余天数）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("巡察轮次")
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="round_unique_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """巡察组: one team of a round, and the organisations it inspects."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("巡察组"), max_length=200)
    leader = models.CharField(_("组长"), max_length=100, blank=True)
    organisations = models.ManyToManyField(
        Organisation, related_name="inspection_teams", blank=True
    )

    class Meta:
        verbose_name = _("巡察组")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    class Level(models.TextChoices):
        XUNSHI = "巡视", pgettext_lazy("level", "巡视")
        XUNCHA = "巡察", pgettext_lazy("level", "巡察")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inspections"
    )
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    title = models.TextField(_("标题"), blank=True)
    inspection_body = models.TextField(_("巡察组"), blank=True)
    level = models.CharField(_("层级"), max_length=4, choices=Level.choices, blank=True)
    kind = models.TextField(_("类型"), blank=True)  # 常规/专项/机动/回头看
    onsite_start = models.DateField(_("进驻日期"), null=True, blank=True)
    onsite_end = models.DateField(_("离开日期"), null=True, blank=True)
    feedback_date = models.DateField(_("反馈日期"), null=True, blank=True)
    document_date = models.DateField(_("文书日期"), null=True, blank=True)
    plan_state = models.CharField(
        _("整改方案"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    # Set by the plan's first approval: from then on the plan changes only by amendment.
    plan_approved = models.DateTimeField(_("整改方案首次审批时间"), null=True, blank=True)
    # When the organisation reported its rectification to the office
    # (escalation/reports.py): the report's due date is met then.
    report_submitted = models.DateTimeField(_("整改情况报告报送时间"), null=True, blank=True)
    # What the imported document states, kept apart from what the ledger counts.
    stated_totals = models.JSONField(_("文书所述总数"), default=dict, blank=True)
    contact_phone = models.TextField(_("监督电话"), blank=True)
    contact_address = models.TextField(_("通信地址"), blank=True)
    contact_postcode = models.TextField(_("邮政编码"), blank=True)
    contact_email = models.TextField(_("电子邮箱"), blank=True)
    # The organisation's own words for the documents' 组织整改工作情况 and 下一步工作打算
    # (imported with a bulletin, or written by the rectification office): the
    # documents print them besides what the registers count.
    work_text = models.TextField(_("组织整改工作情况（本单位表述）"), blank=True)
    next_steps_text = models.TextField(_("下一步工作打算（本单位表述）"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("巡察")

    def __str__(self) -> str:
        return self.title or gettext("巡察 %(id)s") % {"id": self.pk}

    def due_dates(self, plan_days: int, report_days: int) -> tuple[dt.date, dt.date] | None:
        """When the plan and the report are due, counted from the feedback."""
        if self.feedback_date is None:
            return None
        return (
            self.feedback_date + dt.timedelta(days=plan_days),
            self.feedback_date + dt.timedelta(days=report_days),
        )


class SourceDocument(models.Model):
    """A document imported into an inspection; its digest makes re-imports idempotent."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(_("文件名"), max_length=300)
    sha256 = models.CharField(max_length=64)
    imported = models.DateTimeField(auto_now_add=True)
    # What the parser could not place or found inconsistent (ParseWarning as dicts),
    # shown with the plan so nobody trusts a total the document contradicts.
    warnings = models.JSONField(_("解析提示"), default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "sha256"], name="source_unique_digest")
        ]


class Category(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="categories")
    position = models.PositiveIntegerField()
    title = models.TextField(_("方面"), null=True, blank=True)

    class Meta:
        verbose_name = _("问题类别")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="category_position")
        ]


class Problem(models.Model):
    """问题; a sub-problem (针对…的问题) has a parent."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="problems")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="problems")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subproblems"
    )
    position = models.PositiveIntegerField()
    title = models.TextField(_("问题"), null=True, blank=True)
    description = models.TextField(_("具体表现"), blank=True)
    summary = models.TextField(_("整改情况概述"), blank=True)
    target = models.TextField(_("整改目标"), blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)

    class Meta:
        verbose_name = _("问题")
        ordering = ["position"]
        # Totals count top-level problems by state.
        indexes = [models.Index(fields=["inspection", "parent", "state"], name="problem_by_state")]

    def __str__(self) -> str:
        return self.title or gettext("问题 %(id)s") % {"id": self.pk}


class Recommendation(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField(_("整改建议"))

    class Meta:
        verbose_name = _("整改建议")


class CaseLead(models.Model):
    """问题线索 handed over by the inspection team, and how it was disposed of."""

    class Disposal(models.TextChoices):
        PENDING = "pending", _("待处置")
        CASE_OPENED = "case_opened", _("拟立案")
        PRELIMINARY = "preliminary", _("初核")
        TALK_INQUIRY = "talk_inquiry", _("谈话函询")
        SHELVED = "shelved", _("暂存")
        CLOSED = "closed", _("了结")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="case_leads")
    description = models.TextField(_("线索"))
    handed_to = models.CharField(_("移交单位"), max_length=200, blank=True)
    disposal = models.CharField(
        _("处置方式"), max_length=20, choices=Disposal.choices, default=Disposal.PENDING
    )
    # The register of leads handed over: when the receiver had it, by when it must be
    # disposed of, what came of it; the problem it concerns, for that problem's page.
    problem = models.ForeignKey(
        Problem, on_delete=models.SET_NULL, null=True, blank=True, related_name="case_leads"
    )
    received = models.DateField(_("接收日期"), null=True, blank=True)
    deadline = models.DateField(_("办结时限"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)

    class Meta:
        verbose_name = _("问题线索")
