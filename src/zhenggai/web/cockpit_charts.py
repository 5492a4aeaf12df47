"""The cockpit's charts: what static/web/cockpit.js draws, as JSON data islands.

Each chart names the table shown beside it (for screen readers, and its .xlsx), and
carries per bar the URL of the list that bar counts, so a click drills down there.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from zhenggai.ledger import cockpit_selectors as cs
from zhenggai.web import cockpit_tables as ct


class Series(TypedDict):
    name: str
    data: list[float]
    urls: list[str | None]


class Spec(TypedDict):
    kind: str  # "bar" or "line"
    horizontal: bool
    percent: bool
    categories: list[str]
    series: list[Series]


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    spec: Spec
    table: ct.Table

    @property
    def island(self) -> str:
        return f"chart-{self.slug}-data"


def _series(name: str, cells: list[ct.Cell]) -> Series:
    return {"name": name, "data": [c.value for c in cells], "urls": [c.url for c in cells]}


def _spec(kind: str, categories: list[str], *series: Series, **flags: bool) -> Spec:
    return {
        "kind": kind,
        "horizontal": flags.get("horizontal", False),
        "percent": flags.get("percent", False),
        "categories": categories,
        "series": list(series),
    }


def _column(table: ct.Table, rows: list[list[ct.Cell]], name: str) -> list[ct.Cell]:
    index = table.columns.index(name)
    return [row[index] for row in rows]


def completion(f: ct.Figures) -> Chart:
    def rate(row: cs.InspectionRow) -> tuple[Any, ...]:
        return (row.counts.completion, *ct.worst(row))

    title = _("完成率最低的单位")
    rows, table = ct.inspections_excerpt(f, rate, title)
    rates = [
        ct.Cell(c.value, row[0].url)
        for c, row in zip(_column(table, table.rows, _("完成率")), table.rows, strict=True)
    ]
    names = [ct.inspection_name(r) for r in rows]
    spec = _spec("bar", names, _series(_("完成率"), rates), horizontal=True, percent=True)
    return Chart("completion", title, spec, table)


def overdue_by_organisation(f: ct.Figures) -> Chart:
    title = _("逾期措施最多的单位")
    late = replace(f, rows=[r for r in f.rows if r.counts.overdue])
    rows, table = ct.inspections_excerpt(late, ct.worst, title)
    names = [ct.inspection_name(r) for r in rows]
    spec = _spec(
        "bar", names, _series(_("逾期"), _column(table, table.rows, _("逾期"))), horizontal=True
    )
    return Chart("overdue-organisations", title, spec, table)


def overdue_by_department(table: ct.Table) -> Chart:
    late = [row for row in table.rows if table.value(row, _("逾期"))]
    names = [f"{row[1].value} · {row[0].value}" for row in late]
    spec = _spec("bar", names, _series(_("逾期"), _column(table, late, _("逾期"))), horizontal=True)
    return Chart("overdue-departments", _("各责任部门逾期措施"), spec, table)


def _problems_and_measures(table: ct.Table) -> list[Series]:
    return [
        _series(_("问题"), _column(table, table.rows, _("问题"))),
        _series(_("整改措施"), _column(table, table.rows, _("整改措施"))),
        _series(_("逾期"), _column(table, table.rows, _("逾期"))),
    ]


def categories(table: ct.Table) -> Chart:
    names = [str(row[0].value) for row in table.rows]
    spec = _spec("bar", names, *_problems_and_measures(table))
    return Chart("categories", _("按问题类别的问题和措施"), spec, table)


def topics(table: ct.Table) -> Chart:
    names = [str(row[0].value) for row in table.rows]
    spec = _spec("bar", names, *_problems_and_measures(table))
    return Chart("topics", _("按问题分类的问题和措施"), spec, table)


def types(table: ct.Table) -> Chart:
    names = [str(row[0].value) for row in table.rows]
    spec = _spec(
        "bar",
        names,
        _series(_("已完成"), _column(table, table.rows, _("已完成"))),
        _series(_("未完成"), _column(table, table.rows, _("未完成"))),
        _series(_("逾期"), _column(table, table.rows, _("逾期"))),
    )
    return Chart("types", _("按措施类型的整改措施"), spec, table)


def trend(table: ct.Table) -> Chart:
    days = [str(row[0].value) for row in table.rows]
    spec = _spec(
        "line",
        days,
        _series(_("未完成措施"), [row[1] for row in table.rows]),
        _series(_("逾期措施"), [row[2] for row in table.rows]),
    )
    return Chart("trend", _("每周未完成和逾期措施"), spec, table)


def burndown(table: ct.Table) -> Chart:
    days = [str(row[0].value) for row in table.rows]
    series = [
        _series(name, [row[k] for row in table.rows]) for k, name in enumerate(table.columns) if k
    ]
    return Chart("burndown", _("各轮次燃尽图"), _spec("line", days, *series), table)


def charts(f: ct.Figures, tables: dict[str, ct.Table]) -> list[Chart]:
    """The charts of the tables shown (``ct.shown_tables``), in the tables' order."""
    drawn: dict[str, Callable[[], list[Chart]]] = {
        "inspections": lambda: [completion(f), overdue_by_organisation(f)],
        "departments": lambda: [overdue_by_department(tables["departments"])],
        "categories": lambda: [categories(tables["categories"])],
        "topics": lambda: [topics(tables["topics"])],
        "types": lambda: [types(tables["types"])],
        "weeks": lambda: [trend(tables["weeks"])],
        "burndown": lambda: [burndown(tables["burndown"])],
    }
    return [chart for slug in tables if slug in drawn for chart in drawn[slug]()]
