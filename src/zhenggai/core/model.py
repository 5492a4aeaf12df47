"""The document model: what an inspection's documents say, as plain dataclasses.

document → categories → problems → sub-problems → measures, plus the facts of
the inspection, the totals the document states, accountability, regulations
adopted, unfinished items and the public-supervision contact block. The words
are DESIGN.md's; the JSON shape is the one ``zhenggai parse`` promises.
"""

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any, Literal

# The top-level parts of a document besides its categories (``Section.kind``).
SectionKind = Literal[
    "organisation", "feedback", "recommendations", "case_leads", "unfinished", "next_steps", "other"
]
# What a document is: a report (progress, bulletin), a plan, the feedback, a ledger.
DocumentKind = Literal["report", "plan", "feedback", "ledger"]


@dataclass
class Measure:
    """整改措施: one thing done or to be done, with the ledger's columns where known."""

    text: str
    type: str | None = None  # 整改类型 as written: 立行立改 / 限期整改 / 长期坚持
    target: str | None = None  # 整改目标
    leader: str | None = None
    department: str | None = None
    person: str | None = None
    deadline: dt.date | None = None
    deadline_text: str | None = None
    progress: str | None = None
    status: str | None = None
    evidence: str | None = None
    sign_off: str | None = None
    note: str | None = None


@dataclass
class Problem:
    """问题; a sub-problem (针对…的问题) is a problem inside ``subproblems`` of another."""

    title: str | None
    description: str | None = None
    summary: str | None = None  # lead-in before the enumerated measures
    target: str | None = None
    measures: list[Measure] = field(default_factory=list)
    subproblems: list["Problem"] = field(default_factory=list)


@dataclass
class Category:
    """方面/类. ``title`` is None for documents that list problems without categories."""

    title: str | None
    problems: list[Problem] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)  # a category's own measures


@dataclass
class CaseLeads:
    """问题线索移交: the count the feedback states and the leads it lists."""

    count: int | None = None
    items: list[str] = field(default_factory=list)


@dataclass
class Period:
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class StatedTotals:
    """Totals as the document states them, kept apart from what was counted."""

    categories: int | None = None
    problems: int | None = None
    completed: int | None = None
    tasks: int | None = None
    tasks_completed: int | None = None
    recommendations: int | None = None
    regulations: int | None = None  # 「等18份制度方案」


@dataclass
class Accountability:
    """People held accountable, by kind; ``None`` where the document gives no figure."""

    party_discipline: int | None = None  # 党纪政务处分
    ordered_self_examination: int | None = None  # 责令检查
    criticism_education: int | None = None  # 批评教育
    admonition_talk: int | None = None  # 谈话提醒
    other: dict[str, int] = field(default_factory=dict)  # 诫勉, 组织处理, …


@dataclass
class Sanction:
    """People sanctioned as a sentence tells them: 「因“…”的2人给予党内警告处分」."""

    count: int
    kind: str  # 党纪处分 or 政务处分
    grade: str | None = None  # 警告, 严重警告, 撤销党内职务 … as the regulations name them
    reason: str | None = None  # 事由


@dataclass
class Funds:
    """Money recovered (追缴), refunded (退还) or paid back (补缴), as one clause says."""

    kind: str
    amount: Decimal | None  # in 元; None where the clause gives no sum
    text: str


@dataclass
class WorkDone:
    """Meetings, training or reminders the organisation of work counts: 「协调会12场」."""

    kind: str  # 领导小组会议, 调度会, 专题会议, 培训, 督促提醒 or 其他
    count: int
    text: str  # the words it was read from (「巡察整改协调会」)


@dataclass
class UnfinishedItem:
    """A problem not finished at the end of the focused period."""

    problem: str | None
    situation: str | None = None  # 存在问题
    reason: str | None = None  # 未完成整改原因
    next_steps: str | None = None  # 下一步整改措施
    deadline: dt.date | None = None
    deadline_text: str | None = None


@dataclass
class Contact:
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    email: str | None = None


@dataclass
class ParseWarning:
    """Something the parser could not place, with where it stood in the input."""

    where: str
    text: str
    why: str
    # A figure the document states that its own parts contradict (its totals, its
    # accountability summary): publication waits until it is resolved or explained.
    contradiction: bool = False


@dataclass
class Section:
    """A top-level part of the document that is not the feedback itself.

    ``kind`` says which part; the text is kept so nothing of the input is lost.
    """

    kind: SectionKind
    title: str | None
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Document:
    title: str | None = None
    kind: DocumentKind = "report"
    org: str | None = None
    inspection_body: str | None = None
    level: str | None = None  # 巡视 or 巡察, as the text says
    inspection_kind: str | None = None  # 常规/专项/机动/回头看…
    onsite_period: Period = field(default_factory=Period)
    feedback_date: dt.date | None = None
    date: dt.date | None = None  # the document's own date (signature or publication)
    categories: list[Category] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)  # 整改意见建议
    case_leads: CaseLeads = field(default_factory=CaseLeads)  # 问题线索移交
    stated_totals: StatedTotals = field(default_factory=StatedTotals)
    accountability: Accountability = field(default_factory=Accountability)
    regulations: list[str] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    funds: list[Funds] = field(default_factory=list)
    work: list[WorkDone] = field(default_factory=list)
    unfinished: list[UnfinishedItem] = field(default_factory=list)
    contact: Contact = field(default_factory=Contact)
    meta: list[str] = field(default_factory=list)  # publication stamp, source line
    preamble: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        """Every problem of every category, in document order (sub-problems not included)."""
        return [problem for category in self.categories for problem in category.problems]

    def to_dict(self) -> dict[str, Any]:
        result = _plain(self)
        assert isinstance(result, dict)
        return result


def _plain(value: Any) -> Any:
    """dataclasses → dicts with dates as YYYY-MM-DD, in field order."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else str(value)
    return value
