"""The cockpit's figures as tables and charts, each figure with the link to the list
it counts (the views are in ``cockpit``).

A figure counting one inspection's measures links to that inspection's ledger with
the filters that select them; a figure over several inspections (a round, a
department, a category, a type) links to the cockpit's own list of measures. The
tests follow every link and count what it lists.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from zhenggai.inspections.models import Inspection
from zhenggai.inspections.states import DONE_STATES, PlanState, State
from zhenggai.ledger import cockpit_selectors as cs

OPEN_STATES = tuple(s.value for s in State if s not in DONE_STATES)
DONE = tuple(s.value for s in DONE_STATES)
NO_ROUND = "none"  # the round filter's value for inspections registered without one


@dataclass
class Figures:
    """Everything the cockpit shows, read once (a fixed number of queries)."""

    today: dt.date
    rounds_offered: list[tuple[int, str]]
    round: str  # the round chosen ("" for all, NO_ROUND, or a round's id)
    rows: list[cs.InspectionRow]
    rounds: list[cs.RoundRow] = field(default_factory=list)
    departments: list[cs.Group] = field(default_factory=list)
    categories: list[cs.Group] = field(default_factory=list)
    types: list[cs.Group] = field(default_factory=list)
    burns: list[cs.Burn] = field(default_factory=list)
    weeks: list[cs.Week] = field(default_factory=list)


def _chosen(row: cs.InspectionRow, chosen: str) -> bool:
    if chosen == NO_ROUND:
        return row.round_id is None
    return not chosen or str(row.round_id) == chosen


def figures(inspections: QuerySet[Inspection], chosen: str, today: dt.date) -> Figures:
    everything = cs.inspection_rows(inspections)
    offered = sorted({(r.round_id, r.round or "") for r in everything if r.round_id is not None})
    rows = [row for row in everything if _chosen(row, chosen)]
    cs.count_inspections(rows, today)
    burns = cs.weekly(rows, today)
    return Figures(
        today=today,
        rounds_offered=sorted(offered, key=lambda pair: (pair[1], pair[0])),
        round=chosen,
        rows=rows,
        rounds=cs.by_round(rows),
        departments=cs.by_department(rows, today),
        categories=cs.by_category(rows, today),
        types=cs.by_type(rows, today),
        burns=burns,
        weeks=cs.total_weeks(burns, today),
    )


# --- Links ------------------------------------------------------------------------------


def _query(params: dict[str, Any]) -> str:
    given = {k: v for k, v in params.items() if v not in (None, "", ())}
    return "?" + urlencode(given, doseq=True) if given else ""


def ledger_url(inspection_id: int, **params: Any) -> str:
    return reverse("web:ledger", args=[inspection_id]) + _query(params)


def drill_url(f: Figures, **params: Any) -> str:
    """The cockpit's list of measures, within the round the cockpit shows."""
    return reverse("web:cockpit_measures") + _query({"round": f.round, **params})


@dataclass(frozen=True)
class Cell:
    value: Any
    url: str | None = None
    text: str | None = None  # how the page shows it, when not the value itself

    @property
    def shown(self) -> Any:
        return self.value if self.text is None else self.text


def figure(n: int, url: str) -> Cell:
    """A count, linked to its list; a zero links nowhere (there is nothing to list)."""
    return Cell(n, url if n else None)


def percent(rate: float) -> Cell:
    return Cell(round(rate * 100, 1), text=f"{round(rate * 100)}%")


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def _counted(counts: cs.Counts, link: Callable[..., str]) -> list[Cell]:
    """措施 / 已完成 / 未完成 / 逾期 / 完成率, each linked through ``link(**filters)``."""
    return [
        figure(counts.measures, link()),
        figure(counts.done, link(state=DONE)),
        figure(counts.open, link(state=OPEN_STATES)),
        figure(counts.overdue, link(overdue=1)),
        percent(counts.completion),
    ]


def _count_columns() -> list[str]:
    return [_("整改措施"), _("已完成"), _("未完成"), _("逾期"), _("完成率")]


def inspection_name(row: cs.InspectionRow) -> str:
    return " · ".join(part for part in (row.organisation, row.round or row.body) if part)


def inspections_table(f: Figures) -> Table:
    rows = []
    for row in f.rows:

        def link(row: cs.InspectionRow = row, **params: Any) -> str:
            return ledger_url(row.id, **params)

        rows.append(
            [
                Cell(row.organisation, ledger_url(row.id)),
                Cell(row.round or "—", _round_page(f, row.round_id)),
                Cell(row.body or row.title or "—"),
                Cell(str(PlanState(row.plan_state).label)),
                Cell(row.problems, ledger_url(row.id)),
                *_counted(row.counts, link),
            ]
        )
    columns = [_("单位"), _("轮次"), _("巡察组"), _("整改方案"), _("问题")]
    return Table("inspections", _("各巡察整改情况"), [*columns, *_count_columns()], rows)


def _round_page(f: Figures, round_id: int | None) -> str:
    return reverse("web:cockpit") + _query({"round": round_id or NO_ROUND})


def rounds_table(f: Figures) -> Table:
    rows = []
    for r in f.rounds:
        chosen = str(r.id) if r.id else NO_ROUND

        def link(chosen: str = chosen, **params: Any) -> str:
            return reverse("web:cockpit_measures") + _query({"round": chosen, **params})

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

        rows.append([Cell(g.name, link()), Cell(g.owner), *_counted(g.counts, link)])
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


def types_table(f: Figures) -> Table:
    rows = []
    for g in f.types:

        def link(key: str = g.key, **params: Any) -> str:
            return drill_url(f, type=key, **params)

        rows.append([Cell(g.name, link()), *_counted(g.counts, link)])
    return Table("types", _("按措施类型统计"), [_("措施类型"), *_count_columns()], rows)


def weeks_table(f: Figures) -> Table:
    rows = [[Cell(w.day), Cell(w.open), Cell(w.overdue)] for w in f.weeks]
    columns = [_("周末日期"), _("未完成措施"), _("逾期措施")]
    return Table("weeks", _("每周未完成和逾期措施"), columns, rows)


def burndown_table(f: Figures) -> Table:
    names = {r.id: r.name or _("（未列入轮次）") for r in f.rounds}
    burns = sorted(f.burns, key=lambda b: (b.round_id is None, names.get(b.round_id, "")))
    rows = [
        [Cell(week.day), *(Cell(b.weeks[k].open) for b in burns)] for k, week in enumerate(f.weeks)
    ]
    columns = [_("周末日期"), *(names.get(b.round_id, "") for b in burns)]
    return Table("burndown", _("各轮次未完成措施（燃尽图）"), columns, rows)


TABLES: dict[str, Callable[[Figures], Table]] = {
    "inspections": inspections_table,
    "rounds": rounds_table,
    "departments": departments_table,
    "categories": categories_table,
    "types": types_table,
    "weeks": weeks_table,
    "burndown": burndown_table,
}


def sheet_rows(table: Table) -> Sequence[Sequence[Any]]:
    return [[cell.value for cell in row] for row in table.rows]
