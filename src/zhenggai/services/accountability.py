"""Recording what an inspection led to: accountability actions, regulations adopted
(建章立制) and funds recovered, one service each (STYLE.md 2).

Each checks access and its input first, then writes the row and its audit event
in one transaction; a refused call raises Refused or NotFound and changes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.accountability.models import Action, FundsRecovered, Regulation
from zhenggai.audit import actions, chain
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.orgs.models import Role
from zhenggai.refusals import Refused

Actor = User

# The discipline group records outcomes; the organisation's office files what it did.
# Tuples, so a refusal names the roles in the same order every time.
RECORDERS = (Role.DISCIPLINE, Role.RECTIFICATION_OFFICE)
REGULATION_RECORDERS = (Role.RECTIFICATION_OFFICE,)

# FundsRecovered.amount is DECIMAL(14, 2): twelve digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")


def _inspection(
    actor: Actor, inspection_id: int, allowed: tuple[Role, ...], what: str
) -> Inspection:
    inspection, roles = access.inspection_for(actor, inspection_id)
    access.require(roles, allowed, what)
    return inspection


def _problem_of(inspection: Inspection, problem_id: int | None) -> Problem | None:
    if problem_id is None:
        return None
    problem = Problem.objects.filter(pk=problem_id, inspection_id=inspection.pk).first()
    if problem is None:
        raise Refused(_("所选问题不属于本次巡察"))
    return problem


def _not_future(date: dt.date | None, what: str) -> None:
    if date is not None and date > timezone.localdate():
        raise Refused(_("%(what)s不能晚于今天") % {"what": what})


def _check_action(kind: str, grade: str, kind_text: str, person_name: str) -> None:
    if kind not in Action.Kind.values:
        raise Refused(_("未知的处理方式"))
    if grade and grade not in Action.Grade.values:
        raise Refused(_("未知的处分档次"))
    if grade and kind != Action.Kind.PARTY_DISCIPLINE:
        raise Refused(_("只有党纪政务处分可以填写处分档次"))
    if kind == Action.Kind.OTHER and not kind_text.strip():
        raise Refused(_("处理方式为「其他」时请写明具体方式"))
    # The columns' own limits, refused here rather than by the database.
    if len(kind_text.strip()) > 50:
        raise Refused(_("处理方式不能超过 50 个字"))
    if len(person_name.strip()) > 100:
        raise Refused(_("被处理人姓名不能超过 100 个字"))


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
    """One person held accountable (批评教育 … 党纪政务处分), possibly for one problem."""
    _check_action(kind, grade, kind_text, person_name)
    _not_future(date, _("处理日期"))
    with transaction.atomic():
        inspection = _inspection(actor, inspection_id, RECORDERS, _("记录问责处理"))
        action = Action.objects.create(
            inspection=inspection,
            problem=_problem_of(inspection, problem_id),
            kind=kind,
            kind_text=kind_text.strip() if kind == Action.Kind.OTHER else "",
            grade=grade,
            person_name=person_name.strip(),
            date=date,
            recorded_by=actor,
        )
        chain.created(
            actor=actor,
            obj=action,
            inspection_id=inspection.pk,
            action=actions.Action.ACTION_CREATE,
        )
    return action


def regulation_record(
    *, actor: Actor, inspection_id: int, title: str, adopted_on: dt.date | None = None
) -> Regulation:
    """A rule adopted as part of the rectification, listed after the earlier ones."""
    if not title.strip():
        raise Refused(_("请填写制度名称"))
    _not_future(adopted_on, _("出台日期"))
    with transaction.atomic():
        inspection = _inspection(actor, inspection_id, REGULATION_RECORDERS, _("记录建章立制"))
        # Locked, so two offices recording at once do not take the same number.
        Inspection.objects.select_for_update().get(pk=inspection.pk)
        regulation = Regulation.objects.create(
            inspection=inspection,
            position=inspection.regulations.count() + 1,
            title=title.strip(),
            adopted_on=adopted_on,
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
) -> FundsRecovered:
    """Money recovered or returned (追缴、清退资金), in yuan."""
    _check_amount(amount)
    _not_future(date, _("日期"))
    with transaction.atomic():
        inspection = _inspection(actor, inspection_id, RECORDERS, _("记录追缴资金"))
        funds = FundsRecovered.objects.create(
            inspection=inspection,
            problem=_problem_of(inspection, problem_id),
            amount=amount,
            description=description.strip(),
            date=date,
        )
        chain.created(
            actor=actor, obj=funds, inspection_id=inspection.pk, action=actions.Action.FUNDS_CREATE
        )
    return funds
