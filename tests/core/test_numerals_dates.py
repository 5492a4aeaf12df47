"""Numerals and dates in the forms documents write them."""

import datetime as dt

import pytest

from zhenggai.core.dates import lost_separators, read_date, read_period
from zhenggai.core.numerals import cn_to_int, figure, int_to_cn


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("五", 5),
        ("十七", 17),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("两千", 2000),
        ("三万二千", 32000),
        ("17", 17),
        ("１７", 17),
        ("**", None),
        ("*", None),
        ("二五", None),
        ("", None),
    ],
)
def test_figures(text: str, value: int | None) -> None:
    assert figure(text) == value


def test_chinese_numerals_round_trip() -> None:
    for number in range(1, 200):
        assert cn_to_int(int_to_cn(number)) == number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025年2月24日", dt.date(2025, 2, 24)),
        ("2019-12-27 15:24", dt.date(2019, 12, 27)),
        ("20191227", dt.date(2019, 12, 27)),
        ("2019722日", dt.date(2019, 7, 22)),
        ("****年*月**日", None),
        ("2025年2月30日", None),
        ("2025年12月31日前。", dt.date(2025, 12, 31)),
    ],
)
def test_dates(text: str, value: dt.date | None) -> None:
    assert read_date(text) == value


def test_digits_that_allow_two_dates_are_not_guessed() -> None:
    assert lost_separators("2019111") is None
    assert lost_separators("2019226") == dt.date(2019, 2, 26)


def test_a_period_that_crosses_the_new_year() -> None:
    found = read_period("2024年12月26日至1月26日")
    assert found is not None
    assert (found[0].start, found[0].end) == (dt.date(2024, 12, 26), dt.date(2025, 1, 26))
