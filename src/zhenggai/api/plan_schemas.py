"""What the plan editor's operations accept and answer.

The services check what people type (lengths, storable characters, the type of
a measure, its weight, its deadline against the office's terms, who carries it)
and refuse in Chinese, naming the limit; so the requests here take plain text
and numbers and leave those checks to them. Only what a service would pass to
the database unchecked is bounded here: ids (BIGINT), the storable characters
of a problem's title, and the length of lists that become one ``IN (…)``.

Answers to writes are built from the model rows the services return; answers to
reads are TypedDicts the views fill (as in ``ledger_schemas``). Class names
start with ``Plan``: ninja files schemas by class name across routers.
"""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from zhenggai.api.work_schemas import MAX_IDS, Id, is_storable
from zhenggai.inspections.models import Problem
from zhenggai.ledger.models import Measure

# Version numbers are an INTEGER column; beyond it no version can be found.
MAX_VERSION = 2**31 - 1


def _storable(value: str) -> str:
    if not is_storable(value):
        raise ValueError("含有不能保存的字符（空字符或孤立的代理码位）")
    return value


# A title has its length checked by the service, but not its characters.
Title = Annotated[str, AfterValidator(_storable)]

TYPES = "immediate：立行立改；time_bound：限期整改；long_term：长期坚持"


# ---- requests ------------------------------------------------------------


class PlanMeasureIn(Schema):
    """一条整改措施，如整改方案编辑页所填"""

    text: str = Field(description="整改措施")
    target: str = Field("", description="整改目标")
    type: str = Field(Measure.Type.TIME_BOUND.value, description=f"整改类型。{TYPES}")
    leader_id: Id | None = Field(None, description="责任领导（本单位人员的用户编号）")
    department_id: Id | None = Field(None, description="责任部门（本单位部室编号）")
    person_id: Id | None = Field(None, description="责任人（本单位人员的用户编号）")
    deadline: dt.date | None = Field(
        None, description="整改时限：不早于反馈日期和今天，不超过巡察办规定的最长期限"
    )
    weight: int = Field(1, description="在完成率中的权重，1 到 100")
    expected_evidence: str = Field("", description="佐证材料要求，如 会议记录、制度文件")


class PlanPositionIn(Schema):
    position: int = Field(description="在同一问题的措施中的位置，1 为第一条")


class PlanNestIn(Schema):
    parent_id: Id = Field(description="放到哪个一级问题下（同一巡察的问题编号）")


class PlanTitleIn(Schema):
    title: Title = Field(description="问题标题")


class PlanMergeIn(Schema):
    into_id: Id = Field(description="并入的问题（同一巡察的问题编号）")


class PlanSplitIn(Schema):
    title: Title = Field(description="拆分出的新问题的标题")
    measure_ids: list[Id] = Field(
        max_length=MAX_IDS, description="拆分到新问题下的整改措施（该问题的措施编号）"
    )


class PlanRelocateIn(Schema):
    category_id: Id = Field(description="移到哪个问题类别（同一巡察的类别编号）")
    position: int = Field(description="在该类别的一级问题中的位置，1 为第一个")


class PlanRecordIn(Schema):
    comment: str = Field(description="线下审批的情况，如批复文号和日期")


# ---- answers to writes -------------------------------------------------------


class PlanMeasureOut(Schema):
    """整改方案中的一条整改措施"""

    id: int
    problem: int | None = Field(description="所属问题编号")
    position: int = Field(description="在问题的措施中的位置")
    text: str = Field(description="整改措施")
    target: str = Field(description="整改目标")
    type: str = Field(description=f"整改类型。{TYPES}")
    type_label: str = Field(description="整改类型名称")
    leader_id: int | None = Field(description="责任领导编号")
    department_id: int | None = Field(description="责任部门编号")
    person_id: int | None = Field(description="责任人编号")
    deadline: dt.date | None = Field(description="整改时限")
    weight: int = Field(description="权重")
    expected_evidence: str = Field(description="佐证材料要求")
    state: str = Field(description="状态")
    state_label: str = Field(description="状态名称")

    @staticmethod
    def resolve_problem(obj: Measure) -> int | None:
        return obj.problem_id

    @staticmethod
    def resolve_type_label(obj: Measure) -> str:
        return obj.get_type_display()

    @staticmethod
    def resolve_state_label(obj: Measure) -> str:
        return obj.get_state_display()


class PlanProblemOut(Schema):
    """整改方案中的一个问题或子问题"""

    id: int
    category: int = Field(description="问题类别编号")
    parent: int | None = Field(description="上级问题编号；一级问题为空")
    position: int = Field(description="在同级问题中的位置")
    title: str | None = Field(description="问题标题")
    state: str = Field(description="状态")
    state_label: str = Field(description="状态名称")

    @staticmethod
    def resolve_category(obj: Problem) -> int:
        return obj.category_id

    @staticmethod
    def resolve_parent(obj: Problem) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_state_label(obj: Problem) -> str:
        return obj.get_state_display()


# ---- answers to reads ---------------------------------------------------------


class PlanFindingOut(TypedDict):
    """审查意见：硬性问题不改正不能报送，提示供审批人参考"""

    problem: Annotated[int, Field(description="问题编号")]
    measure: Annotated[int | None, Field(description="措施编号；针对问题本身的为空")]
    code: Annotated[str, Field(description="类别代码")]
    message: Annotated[str, Field(description="说明")]
    hard: Annotated[bool, Field(description="是否为不改正就不能报送的硬性问题")]


class PlanWarningOut(TypedDict):
    """报送时措施带有的提示"""

    problem: int
    measure: int | None
    code: str
    message: str


class PlanVersionOut(TypedDict):
    """整改方案的一次报送"""

    number: Annotated[int, Field(description="版本号，从 1 起")]
    amendment: Annotated[bool, Field(description="是否为审批后的修订")]
    submitted_by: Annotated[str, Field(description="报送人")]
    submitted_at: Annotated[dt.datetime, Field(description="报送时间")]
    outcome: Annotated[
        str, Field(description="结果：pending 审批中，returned 已退回，approved 已审批")
    ]
    outcome_label: Annotated[str, Field(description="结果名称")]
    comment: Annotated[str, Field(description="审批意见")]
    problem_comments: Annotated[
        dict[str, str], Field(description="巡察办对各问题的意见，以问题编号为键")
    ]
    warnings: Annotated[list[PlanWarningOut], Field(description="报送时的提示")]


class PlanFieldChangeOut(TypedDict):
    field: Annotated[str, Field(description="改动的项，如 整改时限")]
    before: str
    after: str


class PlanMeasureChangeOut(TypedDict):
    measure: Annotated[str, Field(description="措施（改动后的文字）；问题标题的改动为空")]
    fields: list[PlanFieldChangeOut]


class PlanChangeOut(TypedDict):
    """一个问题在两个版本之间的改动"""

    problem: Annotated[str, Field(description="问题（编号与标题）")]
    new_problem: Annotated[bool, Field(description="新版本中新增的问题")]
    gone_problem: Annotated[bool, Field(description="新版本中已没有的问题")]
    added: Annotated[list[str], Field(description="新增的措施")]
    removed: Annotated[list[str], Field(description="删去的措施")]
    changed: Annotated[list[PlanMeasureChangeOut], Field(description="改动的措施")]


def warnings_of(rows: list[Any]) -> list[PlanWarningOut]:
    """A version's warnings as kept (plain JSON), in the answer's shape."""
    return [
        {
            "problem": row["problem"],
            "measure": row.get("measure"),
            "code": row["code"],
            "message": row["message"],
        }
        for row in rows
    ]
