"""The plan's way to approval: reviewed and submitted as a version, approved by
the organisation's leader, then accepted or returned (with a comment per
problem) by the inspection office when its settings ask for its review.

Each function checks access, the role and the plan's state first (the moves of
``inspections/plan_flow.py``), then writes in one transaction with its audit
event; a refusal changes nothing.
"""

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.rules import Rules, rules_in_force
from zhenggai.inspections.states import PlanState
from zhenggai.ledger import limits, plan_checks, plan_versions
from zhenggai.ledger.models import Approval, PlanVersion
from zhenggai.ledger.plan_tree import read_plan
from zhenggai.refusals import Refused
from zhenggai.services.ledger import PLANS, apply_move

# The decisions on a submitted version, and the outcome each gives it.
OUTCOMES = {
    "approve": PlanVersion.Outcome.PENDING,  # still before the inspection office
    "return": PlanVersion.Outcome.RETURNED,
    "accept": PlanVersion.Outcome.APPROVED,
    "send_back": PlanVersion.Outcome.RETURNED,
}


def rules(inspection: Inspection) -> Rules:
    """The rules in force: the inspection's round's, else its office's."""
    return rules_in_force(inspection)


def terms(inspection: Inspection) -> plan_checks.Terms:
    today = timezone.localdate()
    return plan_checks.Terms(
        inspection.feedback_date,
        today,
        rules(inspection).longest_term_days,
        since=today if amending(inspection) else None,
    )


def amending(inspection: Inspection) -> bool:
    return inspection.plan_approved is not None


def plan_move(
    *,
    actor: User,
    inspection_id: int,
    move: str,
    data: MoveInput,
    problem_comments: Mapping[int, str] | None = None,
) -> Inspection:
    """Make a move of the plan's workflow: ``submit`` reviews the plan and keeps it
    as a version; the decisions record their outcome on the version they decide."""
    comments = {int(k): v.strip() for k, v in (problem_comments or {}).items() if v.strip()}
    for text in comments.values():
        limits.check_text(text, limits.COMMENT, _("意见"))
    if comments and not data.comment.strip():
        data = MoveInput(comment=_("对%(n)s个问题提出了修改意见") % {"n": len(comments)})
    with transaction.atomic():
        inspection, roles = access.inspection_for(
            actor, inspection_id, lock=True, related=("organisation",)
        )

        def then() -> None:
            # After the move's own checks (role, state): the consequences of the move.
            if move in OUTCOMES:
                _decide_version(inspection, move, data.comment, comments)
            if move == "submit":
                _submitted(actor, inspection)
            elif move == "accept":
                _first_approval(inspection)

        apply_move(PLANS, actor, inspection, roles, move, data, inspection.pk, then=then)
        if move == "approve" and not rules(inspection).reviews_plans:
            _accepted_without_review(actor, inspection)
    return inspection


def _submitted(actor: User, inspection: Inspection) -> None:
    """Review the plan (its hard errors refuse the submission) and keep it as
    submitted, with the soft warnings the approvers should read."""
    plan, held_to, amendment = read_plan(inspection), terms(inspection), amending(inspection)
    errors = plan_checks.hard_errors(plan, held_to, amendment)
    if errors:
        raise Refused(plan_checks.summary(plan, errors))
    warnings = plan_checks.soft_warnings(plan, held_to, amendment)
    last = inspection.plan_versions.aggregate(last=Max("number"))["last"] or 0
    PlanVersion.objects.create(
        inspection=inspection,
        number=last + 1,
        amendment=amendment,
        submitted_by=actor,
        tree=plan_versions.snapshot(plan),
        warnings=[
            {"problem": w.problem, "measure": w.measure, "code": w.code, "message": w.message}
            for w in warnings
        ],
    )


def _pending(inspection: Inspection) -> PlanVersion | None:
    version = inspection.plan_versions.select_for_update().order_by("-number").first()
    return version if version and version.outcome == PlanVersion.Outcome.PENDING else None


def _decide_version(
    inspection: Inspection, move: str, comment: str, comments: dict[int, str]
) -> None:
    """Record the decision on the version it decides. A plan submitted before
    versions were kept has none: it may be returned (to be submitted again, as a
    version), not approved unseen."""
    version = _pending(inspection)
    if version is None:
        if move in ("return", "send_back"):
            return
        raise Refused(_("该整改方案没有报送版本记录，请退回后重新报送"))
    known = set(inspection.problems.filter(pk__in=comments).values_list("pk", flat=True))
    if set(comments) - known:
        raise Refused(_("意见所针对的问题不属于该整改方案"))
    version.outcome = OUTCOMES[move]
    version.comment = "\n".join(filter(None, [version.comment, comment.strip()]))
    if move in ("return", "send_back"):
        version.problem_comments = {str(k): v for k, v in comments.items()}
    version.save(update_fields=["outcome", "comment", "problem_comments"])


def _accepted_without_review(actor: User, inspection: Inspection) -> None:
    """The office does not review plans: the leader's approval is the last word,
    recorded as the plan's acceptance that follows from it."""
    before = chain.snapshot(inspection)
    inspection.plan_state = PlanState.APPROVED
    inspection.save(update_fields=["plan_state"])
    version = _pending(inspection)
    assert version is not None  # the leader's approval has just been recorded on it
    version.outcome = PlanVersion.Outcome.APPROVED
    version.save(update_fields=["outcome"])
    _first_approval(inspection)
    chain.record(
        actor=actor,
        action=Action.PLAN_ACCEPT,
        obj=inspection,
        inspection_id=inspection.pk,
        before=before,
        after=chain.snapshot(inspection) | {"comment": _("巡察办设置为无需审核整改方案")},
    )
    Approval.objects.create(
        kind=Approval.Kind.PLAN,
        inspection=inspection,
        approver=actor,
        decision="accept",
        comment=_("巡察办设置为无需审核整改方案"),
        state_before=before,
    )


def _first_approval(inspection: Inspection) -> None:
    if inspection.plan_approved is None:
        inspection.plan_approved = timezone.now()
        inspection.save(update_fields=["plan_approved"])


def plan_record_approved(*, actor: User, inspection_id: int, comment: str) -> Inspection:
    """An office that starts using Zhenggai mid-way records the plan its leader and
    the inspection office approved on paper (the comment names the document), so
    the work already done can be entered; no review runs, as none could change it."""
    limits.check_text(comment, limits.COMMENT, _("说明"))
    if not comment.strip():
        raise Refused(_("请写明线下审批的情况（如批复文号和日期）"))
    with transaction.atomic():
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_edit_plan(roles, inspection),
            roles,
            access.PLAN_EDITORS,
            _("登记线下已审批的整改方案"),
            _("只有尚未审批的整改方案可以登记为线下已审批"),
        )
        before = chain.snapshot(inspection)
        inspection.plan_state = PlanState.APPROVED
        inspection.save(update_fields=["plan_state"])
        _first_approval(inspection)
        Approval.objects.create(
            kind=Approval.Kind.PLAN,
            inspection=inspection,
            approver=actor,
            decision="record",
            comment=comment,
            state_before=before,
        )
        chain.record(
            actor=actor,
            action=Action.PLAN_RECORD,
            obj=inspection,
            inspection_id=inspection.pk,
            before=before,
            after=chain.snapshot(inspection) | {"comment": comment},
        )
    return inspection
