"""The inspection office's cockpit: office → round → organisation (its inspection) →
ledger → problem → measure. Every figure links to the list it counts, every chart
has its table beside it and an .xlsx of that table, and a click on a bar goes where
the bar's figure links (static/web/cockpit.js).

Only the inspection office opens these pages (``access.office_inspections``);
anyone else gets a 404. The figures cost a fixed number of queries
(``ledger.cockpit_selectors``).
"""

from dataclasses import replace
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai import access
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.states import State
from zhenggai.ledger import selectors
from zhenggai.ledger.models import Measure
from zhenggai.web import cockpit_charts, paging, sheets
from zhenggai.web import cockpit_tables as ct
from zhenggai.web.ledger import rows_of
from zhenggai.web.pages import SignedInRequest, signed_in

PAGE_SIZE = 50
OVERDUE = [("", gettext_lazy("全部")), ("1", gettext_lazy("仅逾期"))]


def _round(request: SignedInRequest) -> str:
    chosen = request.GET.get("round", "")
    return chosen if chosen == ct.NO_ROUND or chosen.isdigit() else ""


def _figures(request: SignedInRequest, parts: tuple[str, ...] = ct.PARTS) -> ct.Figures:
    inspections = access.office_inspections(request.user)
    return ct.figures(inspections, _round(request), timezone.localdate(), parts)


def _whole(request: SignedInRequest, slug: str) -> ct.Table:
    """One table of the cockpit, every row: its page and its .xlsx."""
    kind = ct.TABLES.get(slug)
    if kind is None:
        raise Http404(_("未找到该统计表"))
    return kind.build(_figures(request, kind.parts))


@signed_in
def page(request: SignedInRequest) -> HttpResponse:
    """The cockpit's first section (each inspection, each round); the others load
    after it (``section``), each with its tables and charts."""
    found = _figures(request, ct.parts_of(ct.FIRST))
    tables = ct.shown_tables(found, ct.FIRST)
    context: dict[str, Any] = {
        "figures": found,
        "tables": tables,
        "charts": cockpit_charts.charts(found, tables),
        "sections": list(ct.SECTIONS),
        "NO_ROUND": ct.NO_ROUND,
    }
    return render(request, "web/cockpit.html", context)


@signed_in
def section(request: SignedInRequest, name: str) -> HttpResponse:
    """One section of the cockpit: a fragment for the cockpit's page, which asks for
    it once shown, or a page of its own for a browser without scripts."""
    slugs = ct.SECTIONS.get(name)
    if slugs is None:
        raise Http404(_("未找到该统计表"))
    found = _figures(request, ct.parts_of(slugs))
    tables = ct.shown_tables(found, slugs)
    context: dict[str, Any] = {
        "figures": found,
        "tables": tables,
        "charts": cockpit_charts.charts(found, tables),
        "cards": [table for slug, table in tables.items() if slug in ct.LONG],
    }
    template = "web/_cockpit_section.html" if request.htmx else "web/cockpit_section.html"
    return render(request, template, context)


@signed_in
def table(request: SignedInRequest, table: str) -> HttpResponse:
    """A table of the cockpit whole, a page at a time (the cockpit shows its first rows)."""
    whole = _whole(request, table)
    number = paging.page_number(request.GET.get("page"))
    number = min(number, paging.pages_of(len(whole.rows), PAGE_SIZE))
    rows = whole.rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    context: dict[str, Any] = {
        "table": replace(whole, rows=rows, total=len(whole.rows)),
        "round": _round(request),
        **paging.pager(number, len(whole.rows), PAGE_SIZE),
    }
    return render(request, "web/cockpit_table.html", context)


@signed_in
def sheet(request: SignedInRequest, table: str) -> HttpResponse:
    found = _whole(request, table)
    columns = [(name, 14) for name in found.columns]
    content = sheets.workbook([(found.title, columns, ct.sheet_rows(found))])
    return sheets.download(content, f"{found.title}-{timezone.localdate()}.xlsx")


class DrillFilters(forms.Form):
    """What a figure of the cockpit counts, as the query string of its link."""

    round = forms.CharField(required=False, max_length=20)
    organisation = forms.IntegerField(label=gettext_lazy("单位"), required=False)
    department = forms.IntegerField(label=gettext_lazy("责任部门"), required=False)
    category = forms.CharField(label=gettext_lazy("问题类别"), required=False, max_length=500)
    topic = forms.IntegerField(label=gettext_lazy("问题分类"), required=False)
    type = forms.MultipleChoiceField(
        label=gettext_lazy("措施类型"), required=False, choices=Measure.Type.choices
    )
    state = forms.MultipleChoiceField(
        label=gettext_lazy("状态"), required=False, choices=State.choices
    )
    overdue = forms.ChoiceField(label=gettext_lazy("逾期"), required=False, choices=OVERDUE)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def scope(self, inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
        """The office's inspections the list covers: the round's, the organisation's,
        and for overdue only those whose plan is approved (cockpit_selectors)."""
        self.is_valid()
        data = self.cleaned_data
        chosen = data.get("round") or ""
        if chosen == ct.NO_ROUND:
            inspections = inspections.filter(round__isnull=True)
        elif chosen.isdigit():
            inspections = inspections.filter(round_id=int(chosen))
        if data.get("organisation"):
            inspections = inspections.filter(organisation_id=data["organisation"])
        if data.get("overdue") == "1":
            inspections = inspections.filter(plan_approved__isnull=False)
        return inspections

    def wanted(self) -> selectors.MeasureFilter:
        self.is_valid()
        data = self.cleaned_data
        return selectors.MeasureFilter(
            category_title=data.get("category") or None,
            topic=data.get("topic"),
            states=tuple(data.get("state") or ()),
            types=tuple(data.get("type") or ()),
            department=data.get("department"),
            overdue=True if data.get("overdue") == "1" else None,
        )


@signed_in
def measures(request: SignedInRequest) -> HttpResponse:
    """The measures a figure counts, across the office's inspections."""
    inspections = access.office_inspections(request.user)
    filters = DrillFilters(request.GET)
    today = timezone.localdate()
    found = selectors.measures_matching(filters.scope(inspections), filters.wanted(), today)
    number = filters.cleaned_data.get("page") or 1
    count, listed = selectors.page_of(found, number, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "filters": filters,
        "rows": rows_of(listed, today),
        "count": count,
        **paging.pager(number, count, PAGE_SIZE),
        "query": query.urlencode(),
        "State": State,
    }
    return render(request, "web/cockpit_measures.html", context)
