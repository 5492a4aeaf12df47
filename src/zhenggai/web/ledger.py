"""The ledger page: categories → problems → measures of one inspection, filtered,
sorted, searched and paged, with its totals (its export: ``ledger_export``).

A page costs a fixed number of queries whatever the ledger holds: the rows come
from ``selectors.page_of`` as plain values, and the category and problem headings
are read from the rows themselves.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from zhenggai import access
from zhenggai.escalation import reports
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.rules import rules_by_inspection
from zhenggai.inspections.states import State
from zhenggai.ledger import derived, selectors
from zhenggai.web import assessments, paging
from zhenggai.web.ledger_forms import PAGE_SIZE, LedgerFilters
from zhenggai.web.pages import SignedInRequest, signed_in


@dataclass(frozen=True)
class Row:
    """A line of the page: the measure, its warning, and the headings it opens."""

    measure: selectors.Listed
    warning: derived.Warning
    overdue: bool
    new_category: bool
    new_problem: bool


def rows_of(listed: list[selectors.Listed], today: dt.date) -> list[Row]:
    rules = rules_by_inspection(m.inspection_id for m in listed)
    rows, category, problem = [], None, None
    for m in listed:
        rows.append(
            Row(
                m,
                derived.warning(m.deadline, m.state, today, rules[m.inspection_id]),
                derived.is_overdue(m.deadline, m.state, today, m.plan_approved is not None),
                m.category_id != category,
                m.problem_id != problem or m.category_id != category,
            )
        )
        category, problem = m.category_id, m.problem_id
    return rows


def _query_without_page(request: SignedInRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@signed_in
def page(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    filters = LedgerFilters(request.GET, inspection)
    wanted = filters.wanted()
    today = timezone.localdate()
    scope = Inspection.objects.filter(pk=inspection.pk)
    found = selectors.measures_matching(scope, wanted, today)
    number = filters.page_number()
    count, listed = selectors.page_of(found, number, PAGE_SIZE)
    context: dict[str, Any] = {
        "inspection": inspection,
        "may_assign": access.may_assign(roles),
        "may_publish": access.may_publish(roles),
        "may_report": reports.may_submit_report(roles, inspection),
        "assessment_link": assessments.shows_link(inspection, roles),
        "tally": selectors.tallies(scope, today)[inspection.pk],
        "filters": filters,
        "rows": rows_of(listed, today),
        "count": count,
        **paging.pager(number, count, PAGE_SIZE),
        "query": _query_without_page(request),
        "State": State,
    }
    template = "web/_ledger_results.html" if request.htmx else "web/ledger.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # a cached fragment is not the page
    return response
