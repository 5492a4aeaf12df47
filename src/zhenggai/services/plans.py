"""Putting right what the parser understood, while the plan is a draft: retitle,
merge, split and relocate a problem; and assigning many measures at once.

Each function checks access (NotFound for what the user may not see), the role
and the plan's state first, then writes in one transaction with its audit
events; a refusal changes nothing. Problems are numbered 1..n among their
siblings (same category, same parent); an edit renumbers what it disturbs.
Sub-problems nest one level deep, as feedback writes them.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.accountability.models import Action, FundsRecovered
from zhenggai.audit import actions, chain
from zhenggai.inspections.models import Category, Inspection, Problem, Recommendation
from zhenggai.ledger import limits
from zhenggai.ledger.models import Approval, FollowUpReview, Measure, Unfinished
from zhenggai.refusals import NotFound, Refused
from zhenggai.services.ledger import measure_assign
from zhenggai.services.plan_measures import number_measures, worked_on

TITLE_MAX = 2000
# Rows that point at a problem and follow it when it is merged into another.
FOLLOWERS = (Recommendation, Unfinished, Action, FundsRecovered)


def _draft(actor: User, inspection_id: int) -> Inspection:
    """The inspection, locked, when the actor may edit its plan now."""
    inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
    access.enforce(
        access.may_edit_plan(roles, inspection),
        roles,
        access.PLAN_EDITORS,
        _("修改整改方案"),
        _("整改方案当前为「%(state)s」，只有起草中的方案可以修改")
        % {"state": inspection.get_plan_state_display()},
    )
    return inspection


def _problem(actor: User, problem_id: int) -> Problem:
    found = Problem.objects.filter(pk=problem_id).values_list("inspection_id", flat=True).first()
    if found is None:
        raise NotFound(_("未找到该问题，或您无权查看"))
    inspection = _draft(actor, found)
    problem = Problem.objects.select_for_update().get(pk=problem_id)
    problem.inspection = inspection
    return problem


def _other(inspection: Inspection, problem_id: int) -> Problem:
    """Another problem of the same inspection; ids of other inspections are not found."""
    problem = (
        Problem.objects.select_for_update().filter(pk=problem_id, inspection=inspection).first()
    )
    if problem is None:
        raise NotFound(_("未找到该问题，或您无权查看"))
    return problem


def _title(title: str) -> str:
    title = title.strip()
    if not title:
        raise Refused(_("请填写问题标题"))
    limits.check_text(title, TITLE_MAX, _("问题标题"))
    return title


def _renumber(inspection_id: int, category_id: int, parent_id: int | None) -> None:
    """Number one group of sibling problems 1..n in their present order."""
    siblings = Problem.objects.filter(
        inspection_id=inspection_id, category_id=category_id, parent_id=parent_id
    ).order_by("position", "pk")
    _number(list(siblings))


def _number(problems: list[Problem]) -> None:
    changed = [p for n, p in enumerate(problems, 1) if p.position != n]
    for n, problem in enumerate(problems, 1):
        problem.position = n
    Problem.objects.bulk_update(changed, ["position"])


def _move_measures(actor: User, measures: Iterable[Measure], problem: Problem) -> list[int]:
    """Put measures under ``problem`` after its own, each move in the audit trail."""
    last = problem.measures.aggregate(last=Max("position"))["last"] or 0
    moved = []
    for position, measure in enumerate(measures, last + 1):
        before = chain.snapshot(measure)
        measure.problem, measure.category_id = problem, problem.category_id
        measure.position = position
        measure.save(update_fields=["problem", "category", "position"])
        chain.record(
            actor=actor,
            action=actions.Action.MEASURE_MOVE,
            obj=measure,
            inspection_id=problem.inspection_id,
            before=before,
            after=chain.snapshot(measure),
        )
        moved.append(measure.pk)
    return moved


def _renumber_measures(problem: Problem) -> None:
    number_measures(list(problem.measures.order_by("position", "pk")))


def problem_retitle(*, actor: User, problem_id: int, title: str) -> Problem:
    with transaction.atomic():
        problem = _problem(actor, problem_id)
        title = _title(title)
        before = chain.snapshot(problem)
        problem.title = title
        problem.save(update_fields=["title"])
        chain.record(
            actor=actor,
            action=actions.Action.PROBLEM_RETITLE,
            obj=problem,
            inspection_id=problem.inspection_id,
            before=before,
            after=chain.snapshot(problem),
        )
    return problem


def problem_merge(*, actor: User, problem_id: int, into_id: int) -> Problem:
    """Merge a problem into another: its measures and sub-problems move there, what
    pointed at it (recommendations, case outcomes) follows, and the emptied problem
    goes. Returns the problem merged into."""
    with transaction.atomic():
        problem = _problem(actor, problem_id)
        into = _other(problem.inspection, into_id)
        subproblems = list(problem.subproblems.select_for_update().order_by("position", "pk"))
        _check_merge(problem, into, subproblems)
        before = chain.snapshot(problem)
        measures = _move_measures(actor, problem.measures.order_by("position", "pk"), into)
        for sub in subproblems:
            _adopt(actor, sub, into)
        for model in FOLLOWERS:
            model.objects.filter(problem=problem).update(problem=into)
        chain.record(
            actor=actor,
            action=actions.Action.PROBLEM_MERGE,
            obj=problem,
            inspection_id=problem.inspection_id,
            before=before,
            after={
                "into": into.pk,
                "measures": measures,
                "subproblems": [s.pk for s in subproblems],
            },
        )
        problem.delete()
        _renumber(problem.inspection_id, problem.category_id, problem.parent_id)
    return into


def _check_merge(problem: Problem, into: Problem, subproblems: list[Problem]) -> None:
    if into.pk == problem.pk:
        raise Refused(_("不能把问题并入它自己"))
    if into.parent_id == problem.pk:
        raise Refused(_("不能把问题并入它自己的子问题"))
    if subproblems and into.parent_id is not None:
        raise Refused(_("含有子问题的问题只能并入一级问题"))
    _check_undecided(problem)


def _check_undecided(problem: Problem) -> None:
    """A problem with decisions or 回头看 on record keeps its identity."""
    decided = Approval.objects.filter(problem=problem).exists()
    if decided or FollowUpReview.objects.filter(problem=problem).exists():
        raise Refused(_("该问题已有审批或回头看记录，不能合并或改为措施"))


def _adopt(
    actor: User,
    sub: Problem,
    parent: Problem,
    action: actions.Action = actions.Action.PROBLEM_RELOCATE,
) -> None:
    """A sub-problem moves under another parent, last among its sub-problems."""
    before = chain.snapshot(sub)
    last = parent.subproblems.aggregate(last=Max("position"))["last"] or 0
    sub.parent, sub.category_id, sub.position = parent, parent.category_id, last + 1
    sub.save(update_fields=["parent", "category", "position"])
    Measure.objects.filter(problem=sub).update(category_id=parent.category_id)
    chain.record(
        actor=actor,
        action=action,
        obj=sub,
        inspection_id=sub.inspection_id,
        before=before,
        after=chain.snapshot(sub),
    )


def problem_split(*, actor: User, problem_id: int, measure_ids: list[int], title: str) -> Problem:
    """A new problem right after this one, titled ``title``, takes the chosen measures.
    Returns the new problem."""
    with transaction.atomic():
        problem = _problem(actor, problem_id)
        title = _title(title)
        wanted = set(measure_ids)
        if not wanted:
            raise Refused(_("请勾选要拆分出去的整改措施"))
        chosen = list(
            problem.measures.select_for_update().filter(pk__in=wanted).order_by("position", "pk")
        )
        if len(chosen) != len(wanted):
            raise Refused(_("所选整改措施不属于该问题"))
        kept_before = list(problem.measures.order_by("position", "pk").values_list("pk", flat=True))
        Problem.objects.filter(
            inspection_id=problem.inspection_id,
            category_id=problem.category_id,
            parent_id=problem.parent_id,
            position__gt=problem.position,
        ).update(position=F("position") + 1)
        new = Problem.objects.create(
            inspection_id=problem.inspection_id,
            category_id=problem.category_id,
            parent_id=problem.parent_id,
            position=problem.position + 1,
            title=title,
        )
        chain.created(
            actor=actor,
            obj=new,
            inspection_id=new.inspection_id,
            action=actions.Action.PROBLEM_CREATE,
        )
        moved = _move_measures(actor, chosen, new)
        _renumber_measures(problem)
        chain.record(
            actor=actor,
            action=actions.Action.PROBLEM_SPLIT,
            obj=problem,
            inspection_id=problem.inspection_id,
            before={"measures": kept_before},
            after={"measures": [pk for pk in kept_before if pk not in wanted], "split_off": new.pk},
        )
        assert moved  # the chosen measures, now the new problem's
    return new


def problem_relocate(*, actor: User, problem_id: int, category_id: int, position: int) -> Problem:
    """Move a problem to a category (its own or another) at a position among that
    category's problems; a sub-problem moved so becomes a problem of its own. Its
    sub-problems and measures follow it."""
    with transaction.atomic():
        problem = _problem(actor, problem_id)
        category = Category.objects.filter(pk=category_id, inspection=problem.inspection).first()
        if category is None:
            raise NotFound(_("未找到该问题类别"))
        if position < 1:
            raise Refused(_("位置应为正整数"))
        before = chain.snapshot(problem)
        was = (problem.category_id, problem.parent_id)
        siblings = list(
            Problem.objects.select_for_update()
            .filter(inspection=problem.inspection, category=category, parent=None)
            .exclude(pk=problem.pk)
            .order_by("position", "pk")
        )
        position = min(position, len(siblings) + 1)
        problem.category, problem.parent = category, None
        problem.save(update_fields=["category", "parent"])
        _number([*siblings[: position - 1], problem, *siblings[position - 1 :]])
        if was[0] != category.pk:
            family = Q(pk=problem.pk) | Q(parent=problem)
            Problem.objects.filter(family).update(category=category)
            Measure.objects.filter(Q(problem=problem) | Q(problem__parent=problem)).update(
                category=category
            )
        if was != (category.pk, None):
            _renumber(problem.inspection_id, *was)
        problem.refresh_from_db()
        chain.record(
            actor=actor,
            action=actions.Action.PROBLEM_RELOCATE,
            obj=problem,
            inspection_id=problem.inspection_id,
            before=before,
            after=chain.snapshot(problem),
        )
    return problem


# --- Assigning many measures at once --------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """What to set on every chosen measure; None leaves that part as it is."""

    department_id: int | None = None
    person_id: int | None = None
    leader_id: int | None = None
    deadline: dt.date | None = None  # only where a measure has none yet
    weight: int | None = None

    def empty(self) -> bool:
        return all(value is None for value in vars(self).values())


@dataclass(frozen=True)
class Assigned:
    measures: int
    deadlines: int  # measures that received the first deadline


def measures_assign(
    *, actor: User, inspection_id: int, measure_ids: list[int], assignment: Assignment
) -> Assigned:
    """``measure_assign`` for each chosen measure, all in one transaction: one
    refused and none is changed, the refusal naming the measure."""
    if not measure_ids:
        raise Refused(_("请勾选要分配的整改措施"))
    if assignment.empty():
        raise Refused(_("请至少填写一项要设置的内容"))
    wanted = set(measure_ids)
    with transaction.atomic():
        inspection, roles = access.inspection_for(actor, inspection_id)
        access.enforce(access.may_assign(roles), roles, access.ASSIGNERS, _("分配整改措施"))
        rows = list(
            Measure.objects.select_for_update()
            .filter(inspection=inspection, pk__in=wanted)
            .order_by("pk")
            .values_list("pk", "text", "department_id", "person_id", "leader_id", "deadline")
        )
        if len(rows) != len(wanted):
            raise Refused(_("所选整改措施不属于该巡察"))
        deadlines = 0
        for pk, text, department, person, leader, deadline in rows:
            first_deadline = assignment.deadline if deadline is None else None
            deadlines += first_deadline is not None
            try:
                measure_assign(
                    actor=actor,
                    measure_id=pk,
                    department_id=_given(assignment.department_id, department),
                    person_id=_given(assignment.person_id, person),
                    leader_id=_given(assignment.leader_id, leader),
                    deadline=first_deadline,
                    weight=assignment.weight,
                )
            except Refused as refusal:
                raise Refused(
                    _("措施「%(text)s」：%(reason)s") % {"text": text[:30], "reason": refusal}
                ) from refusal
    return Assigned(len(rows), deadlines)


def _given(value: int | None, current: int | None) -> int | None:
    return current if value is None else value


# --- Levels: a measure that is a sub-problem, a problem that belongs under another ----


def measure_to_subproblem(*, actor: User, measure_id: int) -> Problem:
    """A measure the parser took for one but which names a problem (（1）…的问题)
    becomes a sub-problem of its problem, last among them. Returns the sub-problem."""
    with transaction.atomic():
        measure, _roles = access.measure_for(actor, measure_id, lock=True)
        if measure.problem_id is None:
            raise Refused(_("类别下的整改措施不能改为子问题"))
        problem = _problem(actor, measure.problem_id)
        if problem.parent_id is not None:
            raise Refused(_("子问题下的措施不能再改为子问题：问题只分两级"))
        if worked_on(measure):
            raise Refused(_("该措施已有整改进展、佐证材料或审批记录，不能改为子问题"))
        last = problem.subproblems.aggregate(last=Max("position"))["last"] or 0
        sub = Problem.objects.create(
            inspection_id=problem.inspection_id,
            category_id=problem.category_id,
            parent=problem,
            position=last + 1,
            title=_subproblem_title(measure.text),
        )
        chain.created(
            actor=actor,
            obj=sub,
            inspection_id=sub.inspection_id,
            action=actions.Action.PROBLEM_CREATE,
        )
        chain.record(
            actor=actor,
            action=actions.Action.MEASURE_TO_SUBPROBLEM,
            obj=measure,
            inspection_id=measure.inspection_id,
            before=chain.snapshot(measure),
            after={"subproblem": sub.pk},
        )
        measure.delete()
        _renumber_measures(problem)
    return sub


def _subproblem_title(text: str) -> str:
    if len(text.strip()) > TITLE_MAX:
        raise Refused(
            _("该措施超过%(n)s字，太长，不像一个子问题的标题；请先修改措施文字") % {"n": TITLE_MAX}
        )
    return _title(text)


def subproblem_to_measure(*, actor: User, problem_id: int) -> Measure:
    """A sub-problem that is really a measure becomes one, last under its parent;
    measures it held follow it there. Returns the new measure."""
    with transaction.atomic():
        sub = _problem(actor, problem_id)
        if sub.parent_id is None:
            raise Refused(_("只有子问题可以改为整改措施"))
        _check_undecided(sub)
        parent = _other(sub.inspection, sub.parent_id)
        text = "\n".join(filter(None, [sub.title or "", sub.description]))
        limits.check_text(text, limits.LONG_TEXT, _("整改措施"))
        last = parent.measures.aggregate(last=Max("position"))["last"] or 0
        measure = Measure.objects.create(
            inspection_id=sub.inspection_id,
            category_id=parent.category_id,
            problem=parent,
            position=last + 1,
            text=text or _("（无标题）"),
        )
        chain.created(
            actor=actor,
            obj=measure,
            inspection_id=sub.inspection_id,
            action=actions.Action.MEASURE_CREATE,
        )
        _move_measures(actor, sub.measures.order_by("position", "pk"), parent)
        for model in FOLLOWERS:
            model.objects.filter(problem=sub).update(problem=parent)
        chain.record(
            actor=actor,
            action=actions.Action.PROBLEM_TO_MEASURE,
            obj=sub,
            inspection_id=sub.inspection_id,
            before=chain.snapshot(sub),
            after={"measure": measure.pk},
        )
        sub.delete()
        _renumber(sub.inspection_id, sub.category_id, sub.parent_id)
    return measure


def problem_nest(*, actor: User, problem_id: int, parent_id: int) -> Problem:
    """A problem becomes a sub-problem of another, last among its sub-problems; its
    measures follow it. Un-nesting is ``problem_relocate``."""
    with transaction.atomic():
        problem = _problem(actor, problem_id)
        parent = _other(problem.inspection, parent_id)
        if parent.pk == problem.pk or parent.parent_id is not None:
            raise Refused(_("只能放到另一个一级问题下"))
        if problem.subproblems.exists():
            raise Refused(_("含有子问题的问题不能再放到其他问题下：问题只分两级"))
        was = (problem.category_id, problem.parent_id)
        _adopt(actor, problem, parent, actions.Action.PROBLEM_NEST)
        _renumber(problem.inspection_id, *was)
        problem.refresh_from_db()
    return problem
