"""The living ledger: measures with their deadlines, progress, evidence,
approvals, follow-up reviews and the problems carried over unfinished.

Deadlines are never edited in place: ``Measure.deadline`` is written only when
an ``Extension`` is approved, and ``original_deadline`` never changes, so the
ledger can show the first and every later deadline.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.orgs.models import Organisation


class Measure(models.Model):
    class Type(models.TextChoices):
        IMMEDIATE = "immediate", _("立行立改")
        TIME_BOUND = "time_bound", _("限期整改")
        LONG_TERM = "long_term", _("长期坚持")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="measures")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="measures")
    # None for a category's own measures, which some documents list.
    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, null=True, blank=True, related_name="measures"
    )
    position = models.PositiveIntegerField()
    text = models.TextField(_("整改措施"))
    type = models.CharField(_("类型"), max_length=20, choices=Type.choices, default=Type.TIME_BOUND)
    target = models.TextField(_("整改目标"), blank=True)
    weight = models.PositiveIntegerField(_("权重"), default=1)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    leader_name = models.TextField(_("责任领导"), blank=True)
    department = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    department_name = models.TextField(_("责任部门"), blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_name = models.TextField(_("责任人"), blank=True)
    original_deadline = models.DateField(_("原定时限"), null=True, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    deadline_text = models.TextField(_("时限（原文）"), blank=True)
    expected_evidence = models.TextField(_("佐证材料要求"), blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)
    # When it was last signed off or turned long-term, set by the move itself
    # (services.ledger.apply_move); empty while not done, and for a measure imported
    # as done, which counts as done all along. The cockpit's trend reads it.
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True, editable=False)
    # Columns of an imported ledger, kept as written.
    progress_text = models.TextField(_("整改进展"), blank=True)
    status_text = models.TextField(_("完成情况"), blank=True)
    evidence_text = models.TextField(_("佐证材料"), blank=True)
    sign_off_text = models.TextField(_("销号情况"), blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("整改措施")
        ordering = ["position"]
        indexes = [
            # The ledger list and its filters: by state, by deadline (overdue), by department.
            # Covering the totals' sums (weight) and the overdue test (deadline, state).
            models.Index(
                fields=["inspection", "state", "deadline", "weight"], name="measure_by_state"
            ),
            models.Index(fields=["inspection", "deadline", "state"], name="measure_by_deadline"),
            models.Index(fields=["department", "state"], name="measure_by_department"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Extension(models.Model):
    """延期申请: the only way a deadline changes."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="extensions")
    old_deadline = models.DateField(_("原时限"), null=True, blank=True)
    new_deadline = models.DateField(_("申请时限"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)

    class Meta:
        verbose_name = _("延期申请")
        ordering = ["requested_at", "pk"]


class ProgressEntry(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField(_("日期"))
    text = models.TextField(_("整改进展"))
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    # None: taken from an imported ledger's 整改进展 column, not typed by a person here.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改进展")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["measure", "date"], name="progress_by_measure")]


class Evidence(models.Model):
    """One revision of a piece of evidence; a new revision points at the one it replaces."""

    class Review(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已认可")
        RETURNED = "returned", _("已退回")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )
    name = models.CharField(_("文件名"), max_length=255)
    path = models.CharField(max_length=300)  # relative to MEDIA_ROOT, named by digest
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    supplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField(_("生效日期"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.PENDING)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        ordering = ["uploaded_at", "pk"]


class Approval(models.Model):
    """Every decision as a record of its own, with the item's state at that moment."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("整改方案审批")
        SIGN_OFF = "sign_off", _("销号")
        EXTENSION = "extension", _("延期审批")
        REOPEN = "reopen", _("重新整改")
        EVIDENCE = "evidence", _("佐证材料审核")
        RETURN = "return", _("退回")
        LONG_TERM = "long_term", _("转入长期坚持")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="approvals")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, null=True, blank=True)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True)
    extension = models.ForeignKey(Extension, on_delete=models.CASCADE, null=True, blank=True)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, null=True, blank=True)
    # None: a decision taken outside the application and imported (an office's 销号 column).
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    state_before = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("审批记录")
        ordering = ["at", "pk"]


class FollowUpReview(models.Model):
    """回头看: a closed problem checked again; a relapse reopens it."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("检查日期"))
    finding = models.TextField(_("检查情况"))
    relapsed = models.BooleanField(_("是否反弹"), default=False)

    class Meta:
        verbose_name = _("回头看")


class Unfinished(models.Model):
    """A problem not finished when the focused period ends: 存在问题 / 未完成整改原因 /
    下一步整改措施 / 整改时限, as the bulletins list them."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="unfinished")
    problem = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    problem_text = models.TextField(_("问题"), null=True, blank=True)
    situation = models.TextField(_("存在问题"), null=True, blank=True)
    reason = models.TextField(_("未完成整改原因"), null=True, blank=True)
    next_steps = models.TextField(_("下一步整改措施"), null=True, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    deadline_text = models.TextField(null=True, blank=True)

    class Meta:
        verbose_name = _("未完成整改事项")
        ordering = ["position", "pk"]


class PlanVersion(models.Model):
    """整改方案 as submitted: each submission kept whole, with the soft warnings its
    measures carried and what the leader and the inspection office decided on it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("审批中")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审批")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="plan_versions"
    )
    number = models.PositiveIntegerField(_("版本"))
    amendment = models.BooleanField(_("修订"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    tree = models.JSONField(default=list)  # problems with their measures, as submitted
    warnings = models.JSONField(default=list)  # soft warnings, for the approvers
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    comment = models.TextField(_("意见"), blank=True)
    # The inspection office's comment on a problem, by the problem's id.
    problem_comments = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("整改方案版本")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="plan_version_number")
        ]
