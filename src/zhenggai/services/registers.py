"""The registers beside accountability (services/accountability.py): the case leads
handed over by the inspection team and how each was disposed of, and the
organisation-of-work facts (meetings, training, reminders) that the bulletins count
(「召开专题会议N次」). One service per write, as there.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.accountability.models import WorkFact
from zhenggai.audit import actions, chain
from zhenggai.inspections.models import CaseLead, Inspection
from zhenggai.ledger import limits
from zhenggai.refusals import Refused
from zhenggai.services.accountability import Actor, not_future, problem_of, within

HANDED_TO_MAX = 200
# A row counting several events of one kind (「开展督促提醒6次」); past this it is a typo.
MAX_COUNT = 1000


@dataclass(frozen=True)
class Disposal:
    """How a lead was disposed of, as the register's form states it."""

    disposal: str
    received: dt.date | None = None
    deadline: dt.date | None = None
    outcome: str = ""
    problem_id: int | None = None


def _check_disposal(given: Disposal) -> str:
    if given.disposal not in CaseLead.Disposal.values:
        raise Refused(_("未知的处置方式"))
    not_future(given.received, _("接收日期"))
    if given.received and given.deadline and given.deadline < given.received:
        raise Refused(_("办结时限不能早于接收日期"))
    return within(given.outcome, limits.LONG_TEXT, _("办理结果"))


def case_lead_create(
    *, actor: Actor, inspection_id: int, description: str, handed_to: str, given: Disposal
) -> CaseLead:
    """A lead handed over that the feedback did not list (or that was not imported)."""
    description = within(description, limits.LONG_TEXT, _("线索"))
    if not description:
        raise Refused(_("请填写线索内容"))
    handed_to = within(handed_to, HANDED_TO_MAX, _("移交单位"))
    outcome = _check_disposal(given)
    with transaction.atomic():
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_dispose_case_lead(roles),
            roles,
            access.CASE_LEAD_KEEPERS,
            _("登记问题线索"),
        )
        lead = CaseLead.objects.create(
            inspection=inspection,
            description=description,
            handed_to=handed_to,
            disposal=given.disposal,
            received=given.received,
            deadline=given.deadline,
            outcome=outcome,
            problem=problem_of(inspection, given.problem_id),
        )
        chain.created(
            actor=actor,
            obj=lead,
            inspection_id=inspection.pk,
            action=actions.Action.CASE_LEAD_CREATE,
        )
    return lead


def case_lead_dispose(*, actor: Actor, case_lead_id: int, given: Disposal) -> CaseLead:
    """How the lead was disposed of (拟立案 / 初核 / 谈话函询 / 暂存 / 了结), when it
    was received, its deadline, what came of it and the problem it concerns."""
    outcome = _check_disposal(given)
    with transaction.atomic():
        lead, roles = access.case_lead_for(actor, case_lead_id, lock=True)
        access.enforce(
            access.may_dispose_case_lead(roles),
            roles,
            access.CASE_LEAD_KEEPERS,
            _("记录问题线索处置情况"),
        )
        before = chain.snapshot(lead)
        lead.disposal, lead.outcome = given.disposal, outcome
        lead.received, lead.deadline = given.received, given.deadline
        lead.problem = problem_of(lead.inspection, given.problem_id)
        lead.save()
        after = chain.snapshot(lead)
        if after != before:
            chain.record(
                actor=actor,
                action=actions.Action.CASE_LEAD_DISPOSE,
                obj=lead,
                inspection_id=lead.inspection_id,
                before=before,
                after=after,
            )
    return lead


def work_fact_record(
    *,
    actor: Actor,
    inspection_id: int,
    kind: str,
    date: dt.date | None = None,
    count: int = 1,
    note: str = "",
) -> WorkFact:
    """A meeting, training or reminder held, or several of one kind counted together."""
    if kind not in WorkFact.Kind.values:
        raise Refused(_("未知的类别"))
    if not 1 <= count <= MAX_COUNT:
        raise Refused(_("次数应在 1 到 %(n)s 之间") % {"n": MAX_COUNT})
    if kind == WorkFact.Kind.OTHER and not note.strip():
        raise Refused(_("类别为「其他」时请在说明中写明"))
    note = within(note, limits.COMMENT, _("说明"))
    not_future(date, _("日期"))
    with transaction.atomic():
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_record_work(roles),
            roles,
            access.WORK_RECORDERS,
            _("记录会议、培训和督促提醒"),
        )
        fact = WorkFact.objects.create(
            inspection=inspection, kind=kind, date=date, count=count, note=note, recorded_by=actor
        )
        chain.created(
            actor=actor,
            obj=fact,
            inspection_id=inspection.pk,
            action=actions.Action.WORK_FACT_CREATE,
        )
    return fact


def own_words_set(
    *, actor: Actor, inspection_id: int, work_text: str, next_steps_text: str
) -> Inspection:
    """The organisation's own paragraphs for the documents' 组织整改工作情况 and
    下一步工作打算 (one paragraph a line), kept by whoever records the work."""
    work_text = within(work_text, limits.LONG_TEXT, _("组织整改工作情况"))
    next_steps_text = within(next_steps_text, limits.LONG_TEXT, _("下一步工作打算"))
    with transaction.atomic():
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_record_work(roles),
            roles,
            access.WORK_RECORDERS,
            _("修改组织整改工作情况和下一步工作打算"),
        )
        before = chain.snapshot(inspection)
        inspection.work_text, inspection.next_steps_text = work_text, next_steps_text
        if chain.snapshot(inspection) != before:
            inspection.save(update_fields=["work_text", "next_steps_text"])
            chain.record(
                actor=actor,
                action=actions.Action.OWN_WORDS_SET,
                obj=inspection,
                inspection_id=inspection.pk,
                before=before,
                after=chain.snapshot(inspection),
            )
    return inspection
