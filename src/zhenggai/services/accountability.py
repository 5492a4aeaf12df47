"""Recording what an inspection led to: accountability actions, regulations adopted
(建章立制) and funds recovered or refunded, one service each (STYLE.md 2). The
registers of case leads and of the organisation's work are services/registers.py.

Each checks its input first, then access (access.may_record_*), then writes the row
and its audit event in one transaction; a refused call raises Refused or NotFound
and changes nothing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.accountability.models import (
    GRADES,
    LEGACY_KINDS,
    Action,
    FundsRecovered,
    Regulation,
    grade_fits,
)
from zhenggai.audit import actions, chain
from zhenggai.inspections.models import CaseLead, Inspection, Problem
from zhenggai.ledger import limits
from zhenggai.refusals import Refused

Actor = User

# FundsRecovered.amount is DECIMAL(14, 2): twelve digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")
# The columns' own lengths, refused here with a message rather than by the database.
NAME_MAX, POST_MAX, KIND_TEXT_MAX, BODY_MAX, NUMBER_MAX = 100, 100, 50, 200, 100


def problem_of(inspection: Inspection, problem_id: int | None) -> Problem | None:
    if problem_id is None:
        return None
    problem = Problem.objects.filter(pk=problem_id, inspection_id=inspection.pk).first()
    if problem is None:
        raise Refused(_("所选问题不属于本次巡察"))
    return problem


def not_future(date: dt.date | None, what: str) -> None:
    if date is not None and date > timezone.localdate():
        raise Refused(_("%(what)s不能晚于今天") % {"what": what})


def within(text: str, most: int, what: str) -> str:
    """The text stripped; refused, naming the field, when longer than its column."""
    text = text.strip()
    if len(text) > most:
        raise Refused(_("%(what)s不能超过 %(n)s 个字") % {"what": what, "n": most})
    return text


@dataclass(frozen=True)
class ActionFields:
    """What a page or the API says of one person held accountable."""

    kind: str
    grade: str = ""
    person_name: str = ""
    post: str = ""
    reason: str = ""
    kind_text: str = ""
    deciding_body: str = ""
    document_number: str = ""
    date: dt.date | None = None
    problem_id: int | None = None
    case_lead_id: int | None = None


def _check_kind(kind: str, grade: str, kind_text: str) -> None:
    if kind not in Action.Kind.values:
        raise Refused(_("未知的处理方式"))
    if kind in LEGACY_KINDS:
        raise Refused(_("请选择党纪处分或政务处分"))
    if grade and grade not in Action.Grade.values:
        raise Refused(_("未知的处分档次"))
    if grade and kind not in GRADES:
        raise Refused(_("只有党纪处分和政务处分可以填写处分档次"))
    if not grade_fits(kind, grade):
        raise Refused(
            _("「%(kind)s」没有「%(grade)s」这一档次")
            % {"kind": Action.Kind(kind).label, "grade": Action.Grade(grade).label}
        )
    if kind == Action.Kind.OTHER and not kind_text.strip():
        raise Refused(_("处理方式为「其他」时请写明具体方式"))


def _checked(fields: ActionFields) -> dict[str, object]:
    """The row's own columns from the fields, each checked against its limit."""
    _check_kind(fields.kind, fields.grade, fields.kind_text)
    not_future(fields.date, _("处理日期"))
    kind_text = within(fields.kind_text, KIND_TEXT_MAX, _("处理方式"))
    return {
        "kind": fields.kind,
        "kind_text": kind_text if fields.kind == Action.Kind.OTHER else "",
        "grade": fields.grade,
        "person_name": within(fields.person_name, NAME_MAX, _("被处理人姓名")),
        "post": within(fields.post, POST_MAX, _("职务")),
        "reason": within(fields.reason, limits.LONG_TEXT, _("事由")),
        "deciding_body": within(fields.deciding_body, BODY_MAX, _("决定机关")),
        "document_number": within(fields.document_number, NUMBER_MAX, _("文号")),
        "date": fields.date,
    }


def _case_lead_of(inspection: Inspection, case_lead_id: int | None) -> CaseLead | None:
    if case_lead_id is None:
        return None
    lead = CaseLead.objects.filter(pk=case_lead_id, inspection_id=inspection.pk).first()
    if lead is None:
        raise Refused(_("所选问题线索不属于本次巡察"))
    return lead


def action_record(
    *,
    actor: Actor,
    inspection_id: int,
    kind: str,
    grade: str = "",
    person_name: str = "",
    problem_id: int | None = None,
    date: dt.date | None = None,
    kind_text: str = "",
) -> Action:
    """One person held accountable, as the API states it (``action_create``)."""
    fields = ActionFields(
        kind, grade, person_name, kind_text=kind_text, date=date, problem_id=problem_id
    )
    return action_create(actor=actor, inspection_id=inspection_id, fields=fields)


def action_create(*, actor: Actor, inspection_id: int, fields: ActionFields) -> Action:
    """One person held accountable (批评教育 … 党纪处分、政务处分) with the reason, the
    body that decided and its document, possibly for one problem or one case lead."""
    columns = _checked(fields)
    with transaction.atomic():
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_record_accountability(roles),
            roles,
            access.ACCOUNTABILITY_RECORDERS,
            _("记录问责处理"),
        )
        action = Action.objects.create(
            inspection=inspection,
            problem=problem_of(inspection, fields.problem_id),
            case_lead=_case_lead_of(inspection, fields.case_lead_id),
            recorded_by=actor,
            **columns,
        )
        chain.created(
            actor=actor,
            obj=action,
            inspection_id=inspection.pk,
            action=actions.Action.ACTION_CREATE,
        )
    return action


def same_title(title: str) -> str:
    """A regulation's name as compared: without spaces or the book-title marks
    some write around it, so 《A》 and A are the same regulation."""
    return "".join(title.split()).strip("《》〈〉")


def regulation_record(
    *,
    actor: Actor,
    inspection_id: int,
    title: str,
    adopted_on: dt.date | None = None,
    issuing_body: str = "",
) -> Regulation:
    """A rule adopted as part of the rectification, listed after the earlier ones;
    the same rule twice is refused, so that it is counted once."""
    title = within(title, limits.COMMENT, _("制度名称"))
    if not title:
        raise Refused(_("请填写制度名称"))
    issuing_body = within(issuing_body, BODY_MAX, _("制发单位"))
    not_future(adopted_on, _("出台日期"))
    with transaction.atomic():
        # Locked, so two offices recording at once do not take the same number.
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_record_work(roles), roles, access.WORK_RECORDERS, _("记录建章立制")
        )
        titles = inspection.regulations.values_list("title", flat=True)
        if same_title(title) in {same_title(t) for t in titles}:
            raise Refused(_("「%(title)s」已经登记，同一制度只计一次") % {"title": title})
        regulation = Regulation.objects.create(
            inspection=inspection,
            position=inspection.regulations.count() + 1,
            title=title,
            adopted_on=adopted_on,
            issuing_body=issuing_body,
        )
        chain.created(
            actor=actor,
            obj=regulation,
            inspection_id=inspection.pk,
            action=actions.Action.REGULATION_CREATE,
        )
    return regulation


def _check_amount(amount: Decimal) -> None:
    if not amount.is_finite() or amount <= 0:
        raise Refused(_("金额必须大于零"))
    if amount > MAX_AMOUNT:
        raise Refused(_("金额超出可记录的范围"))
    if amount != amount.quantize(Decimal("0.01")):
        raise Refused(_("金额最多保留两位小数（精确到分）"))


def funds_record(
    *,
    actor: Actor,
    inspection_id: int,
    amount: Decimal,
    description: str = "",
    date: dt.date | None = None,
    problem_id: int | None = None,
    kind: str = FundsRecovered.Kind.RECOVERED,
) -> FundsRecovered:
    """Money recovered, refunded or paid back (追缴、退还、补缴), in yuan."""
    _check_amount(amount)
    if kind not in FundsRecovered.Kind.values:
        raise Refused(_("未知的资金类别"))
    description = within(description, limits.COMMENT, _("说明"))
    not_future(date, _("日期"))
    with transaction.atomic():
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_record_accountability(roles),
            roles,
            access.ACCOUNTABILITY_RECORDERS,
            _("记录追缴资金"),
        )
        funds = FundsRecovered.objects.create(
            inspection=inspection,
            problem=problem_of(inspection, problem_id),
            kind=kind,
            amount=amount,
            description=description,
            date=date,
        )
        chain.created(
            actor=actor, obj=funds, inspection_id=inspection.pk, action=actions.Action.FUNDS_CREATE
        )
    return funds
