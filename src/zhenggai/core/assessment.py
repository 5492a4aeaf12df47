"""Scoring an organisation's rectification (整改评估): indicators with weights,
deductions with their caps, and the grade by thresholds. Framework-free: the
assessment app keeps the scheme and the values, this module only counts.

The shape follows the assessment schemes offices publish for 巡察整改评估: a
100-point total over a few indicators, points taken off per overdue measure and
per relapse found by 回头看, and a veto (一票否决) when the organisation has
made false statements (虚报瞒报) often enough.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

POINT = Decimal("0.1")


class Source(StrEnum):
    """Where an indicator's value comes from."""

    ENTERED = "entered"  # entered by the office with its evidence
    MEASURES = "measures"  # share of the measures' weight done (the ledger's completion)
    PROBLEMS = "problems"  # share of the top-level problems done


class Grade(StrEnum):
    GOOD = "好"
    FAIRLY_GOOD = "较好"
    FAIR = "一般"
    POOR = "差"


# A fair or poor grade means rectifying again.
REDO = frozenset({Grade.FAIR, Grade.POOR})


class Kind(StrEnum):
    OVERDUE = "overdue"
    RELAPSE = "relapse"
    FALSE_STATEMENTS = "false_statements"


@dataclass(frozen=True)
class Indicator:
    name: str
    weight: int
    source: Source = Source.ENTERED


@dataclass(frozen=True)
class Rules:
    """A scheme as the scoring reads it."""

    indicators: tuple[Indicator, ...]
    overdue_each: Decimal
    overdue_cap: Decimal
    relapse_each: Decimal
    relapse_cap: Decimal
    false_limit: int  # this many false statements or more: the total is 0
    good: int
    fairly_good: int
    fair: int


@dataclass(frozen=True)
class Counts:
    overdue: int = 0
    relapses: int = 0
    false_statements: int = 0


@dataclass(frozen=True)
class Deduction:
    """Points taken off, and why: ``capped`` when the cap held them back."""

    kind: Kind
    count: int
    each: Decimal
    points: Decimal
    capped: bool = False

    def explain(self) -> str:
        """The deduction in the words of the report (Chinese: the document's language)."""
        if self.kind == Kind.FALSE_STATEMENTS:
            return f"虚报瞒报 {self.count} 次，达到否决次数，总分计 0 分"
        what = "逾期未完成整改措施" if self.kind == Kind.OVERDUE else "回头看发现问题反弹"
        text = f"{what} {self.count} 项，每项扣 {self.each} 分，扣 {self.points} 分"
        return text + "（已达扣分上限）" if self.capped else text


@dataclass(frozen=True)
class Result:
    scores: tuple[Decimal, ...]  # by indicator, in the scheme's order
    subtotal: Decimal
    deductions: tuple[Deduction, ...]
    total: Decimal
    grade: Grade


def points(value: Decimal | float) -> Decimal:
    """Points to one decimal place, halves up, as offices round scores."""
    return Decimal(str(value)).quantize(POINT, rounding=ROUND_HALF_UP)


def computed(indicator: Indicator, share: float) -> Decimal:
    """A computed indicator's score: its weight times the share done (0.0–1.0)."""
    return points(Decimal(indicator.weight) * Decimal(str(max(0.0, min(1.0, share)))))


def grade(total: Decimal, rules: Rules) -> Grade:
    """好 at or above ``good``, 较好 at or above ``fairly_good``, 一般 at or above ``fair``."""
    if total >= rules.good:
        return Grade.GOOD
    if total >= rules.fairly_good:
        return Grade.FAIRLY_GOOD
    return Grade.FAIR if total >= rules.fair else Grade.POOR


def _capped(kind: Kind, count: int, each: Decimal, cap: Decimal) -> Deduction | None:
    if count <= 0 or each <= 0:
        return None
    taken = each * count
    return Deduction(kind, count, each, points(min(taken, cap)), capped=taken > cap)


def deductions(counts: Counts, rules: Rules) -> tuple[Deduction, ...]:
    """Each deduction that applies, the veto last."""
    found = [
        _capped(Kind.OVERDUE, counts.overdue, rules.overdue_each, rules.overdue_cap),
        _capped(Kind.RELAPSE, counts.relapses, rules.relapse_each, rules.relapse_cap),
    ]
    if counts.false_statements >= rules.false_limit:
        found.append(
            Deduction(Kind.FALSE_STATEMENTS, counts.false_statements, Decimal(0), Decimal(0))
        )
    return tuple(d for d in found if d is not None)


def score(rules: Rules, values: Mapping[int, Decimal], counts: Counts) -> Result:
    """The total and grade of an assessment.

    1. Each indicator scores its value (by position in ``rules.indicators``), kept
       within 0 and its weight;
    2. the deductions are taken from their sum, never below 0;
    3. the veto (false statements at or above the limit) makes the total 0.
    """
    scores = tuple(
        points(min(max(values.get(i, Decimal(0)), Decimal(0)), Decimal(indicator.weight)))
        for i, indicator in enumerate(rules.indicators)
    )
    subtotal = sum(scores, Decimal(0))
    taken = deductions(counts, rules)
    vetoed = any(d.kind == Kind.FALSE_STATEMENTS for d in taken)
    off = sum((d.points for d in taken if d.kind != Kind.FALSE_STATEMENTS), Decimal(0))
    total = Decimal("0.0") if vetoed else points(max(subtotal - off, Decimal(0)))
    return Result(scores, points(subtotal), taken, total, grade(total, rules))
