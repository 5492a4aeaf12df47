"""The rules in force for an inspection: its office's, where its round sets none.

An office sets the days allowed after feedback for the plan and the report and
the warning tiers once (``orgs.models.OfficeSettings``); a round may set its
own for its inspections (a special round with a shorter term, say). Everything
that reads those rules for an inspection — the plan's checks, the warnings,
the reminders, the due dates — reads them through ``rules_in_force`` (one
inspection) or ``combine`` (many, their offices' settings read once).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from zhenggai.inspections.models import Inspection, Round
from zhenggai.orgs.models import OfficeSettings

# What a round may set for itself; the rest stays the office's.
ROUND_FIELDS = ("plan_days", "report_days", "warn_person_days", "warn_leader_days")


@dataclass(frozen=True)
class Rules:
    warn_person_days: int
    warn_leader_days: int
    plan_days: int
    report_days: int
    reviews_plans: bool
    longest_term_days: int


@dataclass(frozen=True)
class DueDates:
    plan: dt.date
    report: dt.date


def combine(office: OfficeSettings, round: Round | None) -> Rules:
    """The office's rules with what the round sets in place of them."""
    own = {name: getattr(round, name) for name in ROUND_FIELDS} if round is not None else {}
    chosen = {
        name: own[name] if own.get(name) is not None else getattr(office, name)
        for name in ROUND_FIELDS
    }
    return Rules(
        reviews_plans=office.reviews_plans, longest_term_days=office.longest_term_days, **chosen
    )


def office_settings(office_id: int | None) -> OfficeSettings:
    """The office's settings, or the defaults when it has not changed any."""
    found = OfficeSettings.objects.filter(office_id=office_id).first() if office_id else None
    return found or OfficeSettings()


def rules_in_force(inspection: Inspection) -> Rules:
    """The rules for this inspection: its round's where set, else its office's (the
    office above the inspected organisation); one query, whether it has a round or not."""
    return rules_by_inspection([inspection.pk])[inspection.pk]


def due_dates(feedback: dt.date | None, rules: Rules) -> DueDates | None:
    """When the plan and the report are due: the feedback's date and the days the
    rules allow; None before the feedback's date is known."""
    if feedback is None:
        return None
    return DueDates(
        plan=feedback + dt.timedelta(days=rules.plan_days),
        report=feedback + dt.timedelta(days=rules.report_days),
    )


def rules_by_inspection(inspection_ids: Iterable[int]) -> dict[int, Rules]:
    """The rules in force for each of many inspections (a list page's), in one query:
    each inspection with its round and its office's settings joined."""
    rows = Inspection.objects.filter(pk__in=set(inspection_ids)).select_related(
        "round", "organisation__parent__rules"
    )
    return {i.pk: combine(_settings_of(i), i.round) for i in rows}


def _settings_of(inspection: Inspection) -> OfficeSettings:
    office = inspection.organisation.parent
    try:
        return office.rules if office is not None else OfficeSettings()
    except ObjectDoesNotExist:  # an office that kept the defaults
        return OfficeSettings()
