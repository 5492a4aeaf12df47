"""The plan's review before it is submitted: hard errors block the submission,
soft warnings are shown beside the measure and kept with the submission for the
approvers.

Hard: a problem with no measure, a measure with no owner or no deadline, a
deadline before the feedback, in the past, or beyond the office's longest term.
Soft (core/quality.py): a declaratory measure, a duplicate, a 立行立改 measure
due months away, a 长期坚持 measure with no interim check.

In an amendment only the problems a 回头看 reopened are reviewed, and of their
measures only the new ones (not started): the rest were approved before.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhenggai.core import quality
from zhenggai.inspections.states import State
from zhenggai.ledger.plan_tree import MeasureNode, Plan, ProblemNode, label


@dataclass(frozen=True)
class Terms:
    """The dates a deadline is held to: the feedback's, today, the office's longest term."""

    feedback: dt.date | None
    today: dt.date
    longest_days: int
    # An amendment's terms count from the day it is written, a year or more after the
    # feedback: a 回头看 comes late, and its new measures need time of their own.
    since: dt.date | None = None

    @property
    def start(self) -> dt.date:
        return self.since or self.feedback or self.today


@dataclass(frozen=True)
class Finding:
    problem: int
    measure: int | None
    code: str
    message: str
    hard: bool


def deadline_refusal(deadline: dt.date, terms: Terms) -> str | None:
    """Why a first deadline cannot stand, or None: the one rule for the editor and the review."""
    if terms.feedback is not None and deadline < terms.feedback:
        return _("整改时限不能早于反馈日期（%(date)s）") % {"date": terms.feedback.isoformat()}
    if deadline < terms.today:
        return _("整改时限不能早于今天（%(date)s）") % {"date": terms.today.isoformat()}
    latest = terms.start + dt.timedelta(days=terms.longest_days)
    if deadline > latest:
        return _("整改时限超过巡察办规定的最长期限（%(date)s，反馈后%(days)s天）") % {
            "date": latest.isoformat(),
            "days": terms.longest_days,
        }
    return None


def _in_scope(plan: Plan, amending: bool) -> list[ProblemNode]:
    """The problems whose measures are reviewed: all, or in an amendment those a
    回头看 reopened (with their sub-problems)."""
    problems = plan.ordered()
    if not amending:
        return problems
    reopened = {p.pk for p in problems if p.state == State.REOPENED}
    return [p for p in problems if p.pk in reopened or p.parent_id in reopened]


def _new(measures: list[MeasureNode]) -> list[MeasureNode]:
    return [m for m in measures if m.state == State.NOT_STARTED]


def _measure_errors(problem: ProblemNode, measure: MeasureNode, terms: Terms) -> list[Finding]:
    found = []
    if not (measure.department_id or measure.person_id):
        found.append(_("未指定责任部门或责任人"))
    if measure.deadline is None:
        found.append(_("未定整改时限"))
    else:
        found.append(deadline_refusal(measure.deadline, terms) or "")
    return [
        Finding(problem.pk, measure.pk, "measure", f"{measure.position}. {why}", True)
        for why in found
        if why
    ]


def hard_errors(plan: Plan, terms: Terms, amending: bool) -> list[Finding]:
    found = []
    for problem in _in_scope(plan, amending):
        measures = _new(problem.measures)
        # A problem with sub-problems may hold no measure of its own: they hold them.
        if not measures and not problem.subproblems:
            why = _("重新整改的问题还没有新的整改措施") if amending else _("该问题还没有整改措施")
            found.append(Finding(problem.pk, None, "no_measure", why, True))
        for measure in measures:
            found.extend(_measure_errors(problem, measure, terms))
    return found


def soft_warnings(plan: Plan, terms: Terms, amending: bool) -> list[Finding]:
    holders = {m.pk: (p, m) for p in _in_scope(plan, amending) for m in _new(p.measures)}
    drafts = [quality.Draft(m.pk, m.text, m.type_code, m.deadline) for _p, m in holders.values()]
    return [
        Finding(holders[w.key][0].pk, w.key, w.code, w.message, False)
        for w in quality.soft_warnings(drafts, terms.start)
    ]


def review(plan: Plan, terms: Terms, amending: bool) -> list[Finding]:
    return hard_errors(plan, terms, amending) + soft_warnings(plan, terms, amending)


def summary(plan: Plan, errors: list[Finding]) -> str:
    """The hard errors in one refusal: the first few, named by their problem."""
    shown = [f"{label(plan.problems[e.problem])[:30]}：{e.message}" for e in errors[:5]]
    more = _("等%(n)s处") % {"n": len(errors)} if len(errors) > 5 else ""
    return _("整改方案还不能报送：%(list)s%(more)s") % {"list": "；".join(shown), "more": more}
