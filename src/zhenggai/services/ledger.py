"""Every write to the ledger, one named function each (STYLE.md 2).

Each checks access and the workflow first, then changes the data in one
transaction with its audit event (and its approval record, for decisions).
A refused call raises Refused or NotFound and changes nothing.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.core.files import write_whole
from zhenggai.inspections import plan_flow
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import Move, MoveInput, check
from zhenggai.inspections.states import DONE_STATES, State
from zhenggai.ledger import limits, measure_flow, problem_flow
from zhenggai.ledger.models import (
    Approval,
    Evidence,
    Extension,
    FollowUpReview,
    Measure,
    ProgressEntry,
    Unfinished,
)
from zhenggai.ledger.uploads import check_upload
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Role
from zhenggai.refusals import Refused

Actor = User
Item = TypeVar("Item")

APPROVAL_KIND = {
    "sign_off": Approval.Kind.SIGN_OFF,
    "return": Approval.Kind.RETURN,
    "reopen": Approval.Kind.REOPEN,
    "continue_long_term": Approval.Kind.LONG_TERM,
    "carry_over": Approval.Kind.LONG_TERM,
}
# The audit action of each outcome of a review or a decision.
REVIEWED: Mapping[str, Action] = {
    Evidence.Review.ACCEPTED: Action.EVIDENCE_ACCEPTED,
    Evidence.Review.RETURNED: Action.EVIDENCE_RETURNED,
}
DECIDED: Mapping[str, Action] = {
    Extension.Decision.APPROVED: Action.EXTENSION_APPROVED,
    Extension.Decision.REFUSED: Action.EXTENSION_REFUSED,
}


def _locked_measure(actor: Actor, measure_id: int) -> tuple[Measure, set[Role]]:
    return access.measure_for(actor, measure_id, lock=True)


def _worked_measure(
    actor: Actor, measure_id: int, what: str, done: str
) -> tuple[Measure, set[Role]]:
    """The measure, locked, if the actor may work on it (``access.may_work``); else
    refused with who may, or with ``done`` when it is already signed off."""
    measure, roles = _locked_measure(actor, measure_id)
    allowed = access.may_work(roles, measure)
    access.enforce(allowed, roles, measure_flow.WORKERS, what, done)
    return measure, roles


def _locked_problem(actor: Actor, problem_id: int) -> tuple[Problem, set[Role]]:
    return access.problem_for(actor, problem_id, lock=True, related=("inspection",))


def _approve(
    kind: str,
    actor: Actor,
    inspection_id: int,
    decision: str,
    comment: str,
    before: dict[str, Any],
    **targets: Any,
) -> None:
    Approval.objects.create(
        kind=kind,
        inspection_id=inspection_id,
        approver=actor,
        decision=decision,
        comment=comment,
        state_before=before,
        **targets,
    )


@dataclass(frozen=True)
class _Flow(Generic[Item]):
    """How one workflow's moves are applied: its table, the field holding its state,
    the audit name of its items and which moves are decisions of record."""

    moves: Mapping[str, Move[Item]]
    field: str
    name: str
    decisions: Mapping[str, str]


MEASURES: _Flow[Measure] = _Flow(measure_flow.MOVES, "state", "measure", APPROVAL_KIND)
PROBLEMS: _Flow[Problem] = _Flow(problem_flow.MOVES, "state", "problem", APPROVAL_KIND)
PLANS: _Flow[Inspection] = _Flow(
    plan_flow.MOVES,
    "plan_state",
    "plan",
    {move: Approval.Kind.PLAN for move in ("approve", "return", "accept", "send_back")},
)


def _check_move_input(data: MoveInput) -> None:
    limits.check_text(data.comment, limits.COMMENT, _("意见"))
    limits.check_text(data.reason, limits.LONG_TEXT, _("未完成整改原因"))
    limits.check_text(data.next_steps, limits.LONG_TEXT, _("下一步整改措施"))


def apply_move(
    flow: _Flow[Item],
    actor: Actor,
    item: Item,
    roles: set[Role],
    move: str,
    data: MoveInput,
    inspection_id: int,
    then: Callable[[], None] | None = None,
    **target: Any,
) -> None:
    """Check the move and what it brings, make it, do what follows from it (``then``), and record its
    approval (for decisions) and audit event last; runs inside the caller's
    transaction, on the row it locked."""
    _check_move_input(data)
    assert isinstance(item, models.Model)
    state = getattr(item, flow.field)
    label = str(getattr(item, f"get_{flow.field}_display")())
    step = check(
        flow.moves, move, state=state, state_label=label, roles=roles, item=item, data=data
    )
    before = chain.snapshot(item)
    setattr(item, flow.field, step.target)
    changed = [flow.field]
    if isinstance(item, Measure):
        item.done_at = timezone.now() if step.target in DONE_STATES else None
        changed.append("done_at")
    item.save(update_fields=changed)
    if then is not None:
        then()
    if move in flow.decisions:
        _approve(flow.decisions[move], actor, inspection_id, move, data.comment, before, **target)
    chain.record(
        actor=actor,
        action=Action.named(flow.name, move),
        obj=item,
        inspection_id=inspection_id,
        before=before,
        after=chain.snapshot(item) | {"comment": data.comment},
    )


def measure_move(*, actor: Actor, measure_id: int, move: str, data: MoveInput) -> Measure:
    with transaction.atomic():
        measure, roles = _locked_measure(actor, measure_id)
        then = (lambda: _problems_under_way(actor, measure)) if move == "start" else None
        apply_move(
            MEASURES,
            actor,
            measure,
            roles,
            move,
            data,
            measure.inspection_id,
            then=then,
            measure=measure,
        )
    return measure


def _started_by_work(actor: Actor, measure: Measure, why: str) -> None:
    """Progress or evidence on a measure not started yet starts it: the consequence
    of that work, recorded as such, not a separate decision someone must remember."""
    if measure.state != State.NOT_STARTED:
        return
    before = chain.snapshot(measure)
    measure.state = State.IN_PROGRESS
    measure.save(update_fields=["state"])
    chain.record(
        actor=actor,
        action=Action.MEASURE_START,
        obj=measure,
        inspection_id=measure.inspection_id,
        before=before,
        after=chain.snapshot(measure) | {"comment": why},
    )
    _problems_under_way(actor, measure)


def _problems_under_way(actor: Actor, measure: Measure) -> None:
    """A problem is under way once one of its measures is: a problem (and the problem
    above it) not started yet moves to in progress with its first measure, recorded
    as that measure's consequence, not as a decision of the office."""
    problem_id = measure.problem_id
    while problem_id is not None:
        problem = Problem.objects.select_for_update().filter(pk=problem_id).first()
        if problem is None or problem.state != State.NOT_STARTED:
            return
        before = chain.snapshot(problem)
        problem.state = State.IN_PROGRESS
        problem.save(update_fields=["state"])
        chain.record(
            actor=actor,
            action=Action.PROBLEM_START,
            obj=problem,
            inspection_id=problem.inspection_id,
            before=before,
            after=chain.snapshot(problem) | {"comment": _("随整改措施开始整改")},
        )
        problem_id = problem.parent_id


def problem_move(*, actor: Actor, problem_id: int, move: str, data: MoveInput) -> Problem:
    with transaction.atomic():
        problem, roles = _locked_problem(actor, problem_id)
        follows = (lambda: _carry_over(actor, problem, data)) if move == "carry_over" else None
        apply_move(
            PROBLEMS,
            actor,
            problem,
            roles,
            move,
            data,
            problem.inspection_id,
            follows,
            problem=problem,
        )
    return problem


def _carry_over(actor: Actor, problem: Problem, data: MoveInput) -> None:
    item = Unfinished.objects.create(
        inspection_id=problem.inspection_id,
        problem=problem,
        problem_text=problem.title,
        position=Unfinished.objects.filter(inspection_id=problem.inspection_id).count() + 1,
        reason=data.reason,
        next_steps=data.next_steps,
        deadline=data.new_deadline,
    )
    chain.created(
        actor=actor, obj=item, inspection_id=problem.inspection_id, action=Action.UNFINISHED_CREATE
    )


def progress_record(
    *,
    actor: Actor,
    measure_id: int,
    date: dt.date,
    text: str,
    figures: dict[str, Any] | None = None,
) -> ProgressEntry:
    limits.check_text(text, limits.LONG_TEXT, _("整改进展"))
    limits.check_figures(figures or {})
    if not text.strip():
        raise Refused(_("请填写整改进展"))
    if date > timezone.localdate():
        raise Refused(_("进展日期不能晚于今天"))
    with transaction.atomic():
        measure, _roles = _worked_measure(
            actor, measure_id, _("填报整改进展"), _("该措施已销号，如需继续整改请先重新整改")
        )
        entry = ProgressEntry.objects.create(
            measure=measure, date=date, text=text, figures=figures or {}, author=actor
        )
        _started_by_work(actor, measure, _("随填报整改进展开始整改"))
        chain.created(
            actor=actor,
            obj=entry,
            inspection_id=measure.inspection_id,
            action=Action.PROGRESS_CREATE,
        )
    return entry


def _store(content: bytes, digest: str) -> str:
    """Content-addressed: the same file twice is kept once, and a name can't escape the folder."""
    relative = f"{digest[:2]}/{digest}"
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.exists():
        write_whole(path, content)
    return relative


def store(content: bytes, digest: str) -> str:
    """The same store for files kept outside a measure (a 回头看 campaign's checks:
    services/campaigns.py)."""
    return _store(content, digest)


def evidence_add(
    *,
    actor: Actor,
    measure_id: int,
    name: str,
    content: bytes,
    effective_date: dt.date,
    replaces_id: int | None = None,
) -> Evidence:
    content_type = check_upload(name, content)
    if effective_date > timezone.localdate():
        raise Refused(_("生效日期不能晚于今天"))
    with transaction.atomic():
        measure, _roles = _worked_measure(
            actor, measure_id, _("上传佐证材料"), _("该措施已销号，不能再上传佐证材料")
        )
        replaces = None
        if replaces_id is not None:
            replaces = measure.evidence.filter(pk=replaces_id).first()
            if replaces is None:
                raise Refused(_("要替换的佐证材料不属于该措施"))
        digest = hashlib.sha256(content).hexdigest()
        evidence = Evidence.objects.create(
            measure=measure,
            replaces=replaces,
            name=Path(name).name[:255],
            path=_store(content, digest),
            size=len(content),
            content_type=content_type,
            sha256=digest,
            supplied_by=actor,
            effective_date=effective_date,
        )
        _started_by_work(actor, measure, _("随上传佐证材料开始整改"))
        chain.created(
            actor=actor,
            obj=evidence,
            inspection_id=measure.inspection_id,
            action=Action.EVIDENCE_CREATE,
        )
    return evidence


def evidence_add_all(
    *,
    actor: Actor,
    measure_id: int,
    files: Sequence[tuple[str, bytes]],
    effective_date: dt.date,
    replaces_id: int | None = None,
) -> list[Evidence]:
    """Several files for one measure: all kept, or none (a form sends them together)."""
    with transaction.atomic():
        return [
            evidence_add(
                actor=actor,
                measure_id=measure_id,
                name=name,
                content=content,
                effective_date=effective_date,
                replaces_id=replaces_id,
            )
            for name, content in files
        ]


def progress_with_evidence(
    *,
    actor: Actor,
    measure_id: int,
    date: dt.date,
    text: str,
    figures: dict[str, Any] | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> ProgressEntry:
    """Progress and the files that show it, recorded together or not at all."""
    with transaction.atomic():
        entry = progress_record(
            actor=actor, measure_id=measure_id, date=date, text=text, figures=figures
        )
        evidence_add_all(actor=actor, measure_id=measure_id, files=files, effective_date=date)
    return entry


def evidence_review(*, actor: Actor, evidence_id: int, accept: bool, comment: str) -> Evidence:
    limits.check_text(comment, limits.COMMENT, _("审核意见"))
    if not accept and not comment.strip():
        raise Refused(_("退回佐证材料时请写明意见"))
    with transaction.atomic():
        evidence, measure, roles = access.evidence_for(actor, evidence_id, lock=True)
        access.enforce(
            access.may_review_evidence(roles, evidence),
            roles,
            measure_flow.REVIEWERS,
            _("审核佐证材料"),
            _("该佐证材料已审核过"),
        )
        before = chain.snapshot(evidence)
        evidence.review = Evidence.Review.ACCEPTED if accept else Evidence.Review.RETURNED
        evidence.review_comment = comment
        evidence.save(update_fields=["review", "review_comment"])
        _approve(
            Approval.Kind.EVIDENCE,
            actor,
            measure.inspection_id,
            evidence.review,
            comment,
            before,
            measure=measure,
            evidence=evidence,
        )
        chain.record(
            actor=actor,
            action=REVIEWED[evidence.review],
            obj=evidence,
            inspection_id=measure.inspection_id,
            before=before,
            after=chain.snapshot(evidence),
        )
    return evidence


def extension_request(
    *, actor: Actor, measure_id: int, new_deadline: dt.date, reason: str
) -> Extension:
    limits.check_text(reason, limits.LONG_TEXT, _("延期理由"))
    if not reason.strip():
        raise Refused(_("请写明延期理由"))
    with transaction.atomic():
        measure, roles = _worked_measure(
            actor, measure_id, _("申请延期"), _("该措施已销号，无需延期")
        )
        if new_deadline <= max(measure.deadline or dt.date.min, timezone.localdate()):
            raise Refused(_("申请的时限必须晚于现在的整改时限和今天"))
        pending = measure.extensions.filter(decision=Extension.Decision.PENDING).exists()
        if not access.may_request_extension(roles, measure, pending):
            raise Refused(_("该措施已有待审批的延期申请"))
        extension = Extension.objects.create(
            measure=measure,
            old_deadline=measure.deadline,
            new_deadline=new_deadline,
            reason=reason,
            requested_by=actor,
        )
        chain.created(
            actor=actor,
            obj=extension,
            inspection_id=measure.inspection_id,
            action=Action.EXTENSION_CREATE,
        )
    return extension


def extension_decide(*, actor: Actor, extension_id: int, approve: bool, comment: str) -> Extension:
    limits.check_text(comment, limits.COMMENT, _("审批意见"))
    with transaction.atomic():
        extension, measure, roles = access.extension_for(actor, extension_id, lock=True)
        access.enforce(
            access.may_decide_extension(roles, extension),
            roles,
            measure_flow.SIGNERS,
            _("审批延期申请"),
            _("该延期申请已审批过"),
        )
        before = chain.snapshot(measure)
        extension.decision = Extension.Decision.APPROVED if approve else Extension.Decision.REFUSED
        extension.save(update_fields=["decision"])
        if approve:
            # The one place a deadline changes; the original stays as it was.
            measure.deadline = extension.new_deadline
            measure.save(update_fields=["deadline"])
        _approve(
            Approval.Kind.EXTENSION,
            actor,
            measure.inspection_id,
            extension.decision,
            comment,
            before,
            measure=measure,
            extension=extension,
        )
        chain.record(
            actor=actor,
            action=DECIDED[extension.decision],
            obj=extension,
            inspection_id=measure.inspection_id,
            before=before,
            after=chain.snapshot(measure) | {"comment": comment},
        )
    return extension


def follow_up_record(
    *, actor: Actor, problem_id: int, date: dt.date, finding: str, relapsed: bool
) -> FollowUpReview:
    """回头看: a relapse reopens the problem, its history kept."""
    limits.check_text(finding, limits.LONG_TEXT, _("检查情况"))
    if not finding.strip():
        raise Refused(_("请填写检查情况"))
    if date > timezone.localdate():
        raise Refused(_("检查日期不能晚于今天"))
    with transaction.atomic():
        problem, roles = _locked_problem(actor, problem_id)
        access.enforce(
            access.may_follow_up(roles, problem),
            roles,
            access.FOLLOW_UP_REVIEWERS,
            _("记录回头看"),
            _("只有已销号或长期坚持的问题可以回头看"),
        )
        review = FollowUpReview.objects.create(
            problem=problem, reviewer=actor, date=date, finding=finding, relapsed=relapsed
        )
        chain.created(
            actor=actor,
            obj=review,
            inspection_id=problem.inspection_id,
            action=Action.FOLLOW_UP_CREATE,
        )
        if relapsed:
            problem_move(
                actor=actor, problem_id=problem.pk, move="reopen", data=MoveInput(comment=finding)
            )
            review.problem.refresh_from_db()
    return review


def check_carriers(
    unit: int, department_id: int | None, person_id: int | None, leader_id: int | None
) -> None:
    """Refused unless the department and the people belong to the unit."""
    if (
        department_id is not None
        and not org_selectors.departments(unit).filter(pk=department_id).exists()
    ):
        raise Refused(_("责任部门不属于本单位"))
    for user_id, role in (
        (person_id, Role.RESPONSIBLE_PERSON),
        (leader_id, Role.RESPONSIBLE_LEADER),
    ):
        if user_id is not None and not org_selectors.members(unit).filter(pk=user_id).exists():
            raise Refused(_("%(role)s不是本单位人员") % {"role": role.label})


def measure_assign(
    *,
    actor: Actor,
    measure_id: int,
    department_id: int | None,
    person_id: int | None,
    leader_id: int | None,
    deadline: dt.date | None = None,
    weight: int | None = None,
) -> Measure:
    """Set who carries a measure and its weight in the completion rate; a deadline
    only where none was set yet, since a deadline, once set, changes only through
    an approved extension."""
    with transaction.atomic():
        measure, roles = _locked_measure(actor, measure_id)
        access.enforce(access.may_assign(roles), roles, access.ASSIGNERS, _("分配整改措施"))
        check_carriers(measure.inspection.organisation_id, department_id, person_id, leader_id)
        if deadline is not None and measure.deadline is not None:
            raise Refused(_("整改时限已确定，如需调整请申请延期"))
        if weight is not None and not 1 <= weight <= 100:
            raise Refused(_("权重应为 1 到 100 的整数"))
        before = chain.snapshot(measure)
        measure.department_id, measure.person_id, measure.leader_id = (
            department_id,
            person_id,
            leader_id,
        )
        if deadline is not None:
            measure.deadline = measure.original_deadline = deadline
        measure.weight = measure.weight if weight is None else weight
        measure.save()
        chain.record(
            actor=actor,
            action=Action.MEASURE_ASSIGN,
            obj=measure,
            inspection_id=measure.inspection_id,
            before=before,
            after=chain.snapshot(measure),
        )
    return measure
