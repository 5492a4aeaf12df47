"""The shapes of the read API: TypedDicts for what it answers, ninja Schemas for what
it is asked.

Answers are TypedDicts (STYLE.md 8): mypy checks every dict the views build, and
pydantic validates them in its compiled core, which keeps the long lists fast.
Class docstrings and field descriptions are the OpenAPI documentation that
office-system developers read, so they are in Chinese.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from zhenggai.inspections.states import State

MAX_ID = 2**63 - 1  # the databases' bigint; larger ids would overflow before the lookup
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Detail(TypedDict):
    """错误说明"""

    detail: Annotated[str, Field(description="原因")]


class InvalidPart(TypedDict):
    """不合格的一项参数"""

    loc: Annotated[list[str | int], Field(description="参数位置")]
    type: Annotated[str, Field(description="错误类型")]


class Invalid(TypedDict):
    """参数不合格"""

    detail: Annotated[str, Field(description="原因")]
    errors: list[InvalidPart]


class Named(TypedDict):
    """组织（编号与名称）"""

    id: int
    name: str


class Ref(TypedDict):
    """对象引用（编号与标题）"""

    id: int
    title: str | None


class MembershipOut(TypedDict):
    """一个角色：在某组织中担任的角色"""

    organisation: Named
    role: Annotated[str, Field(description="角色代码")]
    role_label: Annotated[str, Field(description="角色名称")]
    department: Annotated[Named | None, Field(description="责任人所在部室")]


class MeOut(TypedDict):
    """当前用户"""

    id: int
    username: str
    name: Annotated[str, Field(description="姓名（未填写时为空）")]
    memberships: list[MembershipOut]


# --- Totals -------------------------------------------------------------------------


class TotalsOut(TypedDict):
    """台账统计（按台账计算，不是文书所述）"""

    problems: Annotated[int, Field(description="问题数（不含子问题）")]
    signed_off: Annotated[int, Field(description="已销号问题数")]
    long_term: Annotated[int, Field(description="转入长期坚持的问题数")]
    in_progress: Annotated[int, Field(description="尚未完成的问题数（未销号且非长期坚持）")]
    measures: Annotated[int, Field(description="整改措施数")]
    overdue: Annotated[int, Field(description="逾期整改措施数（超过整改时限且未完成）")]
    completion: Annotated[float, Field(description="完成率 0–1，按措施权重计算")]


class InspectionOut(TypedDict):
    """一次巡察及其台账统计"""

    id: int
    organisation: Annotated[Named, Field(description="被巡察单位")]
    round: Annotated[Named | None, Field(description="巡察轮次")]
    title: str
    inspection_body: Annotated[str, Field(description="巡察组")]
    level: Annotated[str, Field(description="巡视或巡察")]
    kind: Annotated[str, Field(description="常规、专项、机动或回头看")]
    onsite_start: Annotated[dt.date | None, Field(description="进驻日期")]
    onsite_end: Annotated[dt.date | None, Field(description="离开日期")]
    feedback_date: Annotated[dt.date | None, Field(description="反馈日期")]
    document_date: Annotated[dt.date | None, Field(description="文书日期")]
    plan_state: Annotated[str, Field(description="整改方案状态代码")]
    plan_state_label: Annotated[str, Field(description="整改方案状态")]
    totals: TotalsOut


class DueDatesOut(TypedDict):
    """按巡察办规定、自反馈日期起算的报送期限（无反馈日期时为空）"""

    plan_due: Annotated[dt.date | None, Field(description="整改方案报送期限")]
    report_due: Annotated[dt.date | None, Field(description="整改情况报告报送期限")]


class RulesOut(TypedDict):
    """巡察办设置"""

    warn_person_days: Annotated[int, Field(description="剩余天数不超过此数时提醒责任人（黄色）")]
    warn_leader_days: Annotated[int, Field(description="剩余天数不超过此数时提醒责任领导（红色）")]
    plan_days: Annotated[int, Field(description="反馈后报送整改方案的天数")]
    report_days: Annotated[int, Field(description="反馈后报送整改情况报告的天数")]


class ContactOut(TypedDict):
    """监督联系方式"""

    phone: str | None
    address: str | None
    postcode: str | None
    email: str | None


class InspectionDetailOut(InspectionOut):
    """一次巡察的详情：基本情况、台账统计、报送期限"""

    stated_totals: Annotated[dict[str, int], Field(description="文书所述的总数")]
    contact: ContactOut
    due: DueDatesOut
    rules: RulesOut


class OrganisationTotalsOut(TotalsOut):
    """一个被巡察单位的统计"""

    organisation: Named
    inspections: Annotated[int, Field(description="巡察次数")]


class OverallTotalsOut(TotalsOut):
    """全部可见单位的合计"""

    inspections: int


class TotalsReportOut(TypedDict):
    """各被巡察单位的整改统计"""

    date: Annotated[dt.date, Field(description="统计日期（逾期按此日计算）")]
    organisations: list[OrganisationTotalsOut]
    overall: OverallTotalsOut


# --- The ledger in the parser's shape -------------------------------------------------


class LedgerMeasure(TypedDict):
    """整改措施（与文书解析结果同形）"""

    text: str
    type: Annotated[str | None, Field(description="整改类型：立行立改、限期整改或长期坚持")]
    target: Annotated[str | None, Field(description="整改目标")]
    leader: Annotated[str | None, Field(description="责任领导")]
    department: Annotated[str | None, Field(description="责任部门")]
    person: Annotated[str | None, Field(description="责任人")]
    deadline: Annotated[dt.date | None, Field(description="整改时限（现行）")]
    deadline_text: Annotated[str | None, Field(description="整改时限（原文）")]
    progress: Annotated[str | None, Field(description="整改进展（台账原文）")]
    status: Annotated[str | None, Field(description="完成情况（台账原文）")]
    evidence: Annotated[str | None, Field(description="佐证材料（台账原文）")]
    sign_off: Annotated[str | None, Field(description="销号情况（台账原文）")]
    note: Annotated[str | None, Field(description="备注")]


class LedgerProblem(TypedDict):
    """问题及其子问题（与文书解析结果同形）"""

    title: str | None
    description: Annotated[str | None, Field(description="具体表现")]
    summary: Annotated[str | None, Field(description="整改情况概述")]
    target: Annotated[str | None, Field(description="整改目标")]
    measures: list[LedgerMeasure]
    subproblems: list["LedgerProblem"]


class LedgerCategory(TypedDict):
    """问题类别（方面）"""

    title: str | None
    problems: list[LedgerProblem]
    measures: Annotated[list[LedgerMeasure], Field(description="类别自身的整改措施")]


class PeriodOut(TypedDict):
    """巡察进驻期间"""

    start: dt.date | None
    end: dt.date | None


class StatedTotalsOut(TypedDict):
    """文书所述的总数（未述及时为空）"""

    categories: int | None
    problems: int | None
    completed: int | None
    tasks: int | None
    tasks_completed: int | None
    recommendations: int | None
    regulations: int | None  # 「等18份制度方案」


class AccountabilityOut(TypedDict):
    """问责处理人数（无记录时为空）"""

    party_discipline: Annotated[int | None, Field(description="党纪政务处分")]
    ordered_self_examination: Annotated[int | None, Field(description="责令检查")]
    criticism_education: Annotated[int | None, Field(description="批评教育")]
    admonition_talk: Annotated[int | None, Field(description="谈话提醒")]
    other: Annotated[dict[str, int], Field(description="其他处理方式及人数")]


class LedgerUnfinished(TypedDict):
    """未完成整改事项"""

    problem: str | None
    situation: Annotated[str | None, Field(description="存在问题")]
    reason: Annotated[str | None, Field(description="未完成整改原因")]
    next_steps: Annotated[str | None, Field(description="下一步整改措施")]
    deadline: dt.date | None
    deadline_text: str | None


class LedgerOut(TypedDict):
    """整改台账全文，键与取值同 `zhenggai parse` 的 JSON 输出"""

    title: str | None
    org: Annotated[str | None, Field(description="被巡察单位")]
    inspection_body: str | None
    level: str | None
    inspection_kind: str | None
    onsite_period: PeriodOut
    feedback_date: dt.date | None
    date: Annotated[dt.date | None, Field(description="文书日期")]
    categories: list[LedgerCategory]
    stated_totals: StatedTotalsOut
    accountability: AccountabilityOut
    regulations: Annotated[list[str], Field(description="建章立制")]
    unfinished: list[LedgerUnfinished]
    contact: ContactOut


# --- The outline: the same tree with ids and states -----------------------------------


class OutlineMeasure(TypedDict):
    """整改措施（编号与状态）"""

    id: int
    position: int
    text: str
    state: str
    state_label: str
    deadline: dt.date | None
    overdue: bool
    warning: Annotated[str, Field(description="预警：red、yellow、green 或 done")]


class OutlineProblem(TypedDict):
    """问题（编号与状态）"""

    id: int
    position: int
    title: str | None
    state: str
    state_label: str
    measures: list[OutlineMeasure]
    subproblems: list["OutlineProblem"]


class OutlineCategory(TypedDict):
    """问题类别（编号）"""

    id: int
    position: int
    title: str | None
    problems: list[OutlineProblem]
    measures: list[OutlineMeasure]


class OutlineOut(TypedDict):
    """台账结构：类别、问题、措施的编号与状态"""

    inspection: int
    categories: list[OutlineCategory]


# --- Measures -------------------------------------------------------------------------


class MeasureItem(TypedDict):
    """台账中的一条整改措施"""

    id: int
    inspection: Annotated[int, Field(description="巡察编号")]
    organisation: Annotated[Named, Field(description="被巡察单位")]
    category: Annotated[Ref, Field(description="问题类别")]
    problem: Annotated[Ref | None, Field(description="所属问题（类别自身的措施为空）")]
    position: int
    text: Annotated[str, Field(description="整改措施")]
    type: Annotated[str, Field(description="类型代码：immediate、time_bound、long_term")]
    type_label: Annotated[str, Field(description="立行立改、限期整改或长期坚持")]
    leader: Annotated[str | None, Field(description="责任领导")]
    department: Annotated[str | None, Field(description="责任部门")]
    department_id: Annotated[int | None, Field(description="责任部门编号")]
    person: Annotated[str | None, Field(description="责任人")]
    original_deadline: Annotated[dt.date | None, Field(description="原定整改时限")]
    deadline: Annotated[dt.date | None, Field(description="现行整改时限（经延期审批）")]
    state: Annotated[str, Field(description="状态代码")]
    state_label: Annotated[str, Field(description="状态")]
    overdue: Annotated[bool, Field(description="是否逾期")]
    warning: Annotated[str, Field(description="预警：red、yellow、green 或 done")]


class MeasurePage(TypedDict):
    """一页整改措施"""

    count: Annotated[int, Field(description="符合条件的措施总数")]
    page: int
    page_size: int
    items: list[MeasureItem]


class ProgressEntryOut(TypedDict):
    """整改进展"""

    id: int
    date: dt.date
    text: str
    figures: Annotated[dict[str, Any], Field(description="数据")]
    author: Annotated[str, Field(description="填报人用户名")]
    created: dt.datetime


class EvidenceVersionOut(TypedDict):
    """佐证材料的一个版本；文件从 /api/evidence/{id}/file 下载"""

    id: int
    name: Annotated[str, Field(description="文件名")]
    size: Annotated[int, Field(description="字节数")]
    content_type: str
    sha256: str
    supplied_by: Annotated[str, Field(description="提供人用户名")]
    effective_date: Annotated[dt.date, Field(description="生效日期")]
    uploaded_at: Annotated[dt.datetime, Field(description="上传时间")]
    review: Annotated[str, Field(description="审核状态代码：pending、accepted、returned")]
    review_label: Annotated[str, Field(description="审核状态")]
    review_comment: Annotated[str, Field(description="审核意见")]
    replaces: Annotated[int | None, Field(description="所替换的上一版本编号")]


class ExtensionRequestOut(TypedDict):
    """延期申请"""

    id: int
    old_deadline: Annotated[dt.date | None, Field(description="原整改时限")]
    new_deadline: Annotated[dt.date, Field(description="申请的整改时限")]
    reason: Annotated[str, Field(description="延期理由")]
    decision: Annotated[str, Field(description="审批结果代码：pending、approved、refused")]
    decision_label: Annotated[str, Field(description="审批结果")]
    requested_by: Annotated[str, Field(description="申请人用户名")]
    requested_at: dt.datetime


class ApprovalOut(TypedDict):
    """审批记录"""

    id: int
    kind: str
    kind_label: str
    decision: str
    comment: str
    approver: Annotated[str, Field(description="审批人用户名")]
    at: dt.datetime
    state_before: Annotated[dict[str, Any], Field(description="审批时对象的状态")]


class MeasureDetailOut(MeasureItem):
    """整改措施详情：进展、佐证材料、延期申请、审批记录"""

    target: Annotated[str, Field(description="整改目标")]
    weight: Annotated[int, Field(description="权重")]
    deadline_text: Annotated[str, Field(description="整改时限（原文）")]
    progress_text: Annotated[str, Field(description="整改进展（导入台账原文）")]
    status_text: Annotated[str, Field(description="完成情况（导入台账原文）")]
    evidence_text: Annotated[str, Field(description="佐证材料（导入台账原文）")]
    sign_off_text: Annotated[str, Field(description="销号情况（导入台账原文）")]
    note: Annotated[str, Field(description="备注")]
    progress: list[ProgressEntryOut]
    evidence: list[EvidenceVersionOut]
    extensions: list[ExtensionRequestOut]
    approvals: list[ApprovalOut]


class ProblemRef(TypedDict):
    """问题（编号、标题与状态）"""

    id: int
    title: str | None
    state: str
    state_label: str


class ReviewOut(TypedDict):
    """回头看记录"""

    id: int
    date: dt.date
    finding: Annotated[str, Field(description="检查情况")]
    relapsed: Annotated[bool, Field(description="是否反弹")]
    reviewer: Annotated[str, Field(description="检查人用户名")]


class UnfinishedOut(TypedDict):
    """未完成整改事项"""

    id: int
    situation: Annotated[str | None, Field(description="存在问题")]
    reason: Annotated[str | None, Field(description="未完成整改原因")]
    next_steps: Annotated[str | None, Field(description="下一步整改措施")]
    deadline: Annotated[dt.date | None, Field(description="新的整改时限")]
    deadline_text: str | None


class ProblemDetailOut(TypedDict):
    """问题详情：子问题、整改措施（含进展、佐证、延期、审批）、回头看、未完成事项"""

    id: int
    inspection: int
    organisation: Named
    category: Ref
    parent: Annotated[ProblemRef | None, Field(description="上级问题（子问题才有）")]
    position: int
    title: str | None
    description: Annotated[str, Field(description="具体表现")]
    summary: Annotated[str, Field(description="整改情况概述")]
    target: Annotated[str, Field(description="整改目标")]
    state: str
    state_label: str
    subproblems: list[ProblemRef]
    measures: list[MeasureDetailOut]
    reviews: list[ReviewOut]
    unfinished: list[UnfinishedOut]
    approvals: list[ApprovalOut]


class EventOut(TypedDict):
    """审计记录：谁、何时、做了什么，改动前后的值"""

    seq: Annotated[int, Field(description="序号")]
    at: dt.datetime
    actor_name: Annotated[str, Field(description="操作人用户名（系统导入时为空）")]
    action: Annotated[str, Field(description="操作，如 measure.sign_off")]
    object_type: Annotated[str, Field(description="对象类型，如 measure、evidence")]
    object_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


# --- Questions ------------------------------------------------------------------------

Sort = Literal["position", "deadline", "-deadline", "state"]


class MeasureQuery(Schema):
    category: Id | None = Field(None, description="问题类别编号")
    state: list[State] = Field([], description="状态，可重复：state=not_started&state=in_progress")
    department: Id | None = Field(None, description="责任部门编号")
    department_name: str | None = Field(
        None, max_length=200, description="责任部门名称（完全一致；导入的台账只有名称）"
    )
    person: Id | None = Field(None, description="责任人用户编号")
    person_name: str | None = Field(None, max_length=100, description="责任人姓名（完全一致）")
    overdue: bool | None = Field(None, description="true 只列逾期措施，false 只列未逾期措施")
    deadline_from: dt.date | None = Field(None, description="整改时限不早于此日")
    deadline_to: dt.date | None = Field(None, description="整改时限不晚于此日")
    q: str | None = Field(None, max_length=100, description="在措施内容和问题标题中查找")
    sort: Sort = Field(
        "position",
        description="排序：position 台账顺序，deadline / -deadline 按整改时限，state 按状态",
    )
    page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数，最多 200")


class AllMeasuresQuery(MeasureQuery):
    inspection: Id | None = Field(None, description="巡察编号")
