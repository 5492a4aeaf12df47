"""Writes to the inspection office's register: its rounds, their teams (巡察组) and the
organisations each inspects, and the inspections it registers before any feedback
is uploaded (the feedback is attached later: services/sources.py).

Each is one transaction with its audit event, for the office's own people only
(``access.round_for``), and only over organisations inspected under that office.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.inspections.models import Inspection, Round, Team
from zhenggai.inspections.rules import ROUND_FIELDS
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import NotFound, Refused

NAME_MAX = 200
LEADER_MAX = 100
# The rules a round may set in place of its office's (inspections/rules.py).
ROUND_DAYS = ROUND_FIELDS


@dataclass(frozen=True)
class RoundFields:
    """What the office says of a round; a blank day count keeps the office's own."""

    name: str
    kind: str = Round.Kind.REGULAR
    start: dt.date | None = None
    end: dt.date | None = None
    plan_days: int | None = None
    report_days: int | None = None
    warn_person_days: int | None = None
    warn_leader_days: int | None = None


def _name(text: str, what: str, limit: int = NAME_MAX) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise Refused(_("%(what)s不能为空，且不超过%(n)s字") % {"what": what, "n": limit})
    return text


def _check(fields: RoundFields) -> RoundFields:
    """The fields, or Refused: a blank name, an unknown kind, an end before the start,
    or days out of the ranges the office's own rules keep to."""
    name = _name(fields.name, _("轮次名称"))
    if fields.kind not in Round.Kind.values:
        raise Refused(_("巡察类型应为常规、专项、机动或回头看"))
    if fields.start and fields.end and fields.end < fields.start:
        raise Refused(_("结束日期不能早于开始日期"))
    for days in (fields.plan_days, fields.report_days):
        if days is not None and not 1 <= days <= 730:
            raise Refused(_("报送天数应在 1 到 730 之间"))
    plan, report = fields.plan_days, fields.report_days
    if plan is not None and report is not None and plan > report:
        raise Refused(_("整改方案的报送天数不能多于整改情况报告的"))
    for days in (fields.warn_person_days, fields.warn_leader_days):
        if days is not None and not 0 <= days <= 365:
            raise Refused(_("提醒天数应在 0 到 365 之间"))
    person, leader = fields.warn_person_days, fields.warn_leader_days
    if person is not None and leader is not None and leader > person:
        raise Refused(_("提醒责任领导的天数不能多于提醒责任人的天数"))
    return RoundFields(**{**vars(fields), "name": name})


def _save_round(round: Round, fields: RoundFields) -> None:
    for attribute, value in vars(fields).items():
        setattr(round, attribute, value)
    try:
        with transaction.atomic():
            round.save()
    except IntegrityError:
        raise Refused(_("本巡察办已有名为「%(name)s」的轮次") % {"name": fields.name}) from None


def round_create(*, actor: User, office_id: int, fields: RoundFields) -> Round:
    """A new round of the office."""
    access.require_round_keeper(actor)
    fields = _check(fields)
    with transaction.atomic():
        office = access.office_for(actor, office_id)
        round = Round(office=office)
        _save_round(round, fields)
        chain.created(actor=actor, obj=round, inspection_id=None, action=Action.ROUND_CREATE)
    return round


def round_edit(*, actor: User, round_id: int, fields: RoundFields) -> Round:
    """The round's name, kind, dates and own rules, changed."""
    fields = _check(fields)
    with transaction.atomic():
        round = access.round_for(actor, round_id, lock=True)
        before = chain.snapshot(round)
        _save_round(round, fields)
        after = chain.snapshot(round)
        if after != before:
            chain.record(
                actor=actor, action=Action.ROUND_EDIT, obj=round, before=before, after=after
            )
    return round


def team_create(*, actor: User, round_id: int, name: str, leader: str = "") -> Team:
    """A team of the round; its name unique within the round."""
    name, leader = _name(name, _("巡察组名称")), leader.strip()
    if len(leader) > LEADER_MAX:
        raise Refused(_("组长姓名不超过%(n)s字") % {"n": LEADER_MAX})
    with transaction.atomic():
        round = access.round_for(actor, round_id, lock=True)
        if round.teams.filter(name=name).exists():
            raise Refused(_("本轮次已有名为「%(name)s」的巡察组") % {"name": name})
        team = Team.objects.create(round=round, name=name, leader=leader)
        chain.created(actor=actor, obj=team, inspection_id=None, action=Action.TEAM_CREATE)
    return team


def team_edit(*, actor: User, team_id: int, name: str, leader: str = "") -> Team:
    """A team renamed, or its leader changed; its name still unique within the round."""
    name, leader = _name(name, _("巡察组名称")), leader.strip()
    if len(leader) > LEADER_MAX:
        raise Refused(_("组长姓名不超过%(n)s字") % {"n": LEADER_MAX})
    with transaction.atomic():
        team = access.team_for(actor, team_id, lock=True)
        if Team.objects.filter(round_id=team.round_id, name=name).exclude(pk=team.pk).exists():
            raise Refused(_("本轮次已有名为「%(name)s」的巡察组") % {"name": name})
        before = chain.snapshot(team)
        team.name, team.leader = name, leader
        team.save(update_fields=["name", "leader"])
        after = chain.snapshot(team)
        if after != before:
            chain.record(actor=actor, action=Action.TEAM_EDIT, obj=team, before=before, after=after)
    return team


def _organisations(office: Organisation, ids: Iterable[int]) -> list[Organisation]:
    """The organisations by id, each inspected under the office; NotFound otherwise."""
    wanted = set(ids)
    found = list(Organisation.objects.filter(pk__in=wanted).order_by("pk"))
    if len(found) != len(wanted) or not all(access.in_office_tree(office, o) for o in found):
        raise NotFound(_("未找到该单位，或该单位不在本巡察办的被巡察单位之中"))
    return found


def team_assign(*, actor: User, team_id: int, organisation_ids: Iterable[int]) -> Team:
    """The organisations the team inspects, in place of those it had."""
    with transaction.atomic():
        team = access.team_for(actor, team_id, lock=True)
        round = Round.objects.select_related("office").get(pk=team.round_id)
        chosen = _organisations(round.office, organisation_ids)
        before = sorted(team.organisations.values_list("pk", flat=True))
        team.organisations.set(chosen)
        after = [o.pk for o in chosen]
        if after != before:
            chain.record(
                actor=actor,
                action=Action.TEAM_ASSIGN,
                obj=team,
                before={"organisations": before},
                after={"organisations": after},
            )
    return team


def inspection_register(
    *,
    actor: User,
    round_id: int,
    organisation_id: int,
    team_id: int | None = None,
    feedback_date: dt.date | None = None,
) -> Inspection:
    """An inspection of an organisation in the round, before its feedback: the office
    or the organisation uploads the feedback into it later. The team, when named,
    is the round's, and takes the organisation among those it inspects."""
    with transaction.atomic():
        round = access.round_for(actor, round_id, lock=True)
        round.office = Organisation.objects.get(pk=round.office_id)
        (organisation,) = _organisations(round.office, [organisation_id])
        team = round.teams.filter(pk=team_id).first() if team_id is not None else None
        if team_id is not None and team is None:
            raise NotFound(_("未找到该巡察组，或它不属于本轮次"))
        if round.inspections.filter(organisation=organisation).exists():
            raise Refused(
                _("「%(organisation)s」在本轮次已登记巡察") % {"organisation": organisation.name}
            )
        inspection = Inspection.objects.create(
            organisation=organisation,
            round=round,
            team=team,
            level=Inspection.Level.XUNCHA,
            kind=round.kind,
            inspection_body=team.name if team else "",
            feedback_date=feedback_date,
        )
        if team is not None:
            team.organisations.add(organisation)
        chain.created(
            actor=actor,
            obj=inspection,
            inspection_id=inspection.pk,
            action=Action.INSPECTION_REGISTER,
        )
    return inspection


def _movable(actor: User, inspection_id: int) -> Inspection:
    """The inspection, locked, to the office it is inspected under; NotFound otherwise."""
    if not access.office_inspections(actor).filter(pk=inspection_id).exists():
        raise NotFound(_("未找到该巡察，或您无权调整"))
    return (
        Inspection.objects.select_for_update().select_related("organisation").get(pk=inspection_id)
    )


def inspection_move(
    *, actor: User, inspection_id: int, round_id: int, team_id: int | None = None
) -> Inspection:
    """An inspection put in another round of the office, or under another team (or
    none): registered in the wrong one, or imported before its round was. The
    round's rules then apply to it; its team takes the organisation among those it
    inspects."""
    with transaction.atomic():
        inspection = _movable(actor, inspection_id)
        round = access.round_for(actor, round_id, lock=True)
        round.office = Organisation.objects.get(pk=round.office_id)
        _organisations(round.office, [inspection.organisation_id])
        team = round.teams.filter(pk=team_id).first() if team_id is not None else None
        if team_id is not None and team is None:
            raise NotFound(_("未找到该巡察组，或它不属于本轮次"))
        others = round.inspections.filter(organisation_id=inspection.organisation_id)
        if others.exclude(pk=inspection.pk).exists():
            raise Refused(
                _("「%(organisation)s」在该轮次已登记巡察")
                % {"organisation": inspection.organisation.name}
            )
        before = chain.snapshot(inspection)
        inspection.round, inspection.team = round, team
        if team is not None:
            inspection.inspection_body = team.name
            team.organisations.add(inspection.organisation)
        inspection.save(update_fields=["round", "team", "inspection_body"])
        after = chain.snapshot(inspection)
        if after != before:
            chain.record(
                actor=actor,
                action=Action.INSPECTION_MOVE,
                obj=inspection,
                inspection_id=inspection.pk,
                before=before,
                after=after,
            )
    return inspection
