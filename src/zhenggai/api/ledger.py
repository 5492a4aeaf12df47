"""Reading the ledger: inspections, their tree, the measures list, details, totals,
history and evidence files.

Every object is reached through ``zhenggai.access`` (an unknown or hidden id
is a 404 either way); the queries are in ``ledger.selectors`` and each
operation issues a fixed number of them whatever the size of the ledger.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import P, PathEx, Query, Router

from zhenggai import access
from zhenggai.api import ledger_present as present
from zhenggai.api import ledger_schemas as out
from zhenggai.documents.ledger_document import ledger_document, ledger_rows
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.rules import rules_by_inspection, rules_in_force
from zhenggai.ledger import selectors
from zhenggai.ledger.uploads import file_response
from zhenggai.orgs.models import Membership

router = Router(tags=["台账"])

LEDGER_KEYS = tuple(out.LedgerOut.__annotations__)


# What each answer means, in Chinese (ninja would print HTTP's English phrases).
ANSWERS = {
    200: "成功",
    401: "未登录，或令牌无效",
    404: "对象不存在，或无权查看",
    422: "参数不合格，detail 说明原因",
}

View = TypeVar("View", bound=Callable[..., Any])


def _read(
    path: str,
    ok: Any,
    summary: str,
    description: str,
    *,
    missing: bool = True,
    invalid: bool = True,
) -> Callable[[View], View]:
    """Register a read: its answer on 200, 401, and 404 for an id / 422 for bad parameters."""
    codes: dict[int, Any] = {200: ok, 401: out.Detail}
    codes |= {404: out.Detail} if missing else {}
    codes |= {422: out.Invalid} if invalid else {}
    texts = {code: {"description": ANSWERS[code]} for code in codes}
    register: Callable[[View], View] = router.get(
        path,
        response=codes,
        summary=summary,
        description=description,
        openapi_extra={"responses": texts},
    )
    return register


def _id(what: str) -> Any:
    return P(ge=1, le=out.MAX_ID, title=f"{what}编号", description=f"{what}编号")


InspectionId = PathEx[int, _id("巡察")]
ProblemId = PathEx[int, _id("问题")]
MeasureId = PathEx[int, _id("整改措施")]
EvidenceId = PathEx[int, _id("佐证材料")]


def _user(request: HttpRequest) -> User:
    user = request.user
    # Both authenticators set a signed-in user before any operation runs.
    assert isinstance(user, User)
    return user


@_read(
    "/me",
    out.MeOut,
    "当前用户",
    "当前用户及其在各组织中的角色。",
    missing=False,
    invalid=False,
)
def me(request: HttpRequest) -> out.MeOut:
    user = _user(request)
    memberships = Membership.objects.filter(user=user).select_related("organisation", "department")
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name(),
        "memberships": [
            {
                "organisation": present.named(m.organisation),
                "role": m.role,
                "role_label": m.get_role_display(),
                "department": present.named(m.department) if m.department else None,
            }
            for m in memberships.order_by("pk")
        ],
    }


@_read(
    "/inspections",
    list[out.InspectionOut],
    "巡察列表",
    "当前用户可以查看的全部巡察，附按台账计算的统计。",
    missing=False,
    invalid=False,
)
def inspection_list(request: HttpRequest) -> list[out.InspectionOut]:
    visible = access.visible_inspections(_user(request))
    counted = selectors.tallies(visible, timezone.localdate())
    rows = visible.select_related("organisation", "round").order_by("pk")
    return [present.inspection(i, counted[i.pk]) for i in rows]


@_read(
    "/inspections/{inspection_id}",
    out.InspectionDetailOut,
    "巡察详情",
    "巡察的基本情况、台账统计，以及按巡察办规定计算的整改方案和整改报告报送期限。",
)
def inspection_detail(request: HttpRequest, inspection_id: InspectionId) -> out.InspectionDetailOut:
    found, _ = access.inspection_for(_user(request), inspection_id)
    scope = Inspection.objects.filter(pk=found.pk)
    counted = selectors.tallies(scope, timezone.localdate())
    inspection = scope.select_related("organisation", "round").get()
    rules = rules_in_force(inspection)
    return present.inspection_detail(inspection, counted[found.pk], rules)


@_read(
    "/inspections/{inspection_id}/ledger",
    out.LedgerOut,
    "整改台账全文",
    "整个台账（类别、问题、子问题、措施、问责、建章立制、未完成事项、联系方式），"
    "键与取值与 `zhenggai parse` 输出的 JSON 相同，导入的文书可原样读回。"
    "编号和状态见 /outline。",
)
def inspection_ledger(request: HttpRequest, inspection_id: InspectionId) -> dict[str, Any]:
    found, _ = access.inspection_for(_user(request), inspection_id)
    full = ledger_document(ledger_rows(found)).to_dict()
    return {key: full[key] for key in LEDGER_KEYS}


@_read(
    "/inspections/{inspection_id}/outline",
    out.OutlineOut,
    "台账结构",
    "台账的类别、问题、子问题和措施，附编号、状态和预警，用于跳转到详情。",
)
def inspection_outline(request: HttpRequest, inspection_id: InspectionId) -> out.OutlineOut:
    found, _ = access.inspection_for(_user(request), inspection_id)
    rules = rules_in_force(found)
    rows = ledger_rows(found)
    return present.Outliner(
        rows, rules, timezone.localdate(), found.plan_approved is not None
    ).outline()


# --- Measures -------------------------------------------------------------------------


def _wanted(asked: out.MeasureQuery, inspection: int | None) -> selectors.MeasureFilter:
    return selectors.MeasureFilter(
        inspection=inspection,
        category=asked.category,
        states=tuple(asked.state),
        department=asked.department,
        department_name=asked.department_name,
        person=asked.person,
        person_name=asked.person_name,
        overdue=asked.overdue,
        deadline_from=asked.deadline_from,
        deadline_to=asked.deadline_to,
        q=asked.q,
        sort=asked.sort,
    )


def _measure_page(
    scope: QuerySet[Inspection], asked: out.MeasureQuery, inspection: int | None = None
) -> out.MeasurePage:
    today = timezone.localdate()
    found = selectors.measures_matching(scope, _wanted(asked, inspection), today)
    count, rows = selectors.page_of(found, asked.page, asked.page_size)
    rules = rules_by_inspection(m.inspection_id for m in rows)
    items = [present.measure_item(m, rules[m.inspection_id], today) for m in rows]
    return {"count": count, "page": asked.page, "page_size": asked.page_size, "items": items}


MEASURES_HELP = (
    "台账中的整改措施，分页。可按类别、状态、责任部门（编号或名称）、责任人（编号或姓名）、"
    "是否逾期、整改时限范围筛选，按关键词在措施内容和问题标题中查找；"
    "逾期指超过现行整改时限且未销号、未转入长期坚持，按今天计算。"
)


@_read(
    "/measures",
    out.MeasurePage,
    "整改措施列表",
    MEASURES_HELP + "列出当前用户可以查看的全部巡察中的措施。",
    missing=False,
)
def measure_list(request: HttpRequest, asked: Query[out.AllMeasuresQuery]) -> out.MeasurePage:
    visible = access.visible_inspections(_user(request))
    return _measure_page(visible, asked, asked.inspection)


@_read(
    "/inspections/{inspection_id}/measures",
    out.MeasurePage,
    "一次巡察的整改措施",
    MEASURES_HELP,
)
def inspection_measures(
    request: HttpRequest, inspection_id: InspectionId, asked: Query[out.MeasureQuery]
) -> out.MeasurePage:
    found, _ = access.inspection_for(_user(request), inspection_id)
    return _measure_page(Inspection.objects.filter(pk=found.pk), asked)


@_read(
    "/measures/{measure_id}",
    out.MeasureDetailOut,
    "整改措施详情",
    "措施及其整改进展、佐证材料各版本、延期申请和审批记录。",
)
def measure_detail(request: HttpRequest, measure_id: MeasureId) -> out.MeasureDetailOut:
    found, _ = access.measure_for(_user(request), measure_id)
    measure = selectors.measures_in_detail().get(pk=found.pk)
    rules = rules_in_force(measure.inspection)
    return present.measure_detail(measure, rules, timezone.localdate())


@_read(
    "/measures/{measure_id}/history",
    list[out.EventOut],
    "整改措施的变更记录",
    "措施及其进展、佐证材料、延期申请的审计记录，按发生顺序。",
)
def measure_history(request: HttpRequest, measure_id: MeasureId) -> list[out.EventOut]:
    found, _ = access.measure_for(_user(request), measure_id)
    return [present.event(e) for e in selectors.measure_history(found)]


# --- Problems -------------------------------------------------------------------------


@_read(
    "/problems/{problem_id}",
    out.ProblemDetailOut,
    "问题详情",
    "问题、所属类别和上级问题、子问题、整改措施（含进展、佐证材料、延期、审批）、"
    "回头看记录和未完成整改事项。",
)
def problem_detail(request: HttpRequest, problem_id: ProblemId) -> out.ProblemDetailOut:
    found, _ = access.problem_for(_user(request), problem_id)
    problem = selectors.problem_in_detail(found)
    rules = rules_in_force(problem.inspection)
    return present.problem_detail(problem, rules, timezone.localdate())


@_read(
    "/problems/{problem_id}/history",
    list[out.EventOut],
    "问题的变更记录",
    "问题、其回头看和未完成事项，以及其全部措施的审计记录，按发生顺序。",
)
def problem_history(request: HttpRequest, problem_id: ProblemId) -> list[out.EventOut]:
    found, _ = access.problem_for(_user(request), problem_id)
    return [present.event(e) for e in selectors.problem_history(found)]


# --- Totals ---------------------------------------------------------------------------


@_read(
    "/totals",
    out.TotalsReportOut,
    "各单位整改统计",
    "当前用户可以查看的每个有巡察的被巡察单位：巡察次数、问题数（不含子问题）、"
    "已销号、长期坚持、未完成的问题数，逾期措施数（按措施计，不按问题计），"
    "按措施权重计算的完成率，以及合计。",
    missing=False,
    invalid=False,
)
def totals(request: HttpRequest) -> out.TotalsReportOut:
    today = timezone.localdate()
    rows = selectors.organisation_tallies(access.visible_inspections(_user(request)), today)
    overall = selectors.Tally()
    for row in rows:
        overall.absorb(row.tally)
    return {
        "date": today,
        "organisations": [
            {
                **present.totals(row.tally),
                "organisation": {"id": row.id, "name": row.name},
                "inspections": row.inspections,
            }
            for row in rows
        ],
        "overall": {**present.totals(overall), "inspections": sum(r.inspections for r in rows)},
    }


# --- Evidence files -------------------------------------------------------------------


@router.get(
    "/evidence/{evidence_id}/file",
    response={401: out.Detail, 404: out.Detail, 422: out.Invalid},
    summary="下载佐证材料",
    description="佐证材料文件，以附件下载，文件名为上传时的原名。",
    openapi_extra={
        "responses": {code: {"description": ANSWERS[code]} for code in (401, 404, 422)}
        | {
            200: {
                "description": "文件内容",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def evidence_file(request: HttpRequest, evidence_id: EvidenceId) -> FileResponse:
    found, _measure, _roles = access.evidence_for(_user(request), evidence_id)
    return file_response(found, inline=False)  # never rendered by a browser from the API
