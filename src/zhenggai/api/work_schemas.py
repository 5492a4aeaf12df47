"""What the write operations accept and answer.

Input is checked here, before a service runs, for what the databases cannot
keep and would otherwise turn into a server error: NUL characters (PostgreSQL
refuses them in text and JSON), lone surrogates (no UTF-8 encoder takes them;
pydantic refuses them in fields, file names are checked with ``is_storable``),
infinities, numbers PostgreSQL's jsonb would hand back as a different value
(which would break the audit chain's hashes), strings longer than a column.
A bad request is answered 422 by ninja; the workflow's own rules stay in the
services, which answer 409 with the reason.
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from django.utils import translation
from ninja import Field, Schema
from pydantic import AfterValidator

from zhenggai.accountability.models import Action, FundsRecovered, Regulation
from zhenggai.inspections import plan_flow
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.ledger import limits, measure_flow, problem_flow
from zhenggai.ledger.models import Evidence, Extension, FollowUpReview, Measure, ProgressEntry

# Ids are BIGINT; anything larger cannot name a row.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# More ids than any plan has problems or measures; SQLite takes no more in one IN (…).
MAX_IDS = 1000

MAX_FIGURE = limits.MAX_FIGURE
is_storable = limits.is_storable


def _storable(value: str) -> str:
    if not is_storable(value):
        raise ValueError("含有不能保存的字符（空字符或孤立的代理码位）")
    return value


def text(max_length: int) -> Any:
    """A string type that fits its column and the databases' encodings."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_storable)]


if TYPE_CHECKING:
    Comment: TypeAlias = str
    LongText: TypeAlias = str
    Name: TypeAlias = str
    Label: TypeAlias = str
    MeasureMove: TypeAlias = str
    ProblemMove: TypeAlias = str
    PlanMove: TypeAlias = str
    ActionKind: TypeAlias = str
    ActionGrade: TypeAlias = str
else:
    Comment = text(limits.COMMENT)
    LongText = text(limits.LONG_TEXT)
    Name = text(100)
    Label = text(50)
    # The move names come from the workflow tables, so the schema lists exactly
    # the moves there are and a new move needs no change here.
    MeasureMove = Literal[tuple(measure_flow.MOVES)]
    ProblemMove = Literal[tuple(problem_flow.MOVES)]
    PlanMove = Literal[tuple(plan_flow.MOVES)]
    # Plain enums of values, not the model's choices classes: those would enter
    # the schema as components named only "Kind" and "Grade", which other
    # choices of the same name would overwrite.
    ActionKind = Literal[tuple(Action.Kind.values)]
    ActionGrade = Literal[tuple(Action.Grade.values)]


def _choices(choices: type[Action.Kind] | type[Action.Grade]) -> str:
    # The schema is written in Chinese, whichever language the request that first
    # imports this module asked for.
    with translation.override(None):
        return "；".join(f"{value or '空'}：{label}" for value, label in choices.choices)


def _no_negative_zero(value: float) -> float:
    # jsonb hands -0.0 back as 0.0, which would change the audit event's hash.
    return value + 0.0


Figure = (
    Annotated[int, Field(ge=-MAX_FIGURE, le=MAX_FIGURE)]
    | Annotated[
        float,
        Field(ge=-MAX_FIGURE, le=MAX_FIGURE, allow_inf_nan=False),
        AfterValidator(_no_negative_zero),
    ]
    | Annotated[str, Field(max_length=limits.FIGURE_TEXT), AfterValidator(_storable)]
)
FigureKey = Annotated[
    str, Field(min_length=1, max_length=limits.FIGURE_NAME), AfterValidator(_storable)
]


class Refusal(Schema):
    detail: str = Field(description="原因")


class InvalidInput(Schema):
    detail: str = Field(description="原因")
    errors: list[dict[str, Any]] = Field(description="不合格的输入项")


def answers(ok: type[Schema]) -> dict[int, type[Schema]]:
    """The responses every write declares: its result, or why not."""
    refusals = dict.fromkeys((400, 401, 403, 404, 409), Refusal)
    return {200: ok, **refusals, 422: InvalidInput}


# ---- requests ------------------------------------------------------------


class MoveIn(Schema):
    comment: Comment = Field("", description="意见")


class PlanMoveIn(MoveIn):
    # Plain text: the service refuses what is too long or unstorable, naming the limit.
    problem_comments: dict[Id, str] = Field(
        default_factory=dict,
        max_length=MAX_IDS,
        description='退回（return、send_back）时对各问题的意见，以问题编号为键，如 {"12": "措施不具体"}',
    )


class ProblemMoveIn(MoveIn):
    reason: LongText = Field("", description="未完成整改原因（转入长期整改时必填）")
    next_steps: LongText = Field("", description="下一步整改措施（转入长期整改时必填）")
    new_deadline: dt.date | None = Field(None, description="新的整改时限（转入长期整改时必填）")


class ProgressIn(Schema):
    date: dt.date = Field(description="进展日期，不晚于今天")
    text: LongText = Field(description="整改进展")
    figures: dict[FigureKey, Figure] = Field(
        default_factory=dict,
        max_length=limits.FIGURES,
        description='数据，如 {"清退资金（万元）": 12.5}',
    )


class ReviewIn(Schema):
    accept: bool = Field(description="是否认可")
    comment: Comment = Field("", description="审核意见（退回时必填）")


class ExtensionIn(Schema):
    new_deadline: dt.date = Field(description="申请的新时限，须晚于现在的时限")
    reason: LongText = Field(description="延期理由")


class AssignIn(Schema):
    department: Id | None = Field(None, description="责任部门（本单位部室编号）")
    person: Id | None = Field(None, description="责任人（用户编号）")
    leader: Id | None = Field(None, description="责任领导（用户编号）")
    deadline: dt.date | None = Field(
        None, description="整改时限，仅在尚未确定时可设；之后须申请延期"
    )
    weight: int | None = Field(None, ge=1, le=100, description="在完成率中的权重")


class AssignOut(Schema):
    id: int
    department_id: int | None = Field(description="责任部门编号")
    person_id: int | None = Field(description="责任人编号")
    leader_id: int | None = Field(description="责任领导编号")
    original_deadline: dt.date | None = Field(description="原定时限")
    deadline: dt.date | None = Field(description="整改时限")
    weight: int = Field(description="权重")


class DecisionIn(Schema):
    approve: bool = Field(description="是否同意")
    comment: Comment = Field("", description="审批意见")


class FollowUpIn(Schema):
    date: dt.date = Field(description="检查日期")
    finding: LongText = Field(description="检查情况")
    relapsed: bool = Field(False, description="是否反弹；反弹的问题重新整改")


class ActionIn(Schema):
    kind: ActionKind = Field(description="处理方式。" + _choices(Action.Kind))
    kind_text: Label = Field("", description="处理方式为「其他」时的具体方式，如 通报批评")
    grade: ActionGrade = Field(
        "",
        description="处分档次，仅党纪处分、政务处分填写，且须是该处分的档次。"
        + _choices(Action.Grade),
    )
    person_name: Name = Field("", description="被处理人")
    problem: Id | None = Field(None, description="所涉问题（本次巡察的问题编号）")
    date: dt.date | None = Field(None, description="处理日期")


class RegulationIn(Schema):
    title: LongText = Field(description="制度名称")
    adopted_on: dt.date | None = Field(None, description="出台日期")


class FundsIn(Schema):
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="金额（元）")
    description: LongText = Field("", description="说明")
    date: dt.date | None = Field(None, description="日期")
    problem: Id | None = Field(None, description="所涉问题（本次巡察的问题编号）")


# ---- responses ----------------------------------------------------------
# Built from the model rows the services return; the resolvers turn foreign
# keys into ids and choices into their Chinese labels.


class StateOut(Schema):
    id: int
    state: str = Field(description="状态")
    state_label: str = Field(description="状态名称")

    @staticmethod
    def resolve_state_label(obj: Measure | Problem) -> str:
        return obj.get_state_display()


class PlanOut(Schema):
    id: int = Field(description="巡察编号")
    plan_state: str = Field(description="整改方案状态")
    plan_state_label: str = Field(description="整改方案状态名称")

    @staticmethod
    def resolve_plan_state_label(obj: Inspection) -> str:
        return obj.get_plan_state_display()


class ProgressOut(Schema):
    id: int
    measure: int = Field(description="整改措施编号")
    date: dt.date
    text: str
    figures: dict[str, Any]

    @staticmethod
    def resolve_measure(obj: ProgressEntry) -> int:
        return obj.measure_id


class EvidenceOut(Schema):
    id: int
    measure: int = Field(description="整改措施编号")
    replaces: int | None = Field(description="所替换的上一版本")
    name: str = Field(description="文件名")
    size: int = Field(description="字节数")
    content_type: str
    sha256: str
    effective_date: dt.date = Field(description="生效日期")
    uploaded_at: dt.datetime = Field(description="上传时间")
    review: str = Field(description="审核状态")
    review_label: str = Field(description="审核状态名称")
    review_comment: str = Field(description="审核意见")

    @staticmethod
    def resolve_measure(obj: Evidence) -> int:
        return obj.measure_id

    @staticmethod
    def resolve_replaces(obj: Evidence) -> int | None:
        return obj.replaces_id

    @staticmethod
    def resolve_review_label(obj: Evidence) -> str:
        return obj.get_review_display()


class ExtensionOut(Schema):
    id: int
    measure: int = Field(description="整改措施编号")
    old_deadline: dt.date | None = Field(description="申请时的时限")
    new_deadline: dt.date = Field(description="申请的时限")
    reason: str
    decision: str = Field(description="审批结果")
    decision_label: str = Field(description="审批结果名称")
    original_deadline: dt.date | None = Field(description="措施的原定时限，从不改变")
    deadline: dt.date | None = Field(description="措施现在的时限")

    @staticmethod
    def resolve_measure(obj: Extension) -> int:
        return obj.measure_id

    @staticmethod
    def resolve_decision_label(obj: Extension) -> str:
        return obj.get_decision_display()

    @staticmethod
    def resolve_original_deadline(obj: Extension) -> dt.date | None:
        return obj.measure.original_deadline

    @staticmethod
    def resolve_deadline(obj: Extension) -> dt.date | None:
        return obj.measure.deadline


class FollowUpOut(Schema):
    id: int
    problem: int = Field(description="问题编号")
    date: dt.date
    finding: str
    relapsed: bool
    problem_state: str = Field(description="回头看之后问题的状态")
    problem_state_label: str

    @staticmethod
    def resolve_problem(obj: FollowUpReview) -> int:
        return obj.problem_id

    @staticmethod
    def resolve_problem_state(obj: FollowUpReview) -> str:
        return obj.problem.state

    @staticmethod
    def resolve_problem_state_label(obj: FollowUpReview) -> str:
        return obj.problem.get_state_display()


class ActionOut(Schema):
    id: int
    inspection: int
    problem: int | None
    kind: str
    kind_label: str
    kind_text: str
    grade: str
    grade_label: str
    person_name: str
    date: dt.date | None

    @staticmethod
    def resolve_inspection(obj: Action) -> int:
        return obj.inspection_id

    @staticmethod
    def resolve_problem(obj: Action) -> int | None:
        return obj.problem_id

    @staticmethod
    def resolve_kind_label(obj: Action) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_grade_label(obj: Action) -> str:
        return obj.get_grade_display()


class RegulationOut(Schema):
    id: int
    inspection: int
    position: int
    title: str
    adopted_on: dt.date | None

    @staticmethod
    def resolve_inspection(obj: Regulation) -> int:
        return obj.inspection_id


class FundsOut(Schema):
    id: int
    inspection: int
    problem: int | None
    amount: Decimal | None = Field(description="金额（元）；导入的通报未载明金额时为空")
    description: str
    date: dt.date | None

    @staticmethod
    def resolve_inspection(obj: FundsRecovered) -> int:
        return obj.inspection_id

    @staticmethod
    def resolve_problem(obj: FundsRecovered) -> int | None:
        return obj.problem_id
