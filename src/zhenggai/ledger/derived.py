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


def tier_q(today: dt.date, rules: Rules) -> dict[Warning, Q]:
    """``warning`` as filters on measures, one per colour, for counts in the database."""
    red_until = today + dt.timedelta(days=rules.warn_leader_days)
    yellow_until = today + dt.timedelta(days=rules.warn_person_days)
    still_open = ~Q(state__in=DONE_STATES)
    return {
        Warning.DONE: Q(state__in=DONE_STATES),
        Warning.RED: still_open & Q(deadline__lte=red_until),
        Warning.YELLOW: still_open & Q(deadline__gt=red_until, deadline__lte=yellow_until),
        Warning.GREEN: still_open & (Q(deadline__isnull=True) | Q(deadline__gt=yellow_until)),
    }


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
