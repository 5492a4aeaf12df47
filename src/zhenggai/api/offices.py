"""The inspection office's rules, read and changed by the office itself."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, P, PathEx, Router, Schema

from zhenggai import access
from zhenggai.orgs.models import OfficeSettings
from zhenggai.services import offices as services

router = Router(tags=["巡察办设置"])

OfficeId = PathEx[int, P(ge=1, le=2**63 - 1, title="巡察办编号", description="巡察办编号")]


class OfficeRefusal(Schema):
    detail: str


class OfficeRulesIn(Schema):
    warn_person_days: int = Field(ge=0, le=365, description="剩余天数不超过此数时提醒责任人")
    warn_leader_days: int = Field(ge=0, le=365, description="剩余天数不超过此数时同时提醒责任领导")
    plan_days: int = Field(ge=1, le=730, description="反馈后报送整改方案的天数")
    report_days: int = Field(ge=1, le=730, description="反馈后报送整改情况报告的天数")
    reviews_plans: bool = Field(
        default=True, description="被巡察单位领导审批后，整改方案是否报巡察办审核"
    )
    longest_term_days: int = Field(
        default=365, ge=1, le=3650, description="首次整改时限最长为反馈后多少天（30 到 1095）"
    )


class OfficeRulesOut(OfficeRulesIn):
    office: int = Field(description="巡察办编号")

    @staticmethod
    def resolve_office(obj: OfficeSettings) -> int:
        return obj.office_id


ANSWERS = {
    200: OfficeRulesOut,
    401: OfficeRefusal,
    404: OfficeRefusal,
    409: OfficeRefusal,
    422: OfficeRefusal,
}


@router.get(
    "/offices/{office_id}/rules",
    response=ANSWERS,
    summary="巡察办设置",
    description="预警天数（逾期时提醒单位主要负责人）与报送时限，仅本巡察办可见。",
)
def rules_read(request: HttpRequest, office_id: OfficeId) -> OfficeSettings:
    return services.office_rules(access.office_for(request.user, office_id))


@router.post(
    "/offices/{office_id}/rules",
    response=ANSWERS,
    summary="修改巡察办设置",
    description="修改预警天数与报送时限；修改记入审计日志。",
)
def rules_update(request: HttpRequest, office_id: OfficeId, data: OfficeRulesIn) -> OfficeSettings:
    assert isinstance(request.user, User)
    return services.office_rules_update(actor=request.user, office_id=office_id, **data.dict())
