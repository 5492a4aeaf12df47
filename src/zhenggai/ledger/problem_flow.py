"""The workflow of a problem (问题), as a table.

A problem is signed off when all its measures are done; a problem unfinished at
the end of the focused period is carried over to long-term work with a reason,
next steps and a new deadline; a follow-up review that finds a relapse reopens it.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import Move, MoveInput, needs_comment
from zhenggai.inspections.states import DONE_STATES
from zhenggai.inspections.states import State as S
from zhenggai.orgs.models import Role as R

SIGNERS = frozenset({R.RESPONSIBLE_LEADER, R.FIRST_RESPONSIBLE})
OFFICE = frozenset({R.RECTIFICATION_OFFICE})


def measures_done(problem: Problem, _data: MoveInput) -> str | None:
    """Done when its own measures and its sub-problems are; a parent may hold only
    sub-problems."""
    measures, subproblems = problem.measures.all(), problem.subproblems.all()
    if not measures.exists() and not subproblems.exists():
        return _("该问题还没有整改措施")
    if measures.exclude(state__in=DONE_STATES).exists():
        return _("该问题还有未销号的整改措施")
    if subproblems.exclude(state__in=DONE_STATES).exists():
        return _("该问题还有未销号的子问题")
    return None


def carry_over_filled(_problem: Problem, data: MoveInput) -> str | None:
    missing = [
        label
        for label, value in (
            (_("未完成整改原因"), data.reason),
            (_("下一步整改措施"), data.next_steps),
        )
        if not value.strip()
    ]
    if data.new_deadline is None:
        missing.append(_("新的整改时限"))
    if missing:
        return _("请填写%(fields)s") % {"fields": _("、").join(missing)}
    assert data.new_deadline is not None
    if data.new_deadline <= dt.date.today():
        return _("新的整改时限必须晚于今天")
    return None


MOVES: dict[str, Move[Problem]] = {
    "start": Move(
        pgettext_lazy("move", "开始整改"),
        frozenset({S.NOT_STARTED, S.REOPENED}),
        S.IN_PROGRESS,
        OFFICE,
    ),
    "submit": Move(
        pgettext_lazy("move", "申请销号"),
        frozenset({S.IN_PROGRESS, S.REOPENED}),
        S.AWAITING_SIGN_OFF,
        OFFICE,
        (measures_done,),
    ),
    "return": Move(
        pgettext_lazy("move", "退回整改"),
        frozenset({S.AWAITING_SIGN_OFF}),
        S.IN_PROGRESS,
        SIGNERS,
        (needs_comment,),
    ),
    "sign_off": Move(
        pgettext_lazy("move", "销号"),
        frozenset({S.AWAITING_SIGN_OFF}),
        S.SIGNED_OFF,
        SIGNERS,
        (measures_done,),
    ),
    "carry_over": Move(
        pgettext_lazy("move", "转入长期整改"),
        frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.REOPENED}),
        S.LONG_TERM,
        OFFICE | {R.FIRST_RESPONSIBLE},
        (carry_over_filled,),
    ),
    "reopen": Move(
        pgettext_lazy("move", "重新整改"),
        frozenset({S.SIGNED_OFF, S.LONG_TERM}),
        S.REOPENED,
        frozenset({R.INSPECTION_OFFICE}),
        (needs_comment,),
    ),
}
