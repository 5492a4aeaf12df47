"""The inspection office's rounds and the inspections it registers, for its own
people only: another office's rounds are 404, other roles are refused (409)."""

import datetime as dt

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, P, PathEx, Router, Schema

from zhenggai import access
from zhenggai.inspections.models import Inspection, Round
from zhenggai.inspections.rules import due_dates, rules_by_inspection
from zhenggai.services import rounds as services

router = Router(tags=["巡察轮次"])

RoundId = PathEx[int, P(ge=1, le=2**63 - 1, title="轮次编号", description="巡察轮次编号")]


class Refusal(Schema):
    detail: str


class RoundIn(Schema):
    office: int = Field(ge=1, description="巡察办编号")
    name: str = Field(min_length=1, max_length=200, description="轮次名称，如十二届县委第五轮巡察")
    kind: Round.Kind = Field(default=Round.Kind.REGULAR, description="常规、专项、机动或回头看")
    start: dt.date | None = Field(default=None, description="开始日期")
    end: dt.date | None = Field(default=None, description="结束日期")
    plan_days: int | None = Field(
        default=None, description="反馈后报送整改方案的天数（空则按巡察办设置）"
    )
    report_days: int | None = Field(
        default=None, description="反馈后报送整改情况报告的天数（空则按巡察办设置）"
    )
    warn_person_days: int | None = Field(default=None, description="提醒责任人的剩余天数")
    warn_leader_days: int | None = Field(default=None, description="提醒责任领导的剩余天数")


class RoundOut(RoundIn):
    id: int


class TeamOut(Schema):
    id: int
    name: str = Field(description="巡察组")
    leader: str = Field(description="组长")
    organisations: list[int] = Field(description="巡察的单位编号")


class RegisteredOut(Schema):
    id: int = Field(description="巡察编号")
    organisation: int = Field(description="被巡察单位编号")
    organisation_name: str
    team: int | None = Field(description="巡察组编号")
    feedback_date: dt.date | None = Field(description="反馈日期")
    has_feedback: bool = Field(description="是否已上传反馈意见")
    plan_due: dt.date | None = Field(description="整改方案报送期限")
    report_due: dt.date | None = Field(description="整改情况报告报送期限")


class RoundDetailOut(RoundOut):
    teams: list[TeamOut]
    inspections: list[RegisteredOut]


class RegisterIn(Schema):
    organisation: int = Field(ge=1, description="被巡察单位编号")
    team: int | None = Field(default=None, ge=1, description="巡察组编号")
    feedback_date: dt.date | None = Field(default=None, description="反馈日期")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _round(r: Round) -> dict[str, object]:
    names = ("name", "kind", "start", "end", *services.ROUND_DAYS)
    return {"id": r.pk, "office": r.office_id, **{n: getattr(r, n) for n in names}}


def _registered(found: list[Inspection]) -> list[dict[str, object]]:
    rules = rules_by_inspection(i.pk for i in found)
    rows = []
    for i in found:
        due = due_dates(i.feedback_date, rules[i.pk])
        rows.append(
            {
                "id": i.pk,
                "organisation": i.organisation_id,
                "organisation_name": i.organisation.name,
                "team": i.team_id,
                "feedback_date": i.feedback_date,
                "has_feedback": i.sources.exists(),
                "plan_due": due.plan if due else None,
                "report_due": due.report if due else None,
            }
        )
    return rows


ANSWERS = {401: Refusal, 404: Refusal, 409: Refusal, 422: Refusal}


@router.get("/rounds", response={200: list[RoundOut], **ANSWERS}, summary="巡察轮次列表")
def round_list(request: HttpRequest) -> list[dict[str, object]]:
    user = _user(request)
    access.require_round_keeper(user)
    found = Round.objects.filter(office__in=access.offices_kept_by(user)).order_by("-pk")
    return [_round(r) for r in found]


@router.post(
    "/rounds",
    response={200: RoundOut, **ANSWERS},
    summary="创建巡察轮次",
    description="记入审计日志。",
)
def round_create(request: HttpRequest, data: RoundIn) -> dict[str, object]:
    fields = services.RoundFields(**data.dict(exclude={"office"}))
    made = services.round_create(actor=_user(request), office_id=data.office, fields=fields)
    return _round(made)


@router.get("/rounds/{round_id}", response={200: RoundDetailOut, **ANSWERS}, summary="巡察轮次详情")
def round_detail(request: HttpRequest, round_id: RoundId) -> dict[str, object]:
    found = access.round_for(_user(request), round_id)
    teams = [
        {
            "id": t.pk,
            "name": t.name,
            "leader": t.leader,
            "organisations": sorted(o.pk for o in t.organisations.all()),
        }
        for t in found.teams.prefetch_related("organisations")
    ]
    inspections = list(found.inspections.select_related("organisation").order_by("pk"))
    return {**_round(found), "teams": teams, "inspections": _registered(inspections)}


@router.post(
    "/rounds/{round_id}/inspections",
    response={200: RegisteredOut, **ANSWERS},
    summary="登记巡察",
    description="在本轮次登记一个被巡察单位的巡察（反馈意见稍后上传）；记入审计日志。",
)
def inspection_register(
    request: HttpRequest, round_id: RoundId, data: RegisterIn
) -> dict[str, object]:
    made = services.inspection_register(
        actor=_user(request),
        round_id=round_id,
        organisation_id=data.organisation,
        team_id=data.team,
        feedback_date=data.feedback_date,
    )
    return _registered([made])[0]
