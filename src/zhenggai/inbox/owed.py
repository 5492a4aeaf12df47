"""Who is owed a reminder about what, read from the ledger as it stands.

- A responsible person, for each measure they carry that is still being worked on
  (not done, not already awaiting sign-off) whose deadline is in their office's
  yellow or red tier (``derived.warning``) or has passed.
- A responsible leader or first responsible person, for each measure and problem
  awaiting their sign-off, and for each overdue measure they answer for: the
  people who would sign it off (its named leader, the unit's leaders when none is
  named, and the first responsible person, to whom the office's rules send what
  is late).
- The rectification office, for each measure with evidence awaiting review.

Six queries for the whole ledger (``owed``), whatever its size: the memberships,
the offices' rules, the rounds' widest tier, and the measures, problems and evidence that wait on someone.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from zhenggai.inbox.models import PRIORITY, Kind
from zhenggai.inspections.models import Round
from zhenggai.inspections.rules import Rules, combine
from zhenggai.inspections.states import State
from zhenggai.ledger import derived, worklists
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import OfficeSettings

MEASURE, PROBLEM = "measure", "problem"
SHOWN_CHARS = 60  # of a measure's text or a problem's title, in a message
# A measure in these states is still in its responsible person's hands.
BEING_WORKED = {State.NOT_STARTED, State.IN_PROGRESS, State.REOPENED}

Key = tuple[int, str, int]  # recipient id, item type, item id


@dataclass(frozen=True)
class Due:
    """One reminder the ledger asks for: to whom, about which item, why, and its words."""

    recipient_id: int
    item_type: str
    item_id: int
    kind: str
    text: str
    link: str

    @property
    def key(self) -> Key:
        return (self.recipient_id, self.item_type, self.item_id)


class _Owed:
    """What is owed so far, keeping for each person and item the most pressing reason."""

    def __init__(self) -> None:
        self.found: dict[Key, Due] = {}

    def add(self, users: Iterable[int], item_type: str, item_id: int, kind: str, text: str) -> None:
        page = "web:measure" if item_type == MEASURE else "web:problem"
        link = reverse(page, args=[item_id])
        for user_id in users:
            due = Due(user_id, item_type, item_id, kind, text, link)
            known = self.found.get(due.key)
            if known is None or PRIORITY.index(Kind(kind)) < PRIORITY.index(Kind(known.kind)):
                self.found[due.key] = due


def _item(text: str | None) -> str:
    return Truncator(text or _("（无标题）")).chars(SHOWN_CHARS)


def _words(measure: Measure, today: dt.date) -> dict[str, object]:
    assert measure.deadline is not None
    return {
        "item": _item(measure.text),
        "deadline": measure.deadline.isoformat(),
        "days": abs((measure.deadline - today).days),
    }


def _carrier_text(kind: str, measure: Measure, today: dt.date) -> str:
    words = _words(measure, today)
    if kind == Kind.OVERDUE:
        return (
            _(
                "您负责的整改措施「%(item)s」已逾期 %(days)s 天（整改时限 %(deadline)s），请尽快完成整改。"
            )
            % words
        )
    if kind == Kind.URGENT:
        return (
            _(
                "您负责的整改措施「%(item)s」距整改时限（%(deadline)s）仅剩 %(days)s 天，请抓紧整改。"
            )
            % words
        )
    return _("您负责的整改措施「%(item)s」距整改时限（%(deadline)s）还有 %(days)s 天。") % words


def _overdue(measure: Measure, today: dt.date) -> bool:
    bound = measure.inspection.plan_approved is not None
    return derived.is_overdue(measure.deadline, measure.state, today, bound)


def _carrier_kind(measure: Measure, today: dt.date, rules: Rules) -> str | None:
    if measure.state not in BEING_WORKED:
        return None
    if _overdue(measure, today):
        return Kind.OVERDUE
    warning = derived.warning(measure.deadline, measure.state, today, rules)
    return {derived.Warning.RED: Kind.URGENT, derived.Warning.YELLOW: Kind.DUE_SOON}.get(warning)


def _office_rules() -> dict[int | None, OfficeSettings]:
    """Every office's rules (a handful of rows); the defaults for an office without."""
    return defaultdict(OfficeSettings, {r.office_id: r for r in OfficeSettings.objects.all()})


def _widest(offices: dict[int | None, OfficeSettings]) -> int:
    """The most days ahead any office or round warns (a round may warn earlier than
    its office): how far ahead the measures are read."""
    rounds: int = Round.objects.aggregate(most=Max("warn_person_days"))["most"] or 0
    default = OfficeSettings().warn_person_days
    return max([r.warn_person_days for r in offices.values()] + [default, rounds])


def _measures(owed: _Owed, staff: worklists.Staff, today: dt.date) -> None:
    offices = _office_rules()
    for m in worklists.measures_needing_action(today + dt.timedelta(days=_widest(offices))):
        # The rules in force for the measure's inspection (inspections/rules.py).
        rules = combine(offices[m.inspection.organisation.parent_id], m.inspection.round)
        if m.state == State.AWAITING_SIGN_OFF:
            text = _("整改措施「%(item)s」已申请销号，等待您审核销号。") % {"item": _item(m.text)}
            owed.add(staff.signers(m), MEASURE, m.pk, Kind.SIGN_OFF, text)
        kind = _carrier_kind(m, today, rules)
        if kind is not None:
            owed.add(staff.carriers(m), MEASURE, m.pk, kind, _carrier_text(kind, m, today))
        if _overdue(m, today):
            text = _(
                "整改措施「%(item)s」已逾期 %(days)s 天（整改时限 %(deadline)s），请督促整改。"
            ) % _words(m, today)
            owed.add(staff.signers(m), MEASURE, m.pk, Kind.OVERDUE, text)


def _problems(owed: _Owed, staff: worklists.Staff) -> None:
    for p in worklists.all_problems_awaiting_sign_off():
        text = _("问题「%(item)s」的整改措施已全部完成，等待您销号。") % {"item": _item(p.title)}
        owed.add(staff.problem_signers(p), PROBLEM, p.pk, Kind.SIGN_OFF, text)


def _evidence(owed: _Owed, staff: worklists.Staff) -> None:
    for m in worklists.pending_evidence_by_measure():
        words = {"item": _item(m.text), "count": m.pending}
        text = _("整改措施「%(item)s」有 %(count)s 份佐证材料待审核。") % words
        owed.add(staff.office(m.inspection.organisation_id), MEASURE, m.pk, Kind.EVIDENCE, text)


def owed(today: dt.date) -> dict[Key, Due]:
    """Every reminder the ledger asks for today, one per person and item."""
    staff = worklists.Staff.load()
    found = _Owed()
    _measures(found, staff, today)
    _problems(found, staff)
    _evidence(found, staff)
    return found.found
