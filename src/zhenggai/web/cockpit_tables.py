"""The cockpit's figures as tables and charts, each figure with the link to the list
it counts (the views are in ``cockpit``).

A figure counting one inspection's measures links to that inspection's ledger with
the filters that select them; a figure over several inspections (a round, a
department, a category, a type) links to the cockpit's own list of measures. The
tests follow every link and count what it lists.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from zhenggai.inspections.models import Inspection
from zhenggai.inspections.states import DONE_STATES, PlanState, State
from zhenggai.ledger import cockpit_selectors as cs
from zhenggai.taxonomy.models import Topic

OPEN_STATES = tuple(s.value for s in State if s not in DONE_STATES)
DONE = tuple(s.value for s in DONE_STATES)
NO_ROUND = "none"  # the round filter's value for inspections registered without one


# What each part of the figures costs to read, read only when a table needs it.
PARTS = ("counts", "departments", "categories", "topics", "types", "weeks")


@dataclass
class Figures:
    """What the cockpit shows, read in a fixed number of queries: the inspections
    always, the other parts when asked for (an .xlsx of one table reads its part)."""

    today: dt.date
    rounds_offered: list[tuple[int, str]]
    round: str  # the round chosen ("" for all, NO_ROUND, or a round's id)
    rows: list[cs.InspectionRow]
    rounds: list[cs.RoundRow] = field(default_factory=list)
    departments: list[cs.Group] = field(default_factory=list)
    categories: list[cs.Group] = field(default_factory=list)
    topics: list[cs.Group] = field(default_factory=list)
    types: list[cs.Group] = field(default_factory=list)
    burns: list[cs.Burn] = field(default_factory=list)
    weeks: list[cs.Week] = field(default_factory=list)


def _chosen(row: cs.InspectionRow, chosen: str) -> bool:
    if chosen == NO_ROUND:
        return row.round_id is None
    return not chosen or str(row.round_id) == chosen


def figures(
    inspections: QuerySet[Inspection], chosen: str, today: dt.date, parts: Iterable[str] = PARTS
) -> Figures:
    everything = cs.inspection_rows(inspections)
    offered = sorted({(r.round_id, r.round or "") for r in everything if r.round_id is not None})
    rows = [row for row in everything if _chosen(row, chosen)]
    found = Figures(
        today=today,
        rounds_offered=sorted(offered, key=lambda pair: (pair[1], pair[0])),
        round=chosen,
        rows=rows,
    )
    wanted = set(parts)
    if "counts" in wanted:  # each inspection's figures, and the rounds' from them
        cs.count_inspections(rows, today)
        found.rounds = cs.by_round(rows)
    if "departments" in wanted:
        found.departments = cs.by_department(rows, today)
    if "categories" in wanted:
        found.categories = cs.by_category(rows, today)
    if "topics" in wanted:
        found.topics = _named_topics(cs.by_topic(rows, today))
    if "types" in wanted:
        found.types = cs.by_type(rows, today)
    if "weeks" in wanted:
        found.burns = cs.weekly(rows, today)
        found.weeks = cs.total_weeks(found.burns, today)
    return found


def _named_topics(groups: list[cs.Group]) -> list[cs.Group]:
    names = dict(Topic.objects.filter(pk__in=[g.key for g in groups]).values_list("pk", "name"))
    for g in groups:
        g.name = names.get(g.key, "")
    return groups


# --- Links ------------------------------------------------------------------------------


def _query(params: dict[str, Any]) -> str:
    given = {k: v for k, v in params.items() if v not in (None, "", ())}
    return "?" + urlencode(given, doseq=True) if given else ""


@cache
def _path(name: str) -> str:
    """A page's path, reversed once: a cockpit of 300 rows links thousands of figures."""
    return reverse(name)


def ledger_url(inspection_id: int, **params: Any) -> str:
    return reverse("web:ledger", args=[inspection_id]) + _query(params)


def drill_url(f: Figures, **params: Any) -> str:
    """The cockpit's list of measures, within the round the cockpit shows."""
    return _path("web:cockpit_measures") + _query({"round": f.round, **params})


Link = str | Callable[[], str] | None


@dataclass(frozen=True)
class Cell:
    value: Any
    link: Link = None  # a URL, or how to make it: only the cells shown need theirs
    text: str | None = None  # how the page shows it, when not the value itself

    @property
    def url(self) -> str | None:
        return self.link() if callable(self.link) else self.link

    @property
    def shown(self) -> Any:
        return self.value if self.text is None else self.text


def figure(n: int, link: Link) -> Cell:
    """A count, linked to its list; a zero links nowhere (there is nothing to list)."""
    return Cell(n, link if n else None)


def percent(rate: float) -> Cell:
    return Cell(round(rate * 100, 1), text=f"{round(rate * 100)}%")


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    total: int | None = None  # the rows of the whole table, when these are an excerpt

    @property
    def more(self) -> bool:
        return self.total is not None and self.total > len(self.rows)

    @property
    def labelled(self) -> list[list[tuple[str, Cell]]]:
        """Each cell with its column's name, which narrow screens show beside it."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    def value(self, row: list[Cell], column: str) -> Any:
        return row[self.columns.index(column)].value


TOP = 15  # the rows of a long table that the cockpit shows; its own page lists all


def _counted(counts: cs.Counts, link: Callable[..., str]) -> list[Cell]:
    """措施 / 已完成 / 未完成 / 逾期 / 完成率, each linked through ``link(**filters)``."""
    return [
        figure(counts.measures, partial(link)),
        figure(counts.done, partial(link, state=DONE)),
        figure(counts.open, partial(link, state=OPEN_STATES)),
        figure(counts.overdue, partial(link, overdue=1)),
        percent(counts.completion),
    ]


def _count_columns() -> list[str]:
    return [_("整改措施"), _("已完成"), _("未完成"), _("逾期"), _("完成率")]


def inspection_name(row: cs.InspectionRow) -> str:
    return " · ".join(part for part in (row.organisation, row.round or row.body) if part)


def inspections_table(f: Figures) -> Table:
    rows = []
    for row in f.rows:
        ledger = ledger_url(row.id)

        def link(ledger: str = ledger, **params: Any) -> str:
            return ledger + _query(params)

        rows.append(
            [
                Cell(row.organisation, ledger),
                Cell(row.round or "—", _round_page(f, row.round_id)),
                Cell(row.body or row.title or "—"),
                Cell(str(PlanState(row.plan_state).label)),
                Cell(row.problems, ledger),
                *_counted(row.counts, link),
            ]
        )
    columns = [_("单位"), _("轮次"), _("巡察组"), _("整改方案"), _("问题")]
    return Table("inspections", _("各巡察整改情况"), [*columns, *_count_columns()], rows)


def _round_page(f: Figures, round_id: int | None) -> str:
    return _path("web:cockpit") + _query({"round": round_id or NO_ROUND})


def rounds_table(f: Figures) -> Table:
    rows = []
    for r in f.rounds:
        chosen = str(r.id) if r.id else NO_ROUND

        def link(chosen: str = chosen, **params: Any) -> str:
            return _path("web:cockpit_measures") + _query({"round": chosen, **params})

        rows.append(
            [
                Cell(r.name or _("（未列入轮次）"), _round_page(f, r.id)),
                Cell(r.inspections, _round_page(f, r.id)),
                Cell(r.problems),
                *_counted(r.counts, link),
            ]
        )
    columns = [_("轮次"), _("被巡察单位"), _("问题")]
    return Table("rounds", _("按轮次统计"), [*columns, *_count_columns()], rows)


def departments_table(f: Figures) -> Table:
    rows = []
    for g in f.departments:

        def link(key: int = g.key, **params: Any) -> str:
            return drill_url(f, department=key, **params)

        rows.append([Cell(g.name, partial(link)), Cell(g.owner), *_counted(g.counts, link)])
    columns = [_("责任部门"), _("单位")]
    return Table("departments", _("按责任部门统计"), [*columns, *_count_columns()], rows)


def categories_table(f: Figures) -> Table:
    rows = []
    for g in f.categories:

        def link(key: str = g.key, **params: Any) -> str:
            return drill_url(f, category=key, **params)

        # An untitled category cannot be named in a link: its figures stand unlinked.
        cells = _counted(g.counts, link)
        if not g.key:
            cells = [Cell(c.value, text=c.text) for c in cells]
        rows.append([Cell(g.name or _("（未分类）")), Cell(g.problems), *cells])
    columns = [_("问题类别"), _("问题")]
    return Table("categories", _("按问题类别统计"), [*columns, *_count_columns()], rows)


def topics_table(f: Figures) -> Table:
    rows = []
    for g in f.topics:

        def link(key: int = g.key, **params: Any) -> str:
            return drill_url(f, topic=key, **params)

        # Problems not classified yet cannot be named in a link: their figures stand unlinked.
        cells = _counted(g.counts, link)
        if g.key is None:
            cells = [Cell(c.value, text=c.text) for c in cells]
        rows.append([Cell(g.name or _("（未分类）")), Cell(g.problems), *cells])
    columns = [_("问题分类"), _("问题")]
    return Table("topics", _("按问题分类统计"), [*columns, *_count_columns()], rows)


def types_table(f: Figures) -> Table:
    rows = []
    for g in f.types:

        def link(key: str = g.key, **params: Any) -> str:
            return drill_url(f, type=key, **params)

        rows.append([Cell(g.name, partial(link)), *_counted(g.counts, link)])
    return Table("types", _("按措施类型统计"), [_("措施类型"), *_count_columns()], rows)


def weeks_table(f: Figures) -> Table:
    rows = [[Cell(w.day), Cell(w.open), Cell(w.overdue)] for w in f.weeks]
    columns = [_("周末日期"), _("未完成措施"), _("逾期措施")]
    return Table("weeks", _("每周未完成和逾期措施"), columns, rows)


def burndown_table(f: Figures) -> Table:
    names = {r.round_id: r.round or _("（未列入轮次）") for r in f.rows}
    burns = sorted(f.burns, key=lambda b: (b.round_id is None, names.get(b.round_id, "")))
    rows = [
        [Cell(week.day), *(Cell(b.weeks[k].open) for b in burns)] for k, week in enumerate(f.weeks)
    ]
    columns = [_("周末日期"), *(names.get(b.round_id, "") for b in burns)]
    return Table("burndown", _("各轮次未完成措施（燃尽图）"), columns, rows)


@dataclass(frozen=True)
class Kind:
    """A table of the cockpit: how it is built and the parts of the figures it reads."""

    build: Callable[[Figures], Table]
    parts: tuple[str, ...] = ()


TABLES: dict[str, Kind] = {
    "inspections": Kind(inspections_table, ("counts",)),
    "rounds": Kind(rounds_table, ("counts",)),
    "departments": Kind(departments_table, ("departments",)),
    "categories": Kind(categories_table, ("categories",)),
    "topics": Kind(topics_table, ("topics",)),
    "types": Kind(types_table, ("types",)),
    "weeks": Kind(weeks_table, ("weeks",)),
    "burndown": Kind(burndown_table, ("weeks",)),
}


def worst(row: cs.InspectionRow) -> tuple[Any, ...]:
    """The cockpit's order of concern: most overdue, then least complete."""
    return (-row.counts.overdue, row.counts.completion, row.organisation, row.id)


def inspections_excerpt(
    f: Figures, key: Callable[[cs.InspectionRow], Any], title: str | None = None
) -> tuple[list[cs.InspectionRow], Table]:
    """The first TOP inspections by ``key``, as rows and as their table."""
    rows = sorted(f.rows, key=key)[:TOP]
    table = inspections_table(replace(f, rows=rows))
    return rows, replace(table, title=title or table.title, total=len(f.rows))


# The cockpit's sections after its first: each loads on its own (``cockpit.section``),
# reading only the parts its tables need, so the page answers before the slow ones.
SECTIONS: dict[str, tuple[str, ...]] = {
    "departments": ("departments",),
    "categories": ("categories", "topics"),
    "types": ("types",),
    "trend": ("weeks", "burndown"),
}
FIRST = ("inspections", "rounds")  # the page's own tables
LONG = ("departments", "categories", "topics")  # cut to TOP rows on the cockpit


def parts_of(slugs: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({part for slug in slugs for part in TABLES[slug].parts}))


def shown_tables(f: Figures, slugs: Iterable[str]) -> dict[str, Table]:
    """The tables the cockpit shows: the long ones cut to their first TOP rows (the
    worst inspections, the departments most overdue, the largest categories and
    topics), each knowing its length; its own page (``cockpit.table``) lists all."""
    shown = replace(f, **{name: getattr(f, name)[:TOP] for name in LONG})
    tables = {}
    for slug in slugs:
        if slug == "inspections":
            tables[slug] = inspections_excerpt(f, worst)[1]
            continue
        tables[slug] = TABLES[slug].build(shown)
        if slug in LONG:
            tables[slug] = replace(tables[slug], total=len(getattr(f, slug)))
    return tables


def sheet_rows(table: Table) -> Sequence[Sequence[Any]]:
    return [[cell.value for cell in row] for row in table.rows]
