"""Facts computed from the ledger, never stored: overdue, the warning colour,
completion rates weighted as the office sets."""

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Q

from zhenggai.inspections.rules import Rules
from zhenggai.inspections.states import DONE_STATES


class Warning(StrEnum):
    """A measure's warning colour; the values are what templates and the API show."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    DONE = "done"


def is_overdue(deadline: dt.date | None, state: str, today: dt.date, bound: bool) -> bool:
    """Past its deadline and not done, under a plan that binds (``bound``: approved).

    A draft plan's deadlines bind no one yet: its measures are never overdue, in the
    ledger as in the office's cockpit."""
    return bound and deadline is not None and deadline < today and state not in DONE_STATES


def warning(deadline: dt.date | None, state: str, today: dt.date, rules: Rules) -> Warning:
    """Red when overdue or within the leader's tier, yellow within the person's, else green."""
    if state in DONE_STATES:
        return Warning.DONE
    if deadline is None:
        return Warning.GREEN
    left = (deadline - today).days
    if left <= rules.warn_leader_days:
        return Warning.RED
    return Warning.YELLOW if left <= rules.warn_person_days else Warning.GREEN


def overdue_q(today: dt.date, approved: Iterable[int] | None = None) -> Q:
    """``is_overdue`` as a filter on measures, for lists and totals. ``approved``, when
    the caller holds them, are the ids of the inspections whose plan is approved: the
    filter then needs no join to the inspection."""
    bound = (
        Q(inspection__plan_approved__isnull=False)
        if approved is None
        else Q(inspection_id__in=list(approved))
    )
    return Q(deadline__lt=today) & ~Q(state__in=DONE_STATES) & bound


def completion(weighted: Iterable[tuple[str, int]]) -> float:
    """Share of the weight of measures that are done, 0.0–1.0; states alone count nothing."""
    total = done = 0
    for state, weight in weighted:
        total += weight
        done += weight if state in DONE_STATES else 0
    return done / total if total else 0.0
