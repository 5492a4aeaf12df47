"""What a document template is given: the ledger's facts and figures as plain values.

Templates hold the wording; this module holds everything computed. Values are
strings, numbers, lists and dicts only, so a template an office uploads sees
nothing else (it is rendered in Jinja's sandbox, see ``templating``). Text that
XML cannot carry (control characters) is dropped here, once.
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from zhenggai.core.model import (
    Accountability,
    Category,
    Contact,
    Document,
    Measure,
    Period,
    Problem,
    SectionKind,
    StatedTotals,
    UnfinishedItem,
)
from zhenggai.core.numerals import int_to_cn
from zhenggai.core.structure.registers import sanction_sentence
from zhenggai.core.writers.text import (
    accountability_phrase,
    cn_date,
    contact_phrase,
    full_width,
    inline_measures,
    progress_item,
)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MOBILISE_DAYS = 7  # 动员部署: the first week after the feedback
FOCUSED_DAYS = 60  # 集中整改 when no measure has a deadline yet


@dataclass(frozen=True)
class PlanRow:
    """One line of the plan's task table (整改任务清单)."""

    category: str
    problem: str
    target: str
    measure: str
    kind: str  # 立行立改 / 限期整改 / 长期坚持
    leader: str
    department: str
    person: str
    deadline: str


@dataclass(frozen=True)
class Leadership:
    """整改工作领导小组: who leads, who deputises, which departments are members."""

    head: list[str] = field(default_factory=list)
    deputies: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ActionLine:
    """One person held accountable, as the registers record it (事由 included)."""

    person: str
    post: str
    measure: str  # the kind, with its grade: 党纪处分（严重警告）
    reason: str
    decided: str  # 「经县纪委监委决定（县纪发〔2025〕3号）」, or ""
    count: int = 1  # people without a name recorded alike (an imported sentence's 「2人」)
    sentence: str = ""  # how those people are told: 「因“…”的2人给予党内警告处分」


@dataclass(frozen=True)
class Extras:
    """What the ledger knows beyond the document model; empty when writing from a file."""

    case_leads: int | None = None
    case_leads_closed: int | None = None
    funds_yuan: Decimal | None = None
    leadership: Leadership = field(default_factory=Leadership)
    plan_rows: list[PlanRow] | None = None  # None: made from the document's measures
    last_deadline: dt.date | None = None  # of the measures that are not 长期坚持
    actions: list[ActionLine] = field(default_factory=list)
    leads_by_disposal: list[tuple[str, int]] = field(default_factory=list)  # 拟立案, 2
    work: list[tuple[str, int]] = field(default_factory=list)  # 专题会议, 3 (the registers)
    funds_items: list[str] = field(default_factory=list)  # each sum, as the register says


def clean(text: str | None) -> str:
    """Text as a document prints it: what XML cannot carry dropped, and half-width
    punctuation beside Chinese made full-width (``full_width``)."""
    return full_width(_NOT_XML.sub("", text or ""))


def document_context(doc: Document, extras: Extras | None = None) -> dict[str, Any]:
    """The values every template may use: bulletin, report and plan alike."""
    extras = extras or Extras()
    level = clean(doc.level) or "巡察"
    totals = doc.stated_totals
    context: dict[str, Any] = {
        "title": clean(doc.title),
        "org": clean(doc.org) or "本单位",
        "level": level,
        "inspection_body": clean(doc.inspection_body) or f"{level}组",
        "inspection_kind": clean(doc.inspection_kind),
        "onsite_start": _date(doc.onsite_period.start),
        "onsite_end": _date(doc.onsite_period.end),
        "feedback_date": _date(doc.feedback_date),
        "date": cn_date(doc.date) if doc.date else "",
        "totals": {
            # The problems' figure or no sentence; the categories' only when known
            # (never 「**大类」).
            "known": totals.problems is not None,
            "categories": _figure(totals.categories),
            "problems": _figure(totals.problems),
            "completed": totals.completed,
        },
        "measures_count": sum(len(_all_measures(c.measures, c.problems)) for c in doc.categories),
        "organisation": _section(doc, "organisation"),
        "next_steps": _section(doc, "next_steps"),
        "categories": [_category(n, c.title, c.measures, c.problems) for n, c in _numbered(doc)],
        "accountability": clean(accountability_phrase(doc.accountability)),
        "case_leads": _case_leads(extras),
        "actions": [{**asdict(a), **_clean_texts(a)} for a in _action_lines(doc, extras)],
        "work": _work_phrase(extras.work),
        "regulations": len(doc.regulations),
        "regulation_names": _regulation_names(doc.regulations),
        "funds": ten_thousands(extras.funds_yuan),
        "funds_items": "；".join(map(clean, extras.funds_items)),
        "unfinished": [_unfinished(i, item) for i, item in enumerate(doc.unfinished, 1)],
        "contact": clean(contact_phrase(doc.contact)),
        "leadership": {
            "head": "、".join(map(clean, extras.leadership.head)),
            "deputies": "、".join(map(clean, extras.leadership.deputies)),
            "members": "、".join(map(clean, extras.leadership.members)),
        },
        "stages": _stages(doc.feedback_date, extras.last_deadline),
    }
    context["plan_rows"] = _grouped([_row(i, r) for i, r in enumerate(_plan_rows(doc, extras), 1)])
    context["parts"] = _part_numbers(context)
    return context


def _action_lines(doc: Document, extras: Extras) -> list[ActionLine]:
    """The registers' lines; written from a file, the sanctions its sentences told."""
    if extras.actions:
        return extras.actions
    return [
        ActionLine("", "", s.kind, s.reason or "", "", s.count, sanction_sentence(s))
        for s in doc.sanctions
    ]


def _clean_texts(line: ActionLine) -> dict[str, str]:
    return {k: clean(v) for k, v in asdict(line).items() if isinstance(v, str)}


def _figure(value: int | None) -> str:
    """A figure, or nothing: a sentence with an unknown figure is left out by the
    template (``totals.known``), never printed with a placeholder."""
    return "" if value is None else str(value)


def _date(value: dt.date | None) -> str:
    """A date, or nothing (never 「****年*月**日」): the template leaves the clause out."""
    return cn_date(value) if value else ""


def _section(doc: Document, kind: SectionKind) -> list[str]:
    return [clean(text) for s in doc.sections if s.kind == kind for text in s.paragraphs]


def _numbered(doc: Document) -> list[tuple[str, Category]]:
    titled = [c for c in doc.categories if c.title is not None]
    numbers = {id(c): int_to_cn(i) for i, c in enumerate(titled, 1)}
    return [(numbers.get(id(c), ""), c) for c in doc.categories]


def _all_measures(own: list[Measure], problems: list[Problem]) -> list[Measure]:
    found = list(own)
    for problem in problems:
        found += _all_measures(problem.measures, problem.subproblems)
    return found


def _category(
    number: str, title: str | None, measures: list[Measure], problems: list[Problem]
) -> dict[str, Any]:
    return {
        "number": number,
        "title": clean(title),
        "measures": (
            clean(inline_measures([replace(m, text=progress_item(m)) for m in measures], None))
            if measures
            else ""
        ),
        "problems": [_problem(i, p) for i, p in enumerate(problems, 1)],
    }


def _problem(number: int, problem: Problem) -> dict[str, Any]:
    """A problem and its sub-problems; deeper ones are listed with the sub-problems,
    since GB/T 9704 has four heading levels and a category and a problem use two."""
    subs: list[Problem] = []
    pending = list(problem.subproblems)
    while pending:
        sub = pending.pop(0)
        subs.append(sub)
        pending[:0] = sub.subproblems
    return {
        "number": number,
        "title": clean(problem.title),
        "description": clean(problem.description),
        "target": clean(problem.target),
        "measures": _measures_text(problem),
        "subproblems": [
            {"number": i, "title": clean(s.title), "measures": _measures_text(s)}
            for i, s in enumerate(subs, 1)
        ],
    }


def _measures_text(problem: Problem) -> str:
    """整改进展情况 under a problem: what each measure's progress says was done (its
    progress entries and sign-off, in order), else the measure itself, as 一是… 二是…"""
    if not problem.measures and not problem.summary:
        return ""
    done = [replace(m, text=progress_item(m)) for m in problem.measures]
    return clean(inline_measures(done, problem.summary))


def _case_leads(extras: Extras) -> dict[str, Any] | None:
    if not extras.case_leads:
        return None
    disposals = "、".join(f"{word}{n}件" for word, n in extras.leads_by_disposal if n)
    return {"total": extras.case_leads, "closed": extras.case_leads_closed or 0, "by": disposals}


# How the organisation-of-work facts are told: the verb and the measure word of each.
_WORK_WORDS = {
    "专题会议": ("召开", "次"),
    "领导小组会议": ("召开", "次"),
    "调度会": ("召开", "次"),
    "培训": ("开展", "场"),
    "督促提醒": ("开展", "次"),
}
# The documents name each regulation the registers hold, up to this many (a
# province body's 589 would fill pages), then 「等」.
REGULATIONS_NAMED = 30


def _work_phrase(work: list[tuple[str, int]]) -> str:
    """「召开专题会议3次、调度会12次，开展培训4场」 from the registers' counts."""
    parts = []
    for word, n in work:
        verb, unit = _WORK_WORDS.get(word, ("开展", "次"))
        parts.append(f"{verb}{word}{n}{unit}")
    return "，".join(parts)


def _regulation_names(titles: list[str]) -> str:
    """「《A》《B》等」: the first regulations' names in 《》, as bulletins list them."""
    named = [clean(t).strip() for t in titles[:REGULATIONS_NAMED]]
    booked = "".join(t if t.startswith("《") else f"《{t}》" for t in named if t)
    return booked + ("等" if len(titles) > REGULATIONS_NAMED else "")


def ten_thousands(yuan: Decimal | None) -> str:
    """追缴资金 in 万元 as bulletins print it: 71320 → 「7.132」."""
    if not yuan:
        return ""
    return f"{yuan / 10000:.4f}".rstrip("0").rstrip(".")


def _unfinished(number: int, item: UnfinishedItem) -> dict[str, Any]:
    deadline = item.deadline_text or (cn_date(item.deadline) + "前" if item.deadline else "")
    return {
        "number": int_to_cn(number),
        "problem": clean(item.problem),
        "situation": clean(item.situation),
        "reason": clean(item.reason),
        "next_steps": clean(item.next_steps),
        "deadline": clean(deadline),
    }


def _stages(feedback: dt.date | None, last: dt.date | None) -> dict[str, str] | None:
    """动员部署, 集中整改 and 长期坚持, dated from the feedback and the last deadline."""
    if feedback is None:
        return None
    mobilised = feedback + dt.timedelta(days=MOBILISE_DAYS)
    focused_end = last if last and last > mobilised else feedback + dt.timedelta(FOCUSED_DAYS)
    return {
        "mobilise": f"{cn_date(feedback)}至{cn_date(mobilised)}",
        "focused": f"{cn_date(mobilised + dt.timedelta(days=1))}至{cn_date(focused_end)}",
        "lasting": f"{cn_date(focused_end + dt.timedelta(days=1))}起",
    }


def _plan_rows(doc: Document, extras: Extras) -> list[PlanRow]:
    if extras.plan_rows is not None:
        return extras.plan_rows
    rows = []
    for category in doc.categories:
        title = category.title or ""
        rows += [_plan_row(title, None, m) for m in category.measures]
        for problem in category.problems:
            measures = _all_measures(problem.measures, problem.subproblems)
            rows += [_plan_row(title, problem, m) for m in measures]
    return rows


def _plan_row(category: str, problem: Problem | None, measure: Measure) -> PlanRow:
    """A row from the document alone: its type (立行立改…) is the ledger's to know."""
    deadline = measure.deadline_text or (cn_date(measure.deadline) if measure.deadline else "")
    return PlanRow(
        category=category,
        problem=(problem.title or "") if problem else "",
        target=(problem.target or "") if problem else "",
        measure=measure.text,
        kind="",
        leader=measure.leader or "",
        department=measure.department or "",
        person=measure.person or "",
        deadline=deadline,
    )


def _grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The task table's category and problem printed on the first of their rows only:
    repeated on each row they made every row as tall as a 45-character category
    (seed 004's plan: 26 pages); the header row names the columns on every page."""
    before: dict[str, Any] = {}
    for row in rows:
        original = dict(row)
        if row["category"] == before.get("category"):
            row["category"] = ""
            if row["problem"] == before.get("problem"):
                row["problem"] = ""
                if row["target"] == before.get("target"):
                    row["target"] = ""
        before = original
    return rows


def _row(number: int, row: PlanRow) -> dict[str, Any]:
    return {"number": number, **{name: clean(value) for name, value in asdict(row).items()}}


def _part_numbers(context: dict[str, Any]) -> dict[str, str]:
    """一、 二、 are fixed; the later parts are numbered by which of them there is."""
    present = {
        "case_leads": bool(
            context["accountability"]
            or context["actions"]
            or context["case_leads"]
            or context["regulations"]
            or context["funds"]
            or context["funds_items"]
        ),
        "unfinished": bool(context["unfinished"]),
        "next_steps": True,
    }
    numbers, count = {}, 2
    for part, shown in present.items():
        count += shown
        numbers[part] = int_to_cn(count) if shown else ""
    return numbers


# A small ledger using every part a template may show: an uploaded template is
# tried on it before it is kept.
SAMPLE = Document(
    title=None,
    org="示例单位",
    inspection_body="县委第一巡察组",
    level="巡察",
    onsite_period=Period(dt.date(2025, 3, 1), dt.date(2025, 4, 30)),
    feedback_date=dt.date(2025, 6, 5),
    date=dt.date(2025, 9, 10),
    categories=[
        Category(
            "政治建设方面",
            [
                Problem(
                    "理论学习不深入",
                    measures=[Measure("修订学习制度"), Measure("每月集中学习")],
                    subproblems=[Problem("学习记录不全", measures=[Measure("补齐记录")])],
                )
            ],
            measures=[Measure("开展专题研讨")],
        )
    ],
    stated_totals=StatedTotals(categories=1, problems=1, completed=1),
    accountability=Accountability(criticism_education=1),
    regulations=["《学习制度》"],
    unfinished=[UnfinishedItem("学习记录不全", "仍有缺漏", "时间紧", "逐月补齐", None, "长期坚持")],
    contact=Contact(phone="0000-1234567"),
)
SAMPLE_EXTRAS = Extras(
    case_leads=2,
    case_leads_closed=1,
    funds_yuan=Decimal("71320"),
    leadership=Leadership(["张书记"], ["李副书记"], ["办公室", "组织科"]),
    last_deadline=dt.date(2025, 8, 31),
)
