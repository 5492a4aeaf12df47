"""The organisation reports its rectification to the inspection office (报送整改情况
报告): once, after its plan is approved, by its rectification office or its first
responsible person. The report's due date (inspections/rules.py) is met then; the
office's people are told in their inbox (and by mail when configured)."""

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.escalation import delivery
from zhenggai.inbox.models import Kind
from zhenggai.inspections.models import Inspection
from zhenggai.ledger import limits
from zhenggai.orgs.models import Role
from zhenggai.refusals import Refused
from zhenggai.services.similar import office_of

REPORTERS = frozenset({Role.RECTIFICATION_OFFICE, Role.FIRST_RESPONSIBLE})


def may_submit_report(roles: set[Role], inspection: Inspection) -> bool:
    return bool(roles & REPORTERS) and inspection.report_submitted is None


def report_submit(*, actor: User, inspection_id: int, note: str = "") -> Inspection:
    """Record that the report went to the office (the note may give its document
    number); refused before the plan is approved, and a second time."""
    limits.check_text(note, limits.COMMENT, _("说明"))
    with transaction.atomic():
        inspection, roles = access.inspection_for(
            actor, inspection_id, lock=True, related=("organisation",)
        )
        access.require(roles, REPORTERS, _("报送整改情况报告"))
        if inspection.plan_approved is None:
            raise Refused(_("整改方案审批后才能报送整改情况报告"))
        if inspection.report_submitted is not None:
            day = timezone.localtime(inspection.report_submitted).date()
            raise Refused(_("整改情况报告已于%(day)s报送") % {"day": day})
        before = chain.snapshot(inspection)
        inspection.report_submitted = timezone.now()
        inspection.save(update_fields=["report_submitted"])
        chain.record(
            actor=actor,
            action=Action.REPORT_SUBMIT,
            obj=inspection,
            inspection_id=inspection.pk,
            before=before,
            after=chain.snapshot(inspection) | {"comment": note.strip()},
        )
        _tell_the_office(inspection, note.strip())
    return inspection


def _tell_the_office(inspection: Inspection, note: str) -> None:
    office_id = office_of(inspection.organisation_id)
    if office_id is None:
        return
    text = _("「%(organisation)s」已报送整改情况报告。") % {
        "organisation": inspection.organisation.name
    }
    link = reverse("web:ledger", args=[inspection.pk])
    delivery.tell(delivery.office_people(office_id), text + note, link, Kind.NEWS)
