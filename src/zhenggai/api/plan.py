"""The plan editor through the API: measures written under each problem, the
parser's levels put right, the review a plan meets before it is submitted, the
versions submitted and what changed between them.

Writes are each a thin call of one service (``services/plan_measures.py``,
``services/plans.py``, ``services/plan_review.py``), which check access, the role,
the plan's state and what was typed, and answer 404 or 409 in Chinese
(``api/main.py``). Reads reach the inspection through ``access.inspection_for``.

Paths: a measure's plan entry is ``/measures/{id}/plan`` (PUT edits it, DELETE
deletes it), since ``/measures/{id}`` is the ledger router's and Django serves a
path from the first router that has it. For the same reason this router is
registered before the one holding ``/inspections/{id}/plan/{move}``, whose
``{move}`` would otherwise take ``review`` and ``versions``.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Router, Schema, Status

from zhenggai import access
from zhenggai.api import ledger_schemas
from zhenggai.api import plan_schemas as schemas
from zhenggai.api.work import ANSWERS
from zhenggai.api.work_schemas import MAX_ID, PlanOut, answers
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.ledger import plan_checks, plan_versions
from zhenggai.ledger.models import Measure, PlanVersion
from zhenggai.ledger.plan_tree import read_plan
from zhenggai.orgs.models import display_name
from zhenggai.refusals import NotFound
from zhenggai.services import plan_measures, plan_review
from zhenggai.services import plans as plan_edits

router = Router(tags=["整改方案"])

View = TypeVar("View", bound=Callable[..., Any])


def _id(what: str) -> Any:
    return P(ge=1, le=MAX_ID, title=f"{what}编号", description=f"{what}编号")


MeasureId = PathEx[int, _id("整改措施")]
ProblemId = PathEx[int, _id("问题")]
InspectionId = PathEx[int, _id("巡察")]
VersionNumber = PathEx[
    int, P(ge=1, le=schemas.MAX_VERSION, title="版本号", description="版本号，从 1 起")
]


def _write(
    method: str, path: str, ok: type[Schema] | None, summary: str, description: str = ""
) -> Callable[[View], View]:
    """Register a write: its result (or 204 when there is none), the refusals every
    write shares, Chinese texts."""
    # The refusals every write declares: answers() without its 200.
    refusals = {code: shape for code, shape in answers(Schema).items() if code != 200}
    success = 200 if ok else 204
    codes: dict[int, Any] = {success: ok} | refusals
    register: Callable[[View], View] = router.api_operation(
        [method],
        path,
        response=codes,
        summary=summary,
        description=description,
        openapi_extra={"responses": ANSWERS | {success: {"description": "成功"}}},
    )
    return register


def _read(path: str, ok: Any, summary: str, description: str) -> Callable[[View], View]:
    """Register a read: its answer on 200, 401, 404 for an id, 422 for a bad one."""
    texts = {
        200: "成功",
        401: ANSWERS[401]["description"],
        404: ANSWERS[404]["description"],
        422: "参数不合格，detail 说明原因",
    }
    codes = {
        200: ok,
        401: ledger_schemas.Detail,
        404: ledger_schemas.Detail,
        422: ledger_schemas.Invalid,
    }
    register: Callable[[View], View] = router.get(
        path,
        response=codes,
        summary=summary,
        description=description,
        openapi_extra={"responses": {code: {"description": text} for code, text in texts.items()}},
    )
    return register


def _actor(request: HttpRequest) -> User:
    """The signed-in user; ninja's auth has already answered 401 to anyone else."""
    user = request.user
    assert isinstance(user, User)
    return user


# ---- the measures of the plan -----------------------------------------------


def _measure_input(data: schemas.PlanMeasureIn) -> plan_measures.MeasureInput:
    return plan_measures.MeasureInput(
        text=data.text,
        target=data.target,
        type=data.type,
        leader_id=data.leader_id,
        department_id=data.department_id,
        person_id=data.person_id,
        deadline=data.deadline,
        weight=data.weight,
        expected_evidence=data.expected_evidence,
    )


WRITING = (
    "起草中或退回修改的方案可以修改；方案审批后，只能为回头看后重新整改的问题新增措施"
    "（方案随之进入修订，须重新报送审批）。"
)


@_write(
    "POST",
    "/problems/{problem_id}/measures",
    schemas.PlanMeasureOut,
    "新增整改措施",
    "在问题的措施之后新增一条。" + WRITING,
)
def measure_create(
    request: HttpRequest, problem_id: ProblemId, data: schemas.PlanMeasureIn
) -> Measure:
    return plan_measures.measure_create(
        actor=_actor(request), problem_id=problem_id, data=_measure_input(data)
    )


@_write(
    "PUT",
    "/measures/{measure_id}/plan",
    schemas.PlanMeasureOut,
    "修改整改措施",
    "以请求中的内容替换措施的全部内容（未填的项恢复默认）。" + WRITING,
)
def measure_edit(
    request: HttpRequest, measure_id: MeasureId, data: schemas.PlanMeasureIn
) -> Measure:
    return plan_measures.measure_edit(
        actor=_actor(request), measure_id=measure_id, data=_measure_input(data)
    )


@_write(
    "DELETE",
    "/measures/{measure_id}/plan",
    None,
    "删除整改措施",
    "已有整改进展、佐证材料或审批记录的措施不能删除。" + WRITING,
)
def measure_delete(request: HttpRequest, measure_id: MeasureId) -> Status[None]:
    plan_measures.measure_delete(actor=_actor(request), measure_id=measure_id)
    return Status(204, None)


@_write(
    "POST",
    "/measures/{measure_id}/position",
    schemas.PlanMeasureOut,
    "调整整改措施的顺序",
    "把措施放到所属问题的第 position 条，其余措施依次顺延。",
)
def measure_reorder(
    request: HttpRequest, measure_id: MeasureId, data: schemas.PlanPositionIn
) -> Measure:
    return plan_measures.measure_reorder(
        actor=_actor(request), measure_id=measure_id, position=data.position
    )


# ---- levels: measures, problems and sub-problems -----------------------------

DRAFT = "只有起草中或退回修改、尚未审批的整改方案可以修改。"


@_write(
    "POST",
    "/measures/{measure_id}/to-subproblem",
    schemas.PlanProblemOut,
    "整改措施改为子问题",
    "解析时误作措施的子问题（如「（1）……的问题」）改为所属问题的子问题，排在最后；"
    "返回新的子问题。" + DRAFT,
)
def measure_to_subproblem(request: HttpRequest, measure_id: MeasureId) -> Problem:
    return plan_edits.measure_to_subproblem(actor=_actor(request), measure_id=measure_id)


@_write(
    "POST",
    "/problems/{problem_id}/to-measure",
    schemas.PlanMeasureOut,
    "子问题改为整改措施",
    "子问题改为上级问题的一条措施，排在最后，它下面的措施一并移过去；返回新的措施。" + DRAFT,
)
def subproblem_to_measure(request: HttpRequest, problem_id: ProblemId) -> Measure:
    return plan_edits.subproblem_to_measure(actor=_actor(request), problem_id=problem_id)


@_write(
    "POST",
    "/problems/{problem_id}/nest",
    schemas.PlanProblemOut,
    "问题改为子问题",
    "问题放到另一个一级问题下，排在最后，措施随之移动；移回一级用 /position。" + DRAFT,
)
def problem_nest(request: HttpRequest, problem_id: ProblemId, data: schemas.PlanNestIn) -> Problem:
    return plan_edits.problem_nest(
        actor=_actor(request), problem_id=problem_id, parent_id=data.parent_id
    )


@_write("POST", "/problems/{problem_id}/title", schemas.PlanProblemOut, "修改问题标题", DRAFT)
def problem_retitle(
    request: HttpRequest, problem_id: ProblemId, data: schemas.PlanTitleIn
) -> Problem:
    return plan_edits.problem_retitle(
        actor=_actor(request), problem_id=problem_id, title=data.title
    )


@_write(
    "POST",
    "/problems/{problem_id}/merge",
    schemas.PlanProblemOut,
    "合并问题",
    "问题的措施和子问题移到另一个问题下，原问题删除；返回并入的问题。" + DRAFT,
)
def problem_merge(
    request: HttpRequest, problem_id: ProblemId, data: schemas.PlanMergeIn
) -> Problem:
    return plan_edits.problem_merge(
        actor=_actor(request), problem_id=problem_id, into_id=data.into_id
    )


@_write(
    "POST",
    "/problems/{problem_id}/split",
    schemas.PlanProblemOut,
    "拆分问题",
    "所选措施移到紧随其后的新问题下；返回新问题。" + DRAFT,
)
def problem_split(
    request: HttpRequest, problem_id: ProblemId, data: schemas.PlanSplitIn
) -> Problem:
    return plan_edits.problem_split(
        actor=_actor(request), problem_id=problem_id, measure_ids=data.measure_ids, title=data.title
    )


@_write(
    "POST",
    "/problems/{problem_id}/position",
    schemas.PlanProblemOut,
    "移动问题",
    "问题移到某一类别的一级问题中的第 position 个（子问题移动后成为一级问题），"
    "子问题和措施随之移动。" + DRAFT,
)
def problem_relocate(
    request: HttpRequest, problem_id: ProblemId, data: schemas.PlanRelocateIn
) -> Problem:
    return plan_edits.problem_relocate(
        actor=_actor(request),
        problem_id=problem_id,
        category_id=data.category_id,
        position=data.position,
    )


# ---- the plan's review and versions -------------------------------------------


@_read(
    "/inspections/{inspection_id}/plan/review",
    list[schemas.PlanFindingOut],
    "整改方案审查",
    "报送前的审查：硬性问题（问题没有措施，措施没有责任部门或责任人、没有时限或时限不合规定）"
    "不改正不能报送；提示（措施空泛、重复等）随报送版本留给审批人参考。"
    "修订中的方案只审查回头看后重新整改的问题的新措施。",
)
def plan_findings(
    request: HttpRequest, inspection_id: InspectionId
) -> list[schemas.PlanFindingOut]:
    inspection, _roles = access.inspection_for(
        _actor(request), inspection_id, related=("organisation",)
    )
    findings = plan_checks.review(
        read_plan(inspection), plan_review.terms(inspection), plan_review.amending(inspection)
    )
    return [
        {
            "problem": f.problem,
            "measure": f.measure,
            "code": f.code,
            "message": f.message,
            "hard": f.hard,
        }
        for f in findings
    ]


@_read(
    "/inspections/{inspection_id}/plan/versions",
    list[schemas.PlanVersionOut],
    "整改方案的报送版本",
    "每次报送保存的版本，按版本号排列，附审批结果、意见和报送时的提示。",
)
def plan_version_list(
    request: HttpRequest, inspection_id: InspectionId
) -> list[schemas.PlanVersionOut]:
    inspection, _roles = access.inspection_for(_actor(request), inspection_id)
    versions = (
        PlanVersion.objects.filter(inspection=inspection)
        .select_related("submitted_by")
        .order_by("number")
    )
    return [_version(v) for v in versions]


def _version(version: PlanVersion) -> schemas.PlanVersionOut:
    by = version.submitted_by
    return {
        "number": version.number,
        "amendment": version.amendment,
        "submitted_by": display_name(by.first_name, by.last_name, by.username),
        "submitted_at": version.submitted_at,
        "outcome": version.outcome,
        "outcome_label": version.get_outcome_display(),
        "comment": version.comment,
        "problem_comments": {str(k): str(v) for k, v in version.problem_comments.items()},
        "warnings": schemas.warnings_of(version.warnings),
    }


@_read(
    "/inspections/{inspection_id}/plan/versions/{old}/diff/{new}",
    list[schemas.PlanChangeOut],
    "两个版本之间的改动",
    "从版本 old 到版本 new，逐个问题列出新增、删去和改动的措施（按 new 的顺序）。",
)
def plan_version_diff(
    request: HttpRequest, inspection_id: InspectionId, old: VersionNumber, new: VersionNumber
) -> list[schemas.PlanChangeOut]:
    inspection, _roles = access.inspection_for(_actor(request), inspection_id)
    trees = dict(
        PlanVersion.objects.filter(inspection=inspection, number__in=(old, new)).values_list(
            "number", "tree"
        )
    )
    if old not in trees or new not in trees:
        raise NotFound(_("未找到该版本的整改方案"))
    return [_change(c) for c in plan_versions.diff(trees[old], trees[new])]


def _change(change: plan_versions.Change) -> schemas.PlanChangeOut:
    return {
        "problem": change.problem,
        "new_problem": change.new_problem,
        "gone_problem": change.gone_problem,
        "added": change.added,
        "removed": change.removed,
        "changed": [
            {
                "measure": text,
                "fields": [{"field": f, "before": b, "after": a} for f, b, a in fields],
            }
            for text, fields in change.changed
        ],
    }


@_write(
    "POST",
    "/inspections/{inspection_id}/plan/record-approved",
    PlanOut,
    "登记线下已审批的整改方案",
    "开始使用本系统前已在线下经审批的整改方案，登记为已审批（不再审查），"
    "以便录入已开展的整改；comment 写明批复文号和日期。",
)
def plan_record_approved(
    request: HttpRequest, inspection_id: InspectionId, data: schemas.PlanRecordIn
) -> Inspection:
    return plan_review.plan_record_approved(
        actor=_actor(request), inspection_id=inspection_id, comment=data.comment
    )
