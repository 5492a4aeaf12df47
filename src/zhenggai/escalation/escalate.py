"""One run of the escalation job (``zhenggai escalate``, run by the same timer as
``zhenggai remind``; README.md, "Reminders"):

1. Every open letter whose answer is overdue is followed by the next step of its
   office's ladder, issued by the job (no actor), audited as ``letter.escalate``
   on the old letter and ``letter.issue`` on the new; the office's inbox is told.
   A last step unanswered has nowhere to go: the office is told, once a day.
2. The plan's and the report's due dates are watched: within the office's warning
   tier (``warn_person_days``) before one, the organisation's rectification office
   is told; after it, the office too. Once per person, inspection, reason and day
   (``Notice``).

Each letter is escalated in its own transaction, its row locked and read again,
so two runs at once never escalate it twice.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.audit.actions import Action
from zhenggai.audit.chain import record
from zhenggai.escalation import delivery, ladder
from zhenggai.escalation.facts import Facts, facts_of
from zhenggai.escalation.letters import issue
from zhenggai.escalation.models import Letter, Notice
from zhenggai.inbox.models import Kind
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.rules import rules_by_inspection
from zhenggai.orgs.models import Membership, Role


@dataclass
class Outcome:
    escalated: list[Letter] = field(default_factory=list)  # the new letters
    notices: int = 0


def _escalate_one(letter_id: int, now: dt.datetime, outcome: Outcome) -> None:
    today = timezone.localdate(now)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None or not letter.open or letter.answer_due >= today:
            return  # answered, or escalated by a run at the same time
        inspection = Inspection.objects.select_related("organisation").get(pk=letter.inspection_id)
        _ladder, steps = ladder.ladder_for(letter.office)
        if letter.position >= len(steps):
            words = {"name": letter.name, "number": letter.number, "org": letter.addressee}
            text = _("%(org)s逾期未答复%(name)s（%(number)s），梯次已到最后一级。") % words
            outcome.notices += _notify(
                delivery.office_people(letter.office_id), inspection, "letter_unanswered",
                text, reverse("web:letter", args=[letter.pk]), today,
            )  # fmt: skip
            return
        letter.escalated_at = now
        letter.save(update_fields=["escalated_at"])
        record(
            actor=None,
            action=Action.LETTER_ESCALATE,
            obj=letter,
            inspection_id=letter.inspection_id,
            after={"escalated_at": now, "unanswered_since": letter.answer_due},
        )
        made = issue(inspection, letter.position + 1, None, now)
        text = _("%(org)s逾期未答复%(name)s（%(number)s），已升级发出%(next)s（%(next_number)s）。") % {
            "org": letter.addressee, "name": letter.name, "number": letter.number,
            "next": made.name, "next_number": made.number,
        }  # fmt: skip
        delivery.tell(
            delivery.office_people(letter.office_id), text, reverse("web:letter", args=[made.pk])
        )
        outcome.escalated.append(made)


def _notify(
    users: Iterable[int], inspection: Inspection, reason: str, text: str, link: str, day: dt.date,
    kind: str = Kind.OVERDUE,
) -> int:  # fmt: skip
    """Tell each user who has not been told this today; how many were told."""
    told = []
    for user in users:
        try:
            with transaction.atomic():
                Notice.objects.create(
                    recipient_id=user, inspection=inspection, reason=reason, day=day
                )
        except IntegrityError:
            continue  # told already today (by this run's earlier self or another run)
        told.append(user)
    if told:
        delivery.tell(told, text, link, kind)
    return len(told)


def _due_watch(facts: Facts, warn_days: int, today: dt.date) -> int:
    inspection = facts.inspection
    if facts.due is None:
        return 0
    own = delivery_office(inspection.organisation_id)
    office = delivery.office_people(inspection.organisation.parent_id or 0)
    link = reverse("web:ledger", args=[inspection.pk])
    name = inspection.organisation.name
    told = 0
    for reason, what, due, late, left in (
        ("plan", _("整改方案"), facts.due.plan, facts.plan_late, facts.plan_due_in),
        ("report", _("整改情况报告"), facts.due.report, facts.report_late, facts.report_due_in),
    ):
        words = {"org": name, "what": what, "due": due.isoformat(), "days": late or left}
        if late is not None:
            text = _("%(org)s的%(what)s应于 %(due)s 前报送，已逾期 %(days)s 天。") % words
            told += _notify(own + office, inspection, f"{reason}_late", text, link, today)
        elif left is not None and left <= warn_days:
            text = _("%(org)s的%(what)s应于 %(due)s 前报送，还有 %(days)s 天。") % words
            told += _notify(own, inspection, f"{reason}_due", text, link, today, Kind.DUE_SOON)
    return told


def delivery_office(organisation_id: int) -> list[int]:
    """The organisation's rectification office: who prepares the plan and the report."""
    rows = Membership.objects.filter(
        organisation_id=organisation_id, role=Role.RECTIFICATION_OFFICE
    )
    return sorted(set(rows.values_list("user_id", flat=True)))


def run(*, now: dt.datetime) -> Outcome:
    outcome = Outcome()
    today = timezone.localdate(now)
    overdue = Letter.objects.filter(
        answer_due__lt=today, answered_at__isnull=True, escalated_at__isnull=True
    )
    for letter_id in overdue.order_by("answer_due", "pk").values_list("pk", flat=True):
        _escalate_one(letter_id, now, outcome)
    watched = list(
        Inspection.objects.filter(feedback_date__isnull=False).select_related("organisation")
    )
    rules = rules_by_inspection(i.pk for i in watched)
    for facts in facts_of(watched, today).values():
        with transaction.atomic():
            outcome.notices += _due_watch(facts, rules[facts.inspection.pk].warn_person_days, today)
    return outcome
