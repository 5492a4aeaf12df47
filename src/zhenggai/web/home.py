"""The home page: what is the signed-in person's to do, by role.

A responsible person sees their measures by deadline with their warning; a
leader what awaits their sign-off; the rectification office its inspections'
totals and what changed this week; the inspection office its organisations'
inspections side by side, and the way to its cockpit. A person with several roles sees each part.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhenggai import access
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.rules import rules_by_inspection
from zhenggai.ledger import cockpit_selectors, derived, selectors, worklists
from zhenggai.ledger.models import Measure
from zhenggai.orgs import scope
from zhenggai.orgs.models import Role
from zhenggai.web.pages import SignedInRequest, signed_in

# Each part of the page lists at most this many rows and links to the rest.
SHOWN = 50
WEEK = dt.timedelta(days=7)
# Roles inside an organisation that follow its whole ledger.
LEDGER_READERS = {
    Role.RECTIFICATION_OFFICE,
    Role.DISCIPLINE,
    Role.RESPONSIBLE_LEADER,
    Role.FIRST_RESPONSIBLE,
}


@dataclass(frozen=True)
class Marked:
    """A measure with the colour its deadline earns under its office's rules."""

    measure: Measure
    warning: derived.Warning


def _marked(measures: list[Measure], today: dt.date) -> list[Marked]:
    rules = rules_by_inspection(m.inspection_id for m in measures)
    return [
        Marked(m, derived.warning(m.deadline, m.state, today, rules[m.inspection_id]))
        for m in measures
    ]


def _inspections(request: SignedInRequest, roles: set[Role]) -> list[dict[str, Any]]:
    """The inspections of the units where the user holds one of ``roles``, with totals
    and the number of changes of the last seven days."""
    units = {g.unit_id for g in scope.grants(request.user) if g.role in roles}
    theirs = Inspection.objects.filter(organisation_id__in=units)
    found = list(theirs.select_related("organisation").order_by("organisation__name", "-pk"))
    counts = selectors.tallies(theirs, timezone.localdate())
    changed = dict(
        Event.objects.filter(inspection_id__in=[i.pk for i in found], at__gte=timezone.now() - WEEK)
        .values_list("inspection_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {"inspection": i, "tally": counts[i.pk], "changed": changed.get(i.pk, 0)} for i in found
    ]


@signed_in
def index(request: SignedInRequest) -> HttpResponse:
    user = request.user
    roles = {g.role for g in scope.grants(user)}
    today = timezone.localdate()
    context: dict[str, Any] = {
        "roles": roles,
        "Role": Role,
        "administered": access.office_administered_by(user),
    }
    if Role.RESPONSIBLE_PERSON in roles:
        context["mine"] = _marked(list(worklists.open_measures_of(user)[:SHOWN]), today)
    if roles & {Role.RESPONSIBLE_LEADER, Role.FIRST_RESPONSIBLE}:
        context["to_sign"] = _marked(
            list(worklists.measures_awaiting_sign_off(user)[:SHOWN]), today
        )
        context["problems_to_sign"] = list(worklists.problems_awaiting_sign_off(user)[:SHOWN])
    if roles & {Role.RESPONSIBLE_LEADER, Role.FIRST_RESPONSIBLE, Role.RECTIFICATION_OFFICE}:
        context["to_review"] = list(worklists.evidence_to_review(user)[:SHOWN])
    plan_deciders = {Role.FIRST_RESPONSIBLE, Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE}
    if roles & plan_deciders:
        context["plans"] = list(worklists.plans_awaiting(user)[:SHOWN])
    if roles & LEDGER_READERS:
        context["inspections"] = _inspections(request, roles & LEDGER_READERS)
    if Role.INSPECTION_OFFICE in roles:
        # Each inspection its own row, overdue counted as the cockpit counts it.
        rows = cockpit_selectors.inspection_rows(access.office_inspections(user))
        cockpit_selectors.count_inspections(rows, today)
        context["organisations"] = rows
    return render(request, "web/home.html", context)
