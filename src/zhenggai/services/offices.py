"""Writes to an inspection office's own rules: the warning tiers and the days
allowed for the plan and the report after feedback."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.inspections.rules import office_settings
from zhenggai.orgs.models import OfficeSettings, Organisation
from zhenggai.refusals import Refused


def office_rules(office: Organisation) -> OfficeSettings:
    """The office's rules, or the defaults, ready to be saved as its own."""
    rules = office_settings(office.pk)
    rules.office = office
    return rules


def office_rules_update(
    *,
    actor: User,
    office_id: int,
    warn_person_days: int,
    warn_leader_days: int,
    plan_days: int,
    report_days: int,
    reviews_plans: bool = True,
    longest_term_days: int = 365,
) -> OfficeSettings:
    """The office's rules; a call that leaves out the plan's rules keeps the defaults'
    meaning: the office reviews plans, and a first deadline is within a year."""
    if not 30 <= longest_term_days <= 1095:
        raise Refused(_("整改时限最长应在反馈后 30 到 1095 天之间"))
    if not 0 <= warn_leader_days <= warn_person_days <= 365:
        raise Refused(_("提醒天数应在 0 到 365 之间，且提醒责任领导的天数不多于提醒责任人的天数"))
    if not 1 <= plan_days <= report_days <= 730:
        raise Refused(_("报送天数应在 1 到 730 之间，且整改方案不晚于整改情况报告"))
    with transaction.atomic():
        office = access.office_for(actor, office_id)
        rules = office_rules(office)
        before = chain.snapshot(rules) if rules.pk else None
        rules.warn_person_days, rules.warn_leader_days = warn_person_days, warn_leader_days
        rules.plan_days, rules.report_days = plan_days, report_days
        rules.reviews_plans, rules.longest_term_days = reviews_plans, longest_term_days
        rules.save()
        chain.record(
            actor=actor,
            action=Action.OFFICE_SETTINGS_UPDATE,
            obj=rules,
            before=before,
            after=chain.snapshot(rules),
        )
    return rules
