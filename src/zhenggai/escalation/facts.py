"""What the ledger says of each inspection, as the warning list and the letters
read it: the plan's and the report's due dates and how late they are, and the
measures in each warning tier and overdue, with which and since when.

- The plan is late when no plan has been approved by its due date.
- The report is late when the organisation has not reported by its due date
  (``Inspection.report_submitted``, escalation/reports.py).
- A draft plan's measures count in no tier and are never overdue: its deadlines
  bind no one yet (``ledger.derived.is_overdue``).

Three queries for any number of inspections.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count

from zhenggai.inspections.models import Inspection
from zhenggai.inspections.rules import DueDates, Rules, due_dates, rules_by_inspection
from zhenggai.ledger import derived
from zhenggai.ledger.models import Measure


@dataclass(frozen=True)
class Late:
    """One measure past its deadline: since the day after it."""

    measure_id: int
    text: str
    deadline: dt.date
    days: int


@dataclass
class Facts:
    inspection: Inspection
    due: DueDates | None
    plan_late: int | None = None  # days since the plan's due date, when late
    report_late: int | None = None
    plan_due_in: int | None = None  # days left before it, while it is still to come
    report_due_in: int | None = None
    tiers: Counter[str] = field(default_factory=Counter)  # derived.Warning → measures
    late: list[Late] = field(default_factory=list)  # most days late first (when named)
    late_count: int = 0

    @property
    def warned(self) -> bool:
        """Anything for the office to see on the warning list."""
        red = self.tiers[derived.Warning.RED] + self.tiers[derived.Warning.YELLOW]
        return bool(self.plan_late is not None or self.report_late is not None or red)


def _dates(facts: Facts, today: dt.date) -> None:
    if facts.due is None:
        return
    if facts.inspection.plan_approved is None:
        left = (facts.due.plan - today).days
        facts.plan_late, facts.plan_due_in = (-left, None) if left < 0 else (None, left)
    if facts.inspection.report_submitted is None:
        left = (facts.due.report - today).days
        facts.report_late, facts.report_due_in = (-left, None) if left < 0 else (None, left)


def facts_of(
    inspections: Sequence[Inspection], today: dt.date, *, naming: bool = True
) -> dict[int, Facts]:
    """The facts of each inspection (given with their organisations loaded).

    ``naming``: also which measures are late, with their text (a letter names them);
    without it only how many (the warning list), counted by the database per
    inspection, so that a list of hundreds of organisations reads no measure."""
    ids = [i.pk for i in inspections]
    rules = rules_by_inspection(ids)
    found = {i.pk: Facts(i, due_dates(i.feedback_date, rules[i.pk])) for i in inspections}
    for facts in found.values():
        _dates(facts, today)
    approved = [i.pk for i in inspections if i.plan_approved is not None]
    if not naming:
        _counted(found, approved, today, rules)
        return found
    measures = Measure.objects.filter(inspection_id__in=approved)
    for m in measures.order_by("deadline", "position").only(
        "pk", "inspection_id", "text", "deadline", "state"
    ):
        facts = found[m.inspection_id]
        facts.tiers[derived.warning(m.deadline, m.state, today, rules[m.inspection_id])] += 1
        if derived.is_overdue(m.deadline, m.state, today, True):  # approved plans only
            assert m.deadline is not None
            facts.late_count += 1
            facts.late.append(Late(m.pk, m.text, m.deadline, (today - m.deadline).days))
    return found


def _counted(
    found: dict[int, Facts], approved: list[int], today: dt.date, rules: dict[int, Rules]
) -> None:
    """Tiers and overdue counted in the database: one query per set of warning days
    in force (an office's, and a round's that sets its own)."""
    by_rules: dict[Rules, list[int]] = defaultdict(list)
    for pk in approved:
        by_rules[rules[pk]].append(pk)
    for rule, ids in by_rules.items():
        tiers = derived.tier_q(today, rule)
        counts = {str(colour): Count("pk", filter=q) for colour, q in tiers.items()}
        rows = (
            Measure.objects.filter(inspection_id__in=ids)
            .values("inspection_id")
            .annotate(late=Count("pk", filter=derived.overdue_q(today, ids)), **counts)
            .order_by()
        )
        for row in rows:
            facts = found[row["inspection_id"]]
            facts.late_count = row["late"]
            facts.tiers.update({colour: row[str(colour)] for colour in tiers})
