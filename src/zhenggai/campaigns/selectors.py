"""What a campaign reads: the closed problems a selection finds among the office's
organisations, the office's people who may check them, and the figures of a
campaign (checked, held, relapsed) by organisation and by category."""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Max, Q, QuerySet

from zhenggai.campaigns.models import Campaign, CampaignCheck
from zhenggai.inspections.models import Problem
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Approval
from zhenggai.orgs.models import Membership, Organisation, Role


@dataclass(frozen=True)
class Selection:
    """The filters of a campaign; each one left blank selects everything."""

    round_id: int | None = None
    category: str = ""  # words in the category's title (方面), across inspections
    topic_id: int | None = None  # the office's taxonomy
    kind: str = ""  # the inspection's kind: 常规/专项/机动/回头看
    signed_from: dt.date | None = None  # signed off on or after
    signed_to: dt.date | None = None  # signed off on or before

    def as_json(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, dt.date) else v for k, v in asdict(self).items()}


def _signed_between(start: dt.date | None, end: dt.date | None) -> QuerySet[Approval, Any]:
    """The problems whose latest 销号 decision fell between the dates."""
    latest = (
        Approval.objects.filter(kind=Approval.Kind.SIGN_OFF, problem__isnull=False)
        .values("problem")
        .annotate(last=Max("at"))
    )
    if start:
        latest = latest.filter(last__date__gte=start)
    if end:
        latest = latest.filter(last__date__lte=end)
    return latest.values("problem")


def selectable(office: Organisation, selection: Selection) -> QuerySet[Problem]:
    """The problems signed off (已销号) in the office's inspected organisations that
    the selection finds: top-level problems, as the totals count them."""
    found = Problem.objects.filter(
        parent__isnull=True,
        state=State.SIGNED_OFF,
        inspection__organisation__parent=office,
        inspection__organisation__kind=Organisation.Kind.INSPECTED,
    )
    if selection.round_id is not None:
        found = found.filter(inspection__round_id=selection.round_id)
    if selection.category.strip():
        found = found.filter(category__title__contains=selection.category.strip())
    if selection.topic_id is not None:
        found = found.filter(topic__topic_id=selection.topic_id, topic__topic__office=office)
    if selection.kind:
        found = found.filter(inspection__kind=selection.kind)
    if selection.signed_from or selection.signed_to:
        found = found.filter(pk__in=_signed_between(selection.signed_from, selection.signed_to))
    return found.order_by("inspection__organisation__name", "inspection_id", "position", "pk")


def office_people(office_id: int) -> QuerySet[User]:
    """The active people of the inspection office: who may be given a check."""
    ids = Membership.objects.filter(organisation_id=office_id, role=Role.INSPECTION_OFFICE).values(
        "user_id"
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "username")


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class Tally:
    """How one group's checks came out; ``checked`` is held plus relapsed."""

    name: str
    total: int
    held: int
    relapsed: int

    @property
    def checked(self) -> int:
        return self.held + self.relapsed


@dataclass(frozen=True)
class Figures:
    overall: Tally
    by_organisation: list[Tally]
    by_category: list[Tally]


def _tallies(checks: QuerySet[CampaignCheck], by: str) -> list[Tally]:
    rows = (
        checks.values(by)
        .annotate(
            total=Count("pk"),
            held=Count("pk", filter=Q(result=CampaignCheck.Result.HELD)),
            relapsed=Count("pk", filter=Q(result=CampaignCheck.Result.RELAPSED)),
        )
        .order_by(by)
    )
    return [Tally(r[by] or "—", r["total"], r["held"], r["relapsed"]) for r in rows]


def figures(campaign: Campaign, overall_name: str) -> Figures:
    """The campaign's figures, all computed from its checks."""
    checks = CampaignCheck.objects.filter(campaign=campaign)
    by_organisation = _tallies(checks, "problem__inspection__organisation__name")
    overall = Tally(
        overall_name,
        sum(t.total for t in by_organisation),
        sum(t.held for t in by_organisation),
        sum(t.relapsed for t in by_organisation),
    )
    return Figures(overall, by_organisation, _tallies(checks, "problem__category__title"))


def checks_of(campaign: Campaign) -> QuerySet[CampaignCheck]:
    """The campaign's checks, with what its page shows of each in the same query."""
    return (
        CampaignCheck.objects.filter(campaign=campaign)
        .select_related(
            "problem__inspection__organisation", "problem__category", "assignee", "checked_by"
        )
        .prefetch_related("files")
        .order_by("problem__inspection__organisation__name", "problem__position", "pk")
    )
