"""Writing the plan's measures under each problem: add, edit, delete, reorder.

The rule of who may and when is ``access.may_write_measure``: anywhere while the
plan is drafted or returned; after its first approval only new measures of a
problem a 回头看 reopened, which makes the plan an amendment (修订中) to be
approved again. Each function writes in one transaction with its audit event;
a refusal changes nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import PlanState
from zhenggai.ledger import limits, plan_checks
from zhenggai.ledger.models import Measure
from zhenggai.refusals import Refused
from zhenggai.services.ledger import check_carriers
from zhenggai.services.plan_review import terms


@dataclass(frozen=True)
class MeasureInput:
    """A measure as the plan editor writes it."""

    text: str
    target: str = ""
    type: str = Measure.Type.TIME_BOUND
    leader_id: int | None = None
    department_id: int | None = None
    person_id: int | None = None
    deadline: dt.date | None = None
    weight: int = 1
    expected_evidence: str = ""


def _check(data: MeasureInput, inspection: Inspection) -> None:
    if not data.text.strip():
        raise Refused(_("请填写整改措施"))
    limits.check_text(data.text, limits.LONG_TEXT, _("整改措施"))
    limits.check_text(data.target, limits.LONG_TEXT, _("整改目标"))
    limits.check_text(data.expected_evidence, limits.COMMENT, _("佐证材料要求"))
    if data.type not in Measure.Type.values:
        raise Refused(_("整改类型应为立行立改、限期整改或长期坚持"))
    if not 1 <= data.weight <= 100:
        raise Refused(_("权重应为 1 到 100 的整数"))
    if data.deadline is not None:
        why = plan_checks.deadline_refusal(data.deadline, terms(inspection))
        if why:
            raise Refused(why)
    check_carriers(inspection.organisation_id, data.department_id, data.person_id, data.leader_id)


def _writable(actor: User, problem_id: int, measure: Measure | None = None) -> Problem:
    """The problem, locked with its inspection, when the actor may write this measure."""
    problem, roles = access.problem_for(
        actor, problem_id, lock=True, related=("inspection", "inspection__organisation")
    )
    access.enforce(
        access.may_write_measure(
            roles, problem.inspection, problem.state, measure.state if measure else None
        ),
        roles,
        access.PLAN_EDITORS,
        _("修改整改措施"),
        _writing_refusal(problem.inspection),
    )
    return problem


def _writing_refusal(inspection: Inspection) -> str:
    open_states = (PlanState.APPROVED, PlanState.AMENDING, PlanState.RETURNED)
    if inspection.plan_approved is not None and inspection.plan_state in open_states:
        return _("整改方案已审批，只能为回头看后重新整改的问题新增措施")
    return _("整改方案当前为「%(state)s」，只有起草中或退回修改的方案可以修改") % {
        "state": inspection.get_plan_state_display()
    }


def _fill(measure: Measure, data: MeasureInput) -> None:
    measure.text, measure.target = data.text.strip(), data.target.strip()
    measure.type, measure.weight = data.type, data.weight
    measure.leader_id, measure.department_id = data.leader_id, data.department_id
    measure.person_id = data.person_id
    measure.expected_evidence = data.expected_evidence.strip()
    # Before approval the first deadline is still being written, not extended.
    measure.deadline = measure.original_deadline = data.deadline


def _amending(actor: User, inspection: Inspection) -> None:
    """A measure written after the first approval opens an amendment of the plan, to
    be approved again: nothing approved changes without a new approval."""
    if inspection.plan_state != PlanState.APPROVED:
        return
    before = chain.snapshot(inspection)
    inspection.plan_state = PlanState.AMENDING
    inspection.save(update_fields=["plan_state"])
    chain.record(
        actor=actor,
        action=Action.PLAN_AMEND,
        obj=inspection,
        inspection_id=inspection.pk,
        before=before,
        after=chain.snapshot(inspection),
    )


def measure_create(*, actor: User, problem_id: int, data: MeasureInput) -> Measure:
    """A new measure, last under its problem."""
    with transaction.atomic():
        problem = _writable(actor, problem_id)
        _check(data, problem.inspection)
        last = problem.measures.aggregate(last=Max("position"))["last"] or 0
        measure = Measure(
            inspection=problem.inspection,
            category_id=problem.category_id,
            problem=problem,
            position=last + 1,
        )
        _fill(measure, data)
        measure.save()
        chain.created(
            actor=actor,
            obj=measure,
            inspection_id=problem.inspection_id,
            action=Action.MEASURE_CREATE,
        )
        _amending(actor, problem.inspection)
    return measure


def _locked(actor: User, measure_id: int) -> tuple[Measure, Problem]:
    measure, _roles = access.measure_for(actor, measure_id, lock=True)
    if measure.problem_id is None:
        raise Refused(_("类别下的整改措施请先移到具体问题下再修改"))
    return measure, _writable(actor, measure.problem_id, measure)


def measure_edit(*, actor: User, measure_id: int, data: MeasureInput) -> Measure:
    with transaction.atomic():
        measure, problem = _locked(actor, measure_id)
        _check(data, problem.inspection)
        before = chain.snapshot(measure)
        _fill(measure, data)
        measure.save()
        chain.record(
            actor=actor,
            action=Action.MEASURE_EDIT,
            obj=measure,
            inspection_id=measure.inspection_id,
            before=before,
            after=chain.snapshot(measure),
        )
        _amending(actor, problem.inspection)
    return measure


def worked_on(measure: Measure) -> bool:
    """Whether work or a decision is on record for it: then it keeps its identity."""
    return (
        measure.progress.exists()
        or measure.evidence.exists()
        or measure.extensions.exists()
        or measure.approval_set.exists()
    )


def measure_delete(*, actor: User, measure_id: int) -> None:
    with transaction.atomic():
        measure, problem = _locked(actor, measure_id)
        if worked_on(measure):
            raise Refused(_("该措施已有整改进展、佐证材料或审批记录，不能删除"))
        chain.record(
            actor=actor,
            action=Action.MEASURE_DELETE,
            obj=measure,
            inspection_id=measure.inspection_id,
            before=chain.snapshot(measure),
            after={},
        )
        measure.delete()
        number_measures(list(problem.measures.order_by("position", "pk")))
        _amending(actor, problem.inspection)


def number_measures(measures: list[Measure]) -> None:
    """Number one problem's measures 1..n in the order given, writing only what moved."""
    changed = [m for n, m in enumerate(measures, 1) if m.position != n]
    for n, measure in enumerate(measures, 1):
        measure.position = n
    Measure.objects.bulk_update(changed, ["position"])


def measure_reorder(*, actor: User, measure_id: int, position: int) -> Measure:
    """Put the measure at ``position`` (1 = first) among its problem's measures."""
    with transaction.atomic():
        measure, problem = _locked(actor, measure_id)
        siblings = list(
            problem.measures.select_for_update().exclude(pk=measure.pk).order_by("position", "pk")
        )
        if not 1 <= position <= len(siblings) + 1:
            raise Refused(_("位置应在 1 到 %(n)s 之间") % {"n": len(siblings) + 1})
        before = chain.snapshot(measure)
        ordered = [*siblings[: position - 1], measure, *siblings[position - 1 :]]
        number_measures(ordered)
        chain.record(
            actor=actor,
            action=Action.MEASURE_REORDER,
            obj=measure,
            inspection_id=measure.inspection_id,
            before=before,
            after=chain.snapshot(measure),
        )
        _amending(actor, problem.inspection)
    return measure
