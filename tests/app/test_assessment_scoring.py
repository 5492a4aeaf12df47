"""The scoring of an assessment (zhenggai/core/assessment.py), without a database:
each deduction and its cap, the veto of false statements, each grade's boundary."""

from decimal import Decimal

import pytest

from zhenggai.core.assessment import (
    Counts,
    Grade,
    Indicator,
    Kind,
    Rules,
    Source,
    computed,
    grade,
    score,
)

RULES = Rules(
    indicators=(
        Indicator("组织领导", 20),
        Indicator("整改完成", 40, Source.MEASURES),
        Indicator("整改质量", 25),
        Indicator("群众满意度", 15),
    ),
    overdue_each=Decimal(2),
    overdue_cap=Decimal(10),
    relapse_each=Decimal(5),
    relapse_cap=Decimal(15),
    false_limit=2,
    good=90,
    fairly_good=80,
    fair=60,
)
FULL = {0: Decimal(20), 1: Decimal(40), 2: Decimal(25), 3: Decimal(15)}


def test_full_marks_and_nothing_taken_is_100_and_good() -> None:
    result = score(RULES, FULL, Counts())
    assert result.total == Decimal("100.0")
    assert result.deductions == ()
    assert result.grade == Grade.GOOD


def test_each_overdue_measure_takes_its_points() -> None:
    result = score(RULES, FULL, Counts(overdue=3))
    [taken] = result.deductions
    assert (taken.kind, taken.count, taken.points, taken.capped) == (
        Kind.OVERDUE,
        3,
        Decimal("6.0"),
        False,
    )
    assert result.total == Decimal("94.0")
    assert "逾期未完成整改措施 3 项" in taken.explain()


def test_overdue_deductions_stop_at_their_cap() -> None:
    result = score(RULES, FULL, Counts(overdue=50))
    [taken] = result.deductions
    assert taken.points == Decimal("10.0") and taken.capped
    assert result.total == Decimal("90.0")
    assert "已达扣分上限" in taken.explain()


def test_each_relapse_takes_its_points_up_to_the_cap() -> None:
    assert score(RULES, FULL, Counts(relapses=2)).total == Decimal("90.0")
    capped = score(RULES, FULL, Counts(relapses=4))
    assert capped.total == Decimal("85.0") and capped.deductions[0].capped


def test_deductions_add_up_and_never_go_below_zero() -> None:
    both = score(RULES, FULL, Counts(overdue=2, relapses=1))
    assert both.total == Decimal("91.0")
    nothing = {0: Decimal(0), 1: Decimal(5), 2: Decimal(0), 3: Decimal(0)}
    assert score(RULES, nothing, Counts(overdue=50, relapses=50)).total == Decimal("0.0")


def test_false_statements_at_the_limit_make_the_total_zero() -> None:
    below = score(RULES, FULL, Counts(false_statements=1))
    assert below.total == Decimal("100.0") and below.deductions == ()
    at = score(RULES, FULL, Counts(false_statements=2))
    assert at.total == Decimal("0.0") and at.grade == Grade.POOR
    assert [d.kind for d in at.deductions] == [Kind.FALSE_STATEMENTS]
    assert "总分计 0 分" in at.deductions[0].explain()
    assert score(RULES, FULL, Counts(false_statements=5)).total == Decimal("0.0")


def test_a_value_stays_within_its_indicator_s_weight() -> None:
    result = score(RULES, {0: Decimal(99), 1: Decimal(-3)}, Counts())
    assert result.scores == (Decimal("20.0"), Decimal("0.0"), Decimal("0.0"), Decimal("0.0"))


def test_a_computed_indicator_is_its_weight_times_the_share_done() -> None:
    assert computed(RULES.indicators[1], 0.875) == Decimal("35.0")
    assert computed(RULES.indicators[1], 1 / 3) == Decimal("13.3")
    assert computed(RULES.indicators[1], 1.5) == Decimal("40.0")


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", Grade.GOOD),
        ("90.0", Grade.GOOD),
        ("89.9", Grade.FAIRLY_GOOD),
        ("80.0", Grade.FAIRLY_GOOD),
        ("79.9", Grade.FAIR),
        ("60.0", Grade.FAIR),
        ("59.9", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_each_grade_boundary(total: str, expected: Grade) -> None:
    assert grade(Decimal(total), RULES) == expected
