"""Dates as Chinese documents write them, including the damaged forms.

Copy-and-paste from web pages often drops 年 and 月 (``2019722日`` for
2019年7月22日, ``20191227``); such digits are read only when exactly one
split gives a real date. Masked dates (``****年*月**日``) are unknown and
stay ``None``: a date is never guessed.
"""

import datetime as dt
import re

from zhenggai.core.model import Period

_Y = r"(?:\d{4}|\*{2,4})"
_M = r"(?:\d{1,2}|\*{1,2})"
_D = r"(?:\d{1,2}|\*{1,2})"

# One alternation for every written form; group names tell which matched.
DATE = (
    rf"(?:(?P<y>{_Y})\s*年\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]"
    rf"|(?P<iy>\d{{4}})[-./](?P<im>\d{{1,2}})[-./](?P<id>\d{{1,2}})(?!\d)"
    rf"|(?P<lost>(?<!\d)\d{{7,8}})(?!\d)日?"
    rf"|(?P<bm>{_M})\s*月\s*(?P<bd>{_D})\s*[日号])"
)
DATE_RE = re.compile(DATE)
# The same forms without group names, for embedding in larger patterns.
DATE_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", DATE)
_RANGE_RE = re.compile(
    rf"(?P<a>{DATE.replace('?P<', '?P<a_')})\s*(?:至|到|—|－|-|~|～)\s*"
    rf"(?P<b>{DATE.replace('?P<', '?P<b_')}|(?P<b_day>\d{{1,2}})\s*日)"
)


def _make(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _num(text: str | None) -> int | None:
    return int(text) if text and text.isdecimal() else None


def lost_separators(digits: str) -> dt.date | None:
    """``2019722`` → 2019-07-22; ``2019111`` (1-11 or 11-1) → ``None``."""
    year = int(digits[:4])
    if not 1949 <= year <= 2100:
        return None
    rest = digits[4:]
    found = set()
    for cut in range(1, len(rest)):
        month, day = rest[:cut], rest[cut:]
        if len(month) <= 2 and len(day) <= 2:
            value = _make(year, int(month), int(day))
            if value is not None:
                found.add(value)
    return found.pop() if len(found) == 1 else None


def _from_groups(groups: dict[str, str | None], prefix: str, year: int | None) -> dt.date | None:
    def g(name: str) -> str | None:
        return groups.get(prefix + name)

    if g("y") is not None:
        return _make(_num(g("y")), _num(g("m")), _num(g("d")))
    if g("iy") is not None:
        return _make(_num(g("iy")), _num(g("im")), _num(g("id")))
    lost = g("lost")
    if lost is not None:
        return lost_separators(lost)
    if g("bm") is not None:
        return _make(year, _num(g("bm")), _num(g("bd")))
    return None


def read_date(text: str, year: int | None = None) -> dt.date | None:
    """The first date written in ``text``; ``year`` fills a date written without one."""
    match = DATE_RE.search(text)
    return _from_groups(match.groupdict(), "", year) if match else None


def _year_of(groups: dict[str, str | None], prefix: str) -> int | None:
    return (
        _num(groups.get(prefix + "y"))
        or _num(groups.get(prefix + "iy"))
        or (_num((groups.get(prefix + "lost") or "")[:4]))
    )


def read_period(text: str) -> tuple[Period, int, int] | None:
    """The first ``A至B`` range in ``text``, with where it was found.

    B inherits the year (and for ``12月19日至26日`` the month) of A.
    """
    match = _RANGE_RE.search(text)
    if match is None:
        return None
    groups = match.groupdict()
    start = _from_groups(groups, "a_", None)
    year = _year_of(groups, "a_")
    if groups.get("b_day") is not None:
        end = _make(year, start.month, _num(groups["b_day"])) if start else None
    else:
        end = _from_groups(groups, "b_", year)
        if end is not None and start is not None and end < start and groups.get("b_bm"):
            # 12月26日至1月26日: the end falls in the next year
            end = _make(start.year + 1, end.month, end.day)
    return Period(start, end), match.start(), match.end()
