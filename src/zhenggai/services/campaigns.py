"""Writes of a 回头看 campaign: made from a selection of closed problems, its checks
given to the office's people, each check's result recorded, the campaign closed.

Each is one transaction with its audit event, for the people of the campaign's
inspection office only (``access.campaign_for``): any of them may record a check,
not only the one it was given to, since an office checks as a team; the record
keeps who did. A result is written through the single follow-up door
(``ledger.follow_up_record``), so a relapse reopens the problem exactly as a
follow-up review on its page does, with the same history. The campaign's own
events name no inspection: an organisation's histories show only that door's.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.campaigns.models import Campaign, CampaignCheck, CheckEvidence
from zhenggai.campaigns.selectors import Selection, office_people, selectable
from zhenggai.inspections.models import Round
from zhenggai.ledger import limits
from zhenggai.ledger.uploads import check_upload
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import ledger

NAME_MAX = 200
Result = CampaignCheck.Result


@dataclass(frozen=True)
class CampaignFields:
    name: str
    note: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def _check_fields(fields: CampaignFields, selection: Selection) -> CampaignFields:
    name = fields.name.strip()
    if not name or len(name) > NAME_MAX:
        raise Refused(_("专项名称不能为空，且不超过%(n)s字") % {"n": NAME_MAX})
    limits.check_text(fields.note, limits.LONG_TEXT, _("说明"))
    if fields.start and fields.end and fields.end < fields.start:
        raise Refused(_("结束日期不能早于开始日期"))
    if (
        selection.signed_from
        and selection.signed_to
        and selection.signed_to < selection.signed_from
    ):
        raise Refused(_("销号日期的截止日不能早于起始日"))
    if selection.kind and selection.kind not in Round.Kind.values:
        raise Refused(_("巡察类型应为常规、专项、机动或回头看"))
    return CampaignFields(name, fields.note.strip(), fields.start, fields.end)


def campaign_preview(*, actor: User, office_id: int, selection: Selection) -> int:
    """How many problems the selection finds: what the new campaign's page shows first."""
    access.require_campaign_keeper(actor, _("创建回头看专项"))
    office = access.office_for(actor, office_id)
    return selectable(office, selection).count()


def campaign_create(
    *, actor: User, office_id: int, fields: CampaignFields, selection: Selection
) -> Campaign:
    """A campaign of the office, with one pending check for every problem found."""
    access.require_campaign_keeper(actor, _("创建回头看专项"))
    fields = _check_fields(fields, selection)
    with transaction.atomic():
        office = access.office_for(actor, office_id, lock=True)
        if Campaign.objects.filter(office=office, name=fields.name).exists():
            raise Refused(_("本巡察办已有名为「%(name)s」的回头看专项") % {"name": fields.name})
        problems = list(selectable(office, selection).values_list("pk", flat=True))
        if not problems:
            raise Refused(_("没有符合条件的已销号问题"))
        campaign = Campaign.objects.create(
            office=office, created_by=actor, selection=selection.as_json(), **vars(fields)
        )
        CampaignCheck.objects.bulk_create(
            CampaignCheck(campaign=campaign, problem_id=pk) for pk in problems
        )
        event = chain.snapshot(campaign) | {"problems": problems}
        chain.record(actor=actor, action=Action.CAMPAIGN_CREATE, obj=campaign, after=event)
    return campaign


def _open(actor: User, campaign_id: int, what: str) -> Campaign:
    """The campaign, locked, if the actor keeps it and it is still open."""
    access.require_campaign_keeper(actor, what)
    campaign = access.campaign_for(actor, campaign_id, lock=True)
    if not access.may_change_campaign(campaign):
        raise Refused(_("该回头看专项已结束"))
    return campaign


def check_assign(
    *, actor: User, campaign_id: int, check_ids: Iterable[int], assignee_id: int
) -> list[CampaignCheck]:
    """Give checks of the campaign not yet recorded to one person of its office."""
    wanted = set(check_ids)
    if not wanted:
        raise Refused(_("请选择要分配的检查"))
    with transaction.atomic():
        campaign = _open(actor, campaign_id, _("分配回头看检查"))
        if not office_people(campaign.office_id).filter(pk=assignee_id).exists():
            raise Refused(_("检查人应为本巡察办人员"))
        checks = list(campaign.checks.select_for_update().filter(pk__in=wanted).order_by("pk"))
        if len(checks) != len(wanted):
            raise NotFound(_("未找到该回头看检查，或您无权查看"))
        if any(c.result != Result.PENDING for c in checks):
            raise Refused(_("已记录结果的检查不能再分配"))
        for check in checks:
            before = chain.snapshot(check)
            check.assignee_id = assignee_id
            check.save(update_fields=["assignee"])
            chain.record(
                actor=actor,
                action=Action.CAMPAIGN_CHECK_ASSIGN,
                obj=check,
                before=before,
                after=chain.snapshot(check),
            )
    return checks


def _finding(campaign: Campaign, result: str, reasons: str) -> str:
    """The follow-up record's finding: which campaign found what."""
    said = reasons.strip() or str(Result(result).label)
    return _("回头看专项「%(campaign)s」：%(finding)s") % {
        "campaign": campaign.name,
        "finding": said,
    }


def _keep(actor: User, check: CampaignCheck, files: Sequence[Upload]) -> list[CheckEvidence]:
    kept = []
    for upload in files:
        content_type = check_upload(upload.name, upload.content)
        digest = hashlib.sha256(upload.content).hexdigest()
        kept.append(
            CheckEvidence.objects.create(
                check_row=check,
                name=Path(upload.name).name[:255],
                path=ledger.store(upload.content, digest),
                size=len(upload.content),
                content_type=content_type,
                sha256=digest,
                supplied_by=actor,
            )
        )
    return kept


def _check_result(result: str, reasons: str, checked_on: dt.date, files: Sequence[Upload]) -> None:
    if result not in (Result.HELD, Result.RELAPSED):
        raise Refused(_("检查结果应为整改成效巩固或问题反弹"))
    limits.check_text(reasons, limits.LONG_TEXT, _("检查情况"))
    if result == Result.RELAPSED and not reasons.strip():
        raise Refused(_("请填写问题反弹的原因"))
    if checked_on > timezone.localdate():
        raise Refused(_("检查日期不能晚于今天"))
    for upload in files:
        check_upload(upload.name, upload.content)


def check_record(
    *,
    actor: User,
    check_id: int,
    result: str,
    reasons: str,
    checked_on: dt.date,
    evidence: Sequence[Upload] = (),
) -> CampaignCheck:
    """The result of a check, written on the problem through the follow-up door: a
    relapse reopens it there, in this same transaction."""
    access.require_campaign_keeper(actor, _("记录回头看检查结果"))
    _check_result(result, reasons, checked_on, evidence)
    with transaction.atomic():
        check = access.campaign_check_for(actor, check_id, lock=True)
        campaign = _open(actor, check.campaign_id, _("记录回头看检查结果"))
        if check.result != Result.PENDING:
            raise Refused(_("该检查已记录结果"))
        before = chain.snapshot(check)
        check.review = ledger.follow_up_record(
            actor=actor,
            problem_id=check.problem_id,
            date=checked_on,
            finding=_finding(campaign, result, reasons),
            relapsed=result == Result.RELAPSED,
        )
        check.result, check.reasons, check.checked_on = result, reasons.strip(), checked_on
        check.checked_by, check.checked_at = actor, timezone.now()
        check.save()
        files = [f.name for f in _keep(actor, check, evidence)]
        after = chain.snapshot(check) | {"files": files}
        chain.record(
            actor=actor, action=Action.CAMPAIGN_CHECK_RECORD, obj=check, before=before, after=after
        )
    return check


def campaign_close(*, actor: User, campaign_id: int) -> Campaign:
    """Closed once every check has its result: its figures and report are then final."""
    with transaction.atomic():
        campaign = _open(actor, campaign_id, _("结束回头看专项"))
        pending = campaign.checks.filter(result=Result.PENDING).count()
        if pending:
            raise Refused(_("还有%(n)s项检查未记录结果，不能结束专项") % {"n": pending})
        before = chain.snapshot(campaign)
        campaign.state, campaign.closed_at = Campaign.State.CLOSED, timezone.now()
        campaign.save(update_fields=["state", "closed_at"])
        chain.record(
            actor=actor,
            action=Action.CAMPAIGN_CLOSE,
            obj=campaign,
            before=before,
            after=chain.snapshot(campaign),
        )
    return campaign
