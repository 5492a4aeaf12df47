"""Every workflow move and every write, each a thin call of one service.

Access, the workflow and the audit trail are the services' business: a handler
only turns the request into their arguments. Their refusals become 409 and 404
in ``api/main.py``; ninja answers 401 to the anonymous and 422 to bad input.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import FileEx, FormEx, P, PathEx, Router, Schema, UploadedFile

from zhenggai.accountability.models import Action, FundsRecovered, Regulation
from zhenggai.api.work_schemas import (
    MAX_ID,
    ActionIn,
    ActionOut,
    AssignIn,
    AssignOut,
    DecisionIn,
    EvidenceOut,
    ExtensionIn,
    ExtensionOut,
    FollowUpIn,
    FollowUpOut,
    FundsIn,
    FundsOut,
    Id,
    MeasureMove,
    MoveIn,
    PlanMove,
    PlanMoveIn,
    PlanOut,
    ProblemMove,
    ProblemMoveIn,
    ProgressIn,
    ProgressOut,
    RegulationIn,
    RegulationOut,
    ReviewIn,
    StateOut,
    answers,
    is_storable,
)
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.ledger.models import Evidence, Extension, FollowUpReview, Measure, ProgressEntry
from zhenggai.refusals import Refused
from zhenggai.services import accountability, plan_review
from zhenggai.services import ledger as services

router = Router(tags=["整改流程"])


def _id(what: str) -> Any:
    return P(ge=1, le=MAX_ID, title=f"{what}编号", description=f"{what}编号")


MeasureId = PathEx[int, _id("整改措施")]
ProblemId = PathEx[int, _id("问题")]
InspectionId = PathEx[int, _id("巡察")]
EvidenceId = PathEx[int, _id("佐证材料")]
ExtensionId = PathEx[int, _id("延期申请")]


# What each answer means, in the schema's own words (ninja would print HTTP's English phrases).
ANSWERS = {
    400: {"description": "请求体无法解析（不是合法的 JSON 或表单）"},
    401: {"description": "未登录，或令牌无效"},
    403: {"description": "以登录会话调用时缺少 CSRF 令牌"},
    404: {"description": "对象不存在，或无权查看"},
    409: {"description": "不允许此操作，detail 说明原因"},
    422: {"description": "输入不合格，detail 列出各项"},
}


View = TypeVar("View", bound=Callable[..., Any])


def _post(
    path: str, ok: type[Schema], summary: str, description: str = ""
) -> Callable[[View], View]:
    """Register a write: its result on 200, the refusals every write shares, Chinese texts."""
    register: Callable[[View], View] = router.post(
        path,
        response=answers(ok),
        summary=summary,
        description=description,
        openapi_extra={"responses": ANSWERS | {200: {"description": "成功"}}},
    )
    return register


def _actor(request: HttpRequest) -> User:
    """The signed-in user; ninja's auth has already answered 401 to anyone else."""
    user = request.user
    assert isinstance(user, User)
    return user


# ---- workflow moves --------------------------------------------------------


@_post(
    "/measures/{measure_id}/moves/{move}",
    StateOut,
    "整改措施流程操作",
    "开始整改、申请销号、退回、销号、转入长期坚持或重新整改；返回措施的新状态。",
)
def measure_move(
    request: HttpRequest,
    measure_id: MeasureId,
    move: PathEx[MeasureMove, P(title="操作", description="操作")],
    data: MoveIn,
) -> Measure:
    return services.measure_move(
        actor=_actor(request), measure_id=measure_id, move=move, data=MoveInput(data.comment)
    )


@_post(
    "/problems/{problem_id}/moves/{move}",
    StateOut,
    "问题流程操作",
    "转入长期整改时须填写未完成原因、下一步措施和新的整改时限。",
)
def problem_move(
    request: HttpRequest,
    problem_id: ProblemId,
    move: PathEx[ProblemMove, P(title="操作", description="操作")],
    data: ProblemMoveIn,
) -> Problem:
    given = MoveInput(data.comment, data.reason, data.next_steps, data.new_deadline)
    return services.problem_move(
        actor=_actor(request), problem_id=problem_id, move=move, data=given
    )


@_post(
    "/inspections/{inspection_id}/plan/{move}",
    PlanOut,
    "整改方案流程操作",
    "报送、审批或退回整改方案；退回时可逐题写明意见（problem_comments）。"
    "报送前先审查，硬性问题见 /inspections/{inspection_id}/plan/review。",
)
def plan_move(
    request: HttpRequest,
    inspection_id: InspectionId,
    move: PathEx[PlanMove, P(title="操作", description="操作")],
    data: PlanMoveIn,
) -> Inspection:
    return plan_review.plan_move(
        actor=_actor(request),
        inspection_id=inspection_id,
        move=move,
        data=MoveInput(data.comment),
        problem_comments=data.problem_comments,
    )


@_post(
    "/measures/{measure_id}/assignment",
    AssignOut,
    "分配整改措施",
    "设定责任部门、责任人、责任领导和权重；时限只在尚未确定时可设，之后须申请延期。",
)
def measure_assign(request: HttpRequest, measure_id: MeasureId, data: AssignIn) -> Measure:
    return services.measure_assign(
        actor=_actor(request),
        measure_id=measure_id,
        department_id=data.department,
        person_id=data.person,
        leader_id=data.leader,
        deadline=data.deadline,
        weight=data.weight,
    )


# ---- progress and evidence ------------------------------------------------


@_post("/measures/{measure_id}/progress", ProgressOut, "填报整改进展")
def progress_record(request: HttpRequest, measure_id: MeasureId, data: ProgressIn) -> ProgressEntry:
    return services.progress_record(
        actor=_actor(request),
        measure_id=measure_id,
        date=data.date,
        text=data.text,
        figures=dict(data.figures),
    )


def _size(limit: int) -> str:
    return f"{limit // 1048576} MB" if limit >= 1048576 else _("%(n)s 字节") % {"n": limit}


def _read_upload(file: UploadedFile) -> bytes:
    """The file's bytes, refused by the size Django counted while receiving it,
    before they are read into memory; a name the databases cannot keep is refused too."""
    limit: int = settings.EVIDENCE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise Refused(_("文件超过大小上限（%(size)s）") % {"size": _size(limit)})
    if not is_storable(file.name or ""):
        raise Refused(_("文件名含有不能保存的字符"))
    # One byte more than allowed, so the service still sees an oversize file as one.
    return bytes(file.read(limit + 1))


@_post(
    "/measures/{measure_id}/evidence",
    EvidenceOut,
    "上传佐证材料",
    "multipart/form-data：file 文件，effective_date 生效日期，"
    "replaces 所替换的上一版本（可选）。文件类型按内容判断，须与扩展名一致。",
)
def evidence_add(
    request: HttpRequest,
    measure_id: MeasureId,
    file: FileEx[UploadedFile, P(title="文件", description="佐证材料文件")],
    effective_date: FormEx[dt.date, P(title="生效日期", description="生效日期，不晚于今天")],
    replaces: FormEx[Id | None, P(title="替换", description="所替换的上一版本编号")] = None,
) -> Evidence:
    return services.evidence_add(
        actor=_actor(request),
        measure_id=measure_id,
        name=file.name or "",
        content=_read_upload(file),
        effective_date=effective_date,
        replaces_id=replaces,
    )


@_post("/evidence/{evidence_id}/review", EvidenceOut, "审核佐证材料", "认可，或写明意见退回。")
def evidence_review(request: HttpRequest, evidence_id: EvidenceId, data: ReviewIn) -> Evidence:
    return services.evidence_review(
        actor=_actor(request), evidence_id=evidence_id, accept=data.accept, comment=data.comment
    )


# ---- deadlines and follow-up ------------------------------------------------


@_post(
    "/measures/{measure_id}/extensions",
    ExtensionOut,
    "申请延期",
    "时限从不直接修改：延期须申请并经责任领导审批。",
)
def extension_request(request: HttpRequest, measure_id: MeasureId, data: ExtensionIn) -> Extension:
    return services.extension_request(
        actor=_actor(request),
        measure_id=measure_id,
        new_deadline=data.new_deadline,
        reason=data.reason,
    )


@_post(
    "/extensions/{extension_id}/decision",
    ExtensionOut,
    "审批延期申请",
    "同意后措施的时限改为申请的时限，原定时限保留。",
)
def extension_decide(
    request: HttpRequest, extension_id: ExtensionId, data: DecisionIn
) -> Extension:
    return services.extension_decide(
        actor=_actor(request), extension_id=extension_id, approve=data.approve, comment=data.comment
    )


@_post(
    "/problems/{problem_id}/follow-up-reviews",
    FollowUpOut,
    "记录回头看",
    "发现反弹的，问题重新整改，原有记录保留。",
)
def follow_up_record(
    request: HttpRequest, problem_id: ProblemId, data: FollowUpIn
) -> FollowUpReview:
    return services.follow_up_record(
        actor=_actor(request),
        problem_id=problem_id,
        date=data.date,
        finding=data.finding,
        relapsed=data.relapsed,
    )


# ---- accountability, regulations, funds -------------------------------------


@_post(
    "/inspections/{inspection_id}/accountability",
    ActionOut,
    "记录问责处理",
    "处分档次仅在党纪处分、政务处分时填写，且须是该处分的档次。",
)
def action_record(request: HttpRequest, inspection_id: InspectionId, data: ActionIn) -> Action:
    return accountability.action_record(
        actor=_actor(request),
        inspection_id=inspection_id,
        kind=data.kind,
        kind_text=data.kind_text,
        grade=data.grade,
        person_name=data.person_name,
        problem_id=data.problem,
        date=data.date,
    )


@_post("/inspections/{inspection_id}/regulations", RegulationOut, "记录建章立制")
def regulation_record(
    request: HttpRequest, inspection_id: InspectionId, data: RegulationIn
) -> Regulation:
    return accountability.regulation_record(
        actor=_actor(request),
        inspection_id=inspection_id,
        title=data.title,
        adopted_on=data.adopted_on,
    )


@_post("/inspections/{inspection_id}/funds", FundsOut, "记录追缴资金")
def funds_record(
    request: HttpRequest, inspection_id: InspectionId, data: FundsIn
) -> FundsRecovered:
    return accountability.funds_record(
        actor=_actor(request),
        inspection_id=inspection_id,
        amount=data.amount,
        description=data.description,
        date=data.date,
        problem_id=data.problem,
    )
