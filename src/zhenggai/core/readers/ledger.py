"""Ledgers as tables (.xlsx sheets, .docx plan tables): columns found by their names.

Offices name the same column many ways (责任部门/责任单位/牵头部门); the header
row is the one that names enough known columns, and a second row under it that
names the columns a merged cell above groups (责任主体 over 责任领导/责任部门)
belongs to the header. Merged cells repeat their value down the rows they span,
so one problem may carry several measures.

Every column lands in the measure as written. What the ledger says of a measure's
state (完成情况, 是否销号, with the date a neighbouring column gives) and of its
type (整改类型) is read from that text by ``stated_state`` and ``measure_type``,
which the importer uses and which tell nothing they were not told.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from zhenggai.core.dates import DATE_RE, read_date
from zhenggai.core.model import Category, Document, Measure, ParseWarning, Problem
from zhenggai.core.structure import enumeration
from zhenggai.core.structure.paragraphs import read_marker
from zhenggai.core.structure.titles import category_title, problem_title

Cell = str | dt.date | None

COLUMNS: dict[str, tuple[str, ...]] = {
    "index": ("序号", "编号"),
    "category": (
        "问题类别",
        "问题类型",
        "反馈问题所属方面",
        "所属方面",
        "问题方面",
        "类别",
        "方面",
    ),
    "problem": (
        "具体问题",
        "问题具体表现",
        "问题表现",
        "问题描述",
        "存在问题",
        "反馈问题",
        "问题内容",
        "问题清单",
        "问题",
    ),
    "measure": ("整改措施", "整改任务", "具体措施", "整改举措"),
    "target": ("整改目标", "目标任务", "预期目标", "整改目标要求"),
    "type": ("整改类型", "整改方式", "类型", "措施类型", "整改分类", "整改性质"),
    "leader": ("责任领导", "牵头领导", "分管领导", "责任校领导"),
    "department": ("责任部门", "责任单位", "牵头部门", "牵头单位", "责任科室", "责任股室"),
    "person": ("责任人", "具体责任人", "经办人"),
    "deadline": ("整改时限", "完成时限", "整改期限", "时限要求", "完成期限"),
    "progress": ("整改进展", "整改进展情况", "整改落实情况", "进展情况", "整改情况"),
    "status": (
        "完成情况",
        "整改状态",
        "状态",
        "是否完成",
        "整改结果",
        "完成状态",
        "整改完成状态",
        "是否整改到位",
    ),
    "evidence": ("佐证材料", "佐证资料", "证明材料"),
    "sign_off": ("销号情况", "是否销号", "验收意见", "销号", "销号意见"),
    # The day of the sign-off, or of the completion, beside the columns that state it.
    "sign_off_date": ("销号时间", "销号日期"),
    "done_date": (
        "完成时间",
        "完成日期",
        "实际完成时间",
        "整改完成时间",
        "整改到位时间",
        "办结时间",
    ),
    "note": ("备注",),
}
# Without a 整改时限 column, 完成时间 is the deadline the office set, not the day it finished.
_DEADLINE_IF_ALONE = ("完成时间", "完成日期")
_MEASURE_FIELDS = (
    "type",
    "target",
    "leader",
    "department",
    "person",
    "progress",
    "evidence",
    "note",
)
_DATE_KEYS = ("deadline", "sign_off_date", "done_date")


def _normal(header: str) -> str:
    return re.sub(r"\s+|[(（][^)）]*[)）]|[:：*]", "", header)


def column_of(header: str) -> str | None:
    """The column a header names: exact synonym first, then a synonym it starts with."""
    name = _normal(header)
    if not name:
        return None
    for key, synonyms in COLUMNS.items():
        if name in synonyms:
            return key
    for key, synonyms in COLUMNS.items():
        if any(name.startswith(s) for s in synonyms if len(s) > 2):
            return key
    return None


# --- The header -----------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Where the header stands (one row, or two) and the column at each position."""

    first: int  # its first row
    last: int  # its last row: the data start below it
    columns: dict[str, int]  # column → position
    names: list[str]  # the header's text at each position


def _columns(names: Sequence[Cell]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(names):
        key = column_of(cell) if isinstance(cell, str) else None
        if key and key not in columns:
            columns[key] = position
    done = columns.get("done_date")
    if (
        done is not None
        and "deadline" not in columns
        and _normal(str(names[done])) in _DEADLINE_IF_ALONE
    ):
        columns["deadline"] = columns.pop("done_date")
    return columns


def _continues(upper: Sequence[Cell], lower: Sequence[Cell]) -> bool:
    """The row under a header is its second row: each of its cells repeats the one above
    (merged down) or names a column, and one names a column the row above did not."""
    named = False
    for position, cell in enumerate(lower):
        text = _text(cell)
        above = _text(upper[position]) if position < len(upper) else ""
        if not text or text == above:
            continue
        if column_of(text) is None:
            return False
        named = True
    return named


def _two_rows(upper: Sequence[Cell], lower: Sequence[Cell]) -> list[str]:
    """Each position named by the lower row where it names a column, else by the upper."""
    names: list[str] = []
    for position in range(max(len(upper), len(lower))):
        above = _text(upper[position]) if position < len(upper) else ""
        below = _text(lower[position]) if position < len(lower) else ""
        names.append(below if below and column_of(below) else above)
    return names


def find_header(rows: Sequence[Sequence[Cell]], limit: int = 15) -> Header | None:
    """The header: the first row naming enough known columns, with its second row."""
    for index, row in enumerate(rows[:limit]):
        columns = _columns(row)
        if len(columns) < 3 or ("problem" not in columns and "measure" not in columns):
            continue
        if index + 1 < len(rows) and _continues(row, rows[index + 1]):
            names = _two_rows(row, rows[index + 1])
            return Header(index, index + 1, _columns(names), names)
        return Header(index, index, columns, [_text(cell) for cell in row])
    return None


def unknown_columns(header: Header) -> list[str]:
    """Header cells that name no known column: their text would not be imported."""
    known = set(header.columns.values())
    return [name for position, name in enumerate(header.names) if name and position not in known]


# --- Cells ----------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    # A writer's zero-width space guard against formulas (ours, or Excel's) is not text.
    return (cell or "").strip().removeprefix("\u200b").strip()


_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _day_cell(cell: Cell) -> Cell:
    """A date column's cell: an Excel date left as its serial number (45432, a cell
    formatted as a number) is that date."""
    match = _SERIAL.fullmatch(cell.strip()) if isinstance(cell, str) else None
    if match and 20_000 <= int(match.group(1)) <= 80_000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(match.group(1)))
    return cell


def split_measures(text: str) -> list[str]:
    """A cell may hold several measures: one per numbered line, or 一是…二是…."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(read_marker(line) for line in lines):
        return [marker.rest for line in lines if (marker := read_marker(line))]
    _, items, _ = enumeration.split(" ".join(lines))
    return items or ([" ".join(lines)] if lines else [])


@dataclass
class _Row:
    values: dict[str, Cell]

    def text(self, key: str) -> str:
        return _text(self.values.get(key))


def _dated(text: str, day: Cell) -> str | None:
    """A state with the day its neighbouring column gives: 「是（2024-05-20）」."""
    written = _text(day)
    if not written or written in text:
        return text or None
    return f"{text}（{written}）" if text else written


def _measures(row: _Row) -> list[Measure]:
    deadline = row.values.get("deadline")
    extra = {key: row.text(key) or None for key in _MEASURE_FIELDS}
    deadline_text = _text(deadline) or None
    day = deadline if isinstance(deadline, dt.date) else read_date(deadline_text or "")
    status = _dated(row.text("status"), row.values.get("done_date"))
    sign_off = _dated(row.text("sign_off"), row.values.get("sign_off_date"))
    return [
        Measure(
            text,
            deadline=day,
            deadline_text=deadline_text,
            status=status,
            sign_off=sign_off,
            **extra,
        )
        for text in split_measures(row.text("measure"))
    ]


# --- What the ledger says of a measure --------------------------------------------------

MeasureType = Literal["immediate", "time_bound", "long_term"]
_TYPE_WORDS: tuple[tuple[MeasureType, tuple[str, ...]], ...] = (
    ("immediate", ("立行立改", "即知即改", "立即整改", "立查立改", "立改")),
    ("long_term", ("长期", "持续整改", "持续推进", "常态化")),
    ("time_bound", ("限期", "阶段", "集中整改")),
)


def measure_type(text: str | None) -> MeasureType | None:
    """整改类型 as written → immediate / time_bound / long_term; the word written first
    wins (「立行立改、长期坚持」 is immediate); None for words it does not know."""
    found = [
        (position, kind)
        for kind, words in _TYPE_WORDS
        for word in words
        if (position := (text or "").find(word)) >= 0
    ]
    return min(found)[1] if found else None


StateName = Literal["not_started", "in_progress", "awaiting_sign_off", "signed_off", "long_term"]


@dataclass(frozen=True)
class Stated:
    """A measure's state as its ledger states it, and the day written with it."""

    state: StateName
    date: dt.date | None


# Looked for in this order in the state's first clause: 「已完成待销号」 is not yet signed
# off, 「基本完成」 not finished, 「阶段性任务已完成，长期坚持」 long-term work.
_STATE_WORDS: tuple[tuple[StateName, tuple[str, ...]], ...] = (
    ("awaiting_sign_off", ("待销号", "申请销号", "待验收")),
    ("not_started", ("未完成", "未整改", "未销号", "未办结", "未开始", "未启动", "尚未", "暂未")),
    ("long_term", ("长期",)),
    (
        "in_progress",
        (
            "整改中",
            "正在",
            "推进中",
            "进行中",
            "基本完成",
            "部分完成",
            "初步完成",
            "阶段性",
            "持续",
            "序时推进",
            "延期",
        ),
    ),
    ("signed_off", ("完成", "已整改", "整改到位", "销号", "办结", "已落实", "已解决")),
)
_YES = frozenset({"是", "已", "√", "✓", "✔", "同意"})
_NO = frozenset({"否", "未", "×", "✗", "✘", "无"})
_CLAUSE = re.compile(r"[，。；,;\n]")
# 「完成80%」「整改进度60％」: a share of the work, not all of it.
_SHARE = re.compile(r"(?<![\d.])\d{1,2}(?:\.\d+)?\s*[%％]")
_ASIDE = re.compile(r"[(（][^)）]*[)）]")


def _verdict(text: str | None) -> StateName | None:
    """The state a 完成情况 or 销号情况 cell states, read from its first clause (a cell
    may go on to tell the progress: 「已完成。召开专题会议…」), its dates and asides left
    out; None when it states none (blank, a date alone, a description)."""
    clause = _CLAUSE.split((text or "").strip(), maxsplit=1)[0]
    words = DATE_RE.sub("", _ASIDE.sub("", clause)).strip(" ：:")
    if words in _YES:
        return "signed_off"
    if words in _NO:
        return "not_started"
    share = _SHARE.search(words) is not None
    for state, cues in _STATE_WORDS:
        if any(cue in words for cue in cues):
            return "in_progress" if state == "signed_off" and share else state
    return "in_progress" if share else None


def stated_state(measure: Measure) -> Stated | None:
    """The state its 销号情况 and 完成情况 state, the sign-off's word first.

    1. 销号 says no while 完成情况 says done: finished, awaiting its sign-off;
    2. otherwise what 销号情况 says, else what 完成情况 says;
    3. neither says a word but a day is written (a lone 销号时间 or 完成时间): done then.
    The day is the first written in 销号情况, else in 完成情况. None: nothing stated.
    """
    by_sign_off, by_status = _verdict(measure.sign_off), _verdict(measure.status)
    date = read_date(measure.sign_off or "") or read_date(measure.status or "")
    state: StateName | None
    if by_sign_off == "not_started" and by_status is not None:
        state = "awaiting_sign_off" if by_status == "signed_off" else by_status
    else:
        state = by_sign_off or by_status
    if state is None and date is not None:
        state = "signed_off"
    return Stated(state, date) if state is not None else None


# --- Reading --------------------------------------------------------------------------


def _strip_marker(text: str) -> str:
    marker = read_marker(text)
    return marker.rest if marker else text


def _is_banner(row: Sequence[Cell], columns: dict[str, int]) -> str | None:
    """A row spanning the table with one text (一、…方面): a category between problems.
    A measure alone on its row (the cells of its problem left blank) is no banner."""
    held = [position for position, cell in enumerate(row) if _text(cell)]
    values = {_text(row[position]) for position in held}
    if len(values) != 1 or len(row) <= 2 or held == [columns.get("measure")]:
        return None
    return values.pop()


def _row(raw: Sequence[Cell], columns: dict[str, int]) -> _Row:
    values = {key: raw[pos] if pos < len(raw) else None for key, pos in columns.items()}
    for key in _DATE_KEYS:
        values[key] = _day_cell(values.get(key))
    return _Row(values)


def read_ledger(
    rows: Sequence[Sequence[Cell]], where: str = "表格", title: str | None = None
) -> Document | None:
    header = find_header(rows)
    if header is None:
        return None
    doc = Document(kind="ledger", title=title or _title_above(rows[: header.first]))
    for name in unknown_columns(header):
        doc.warnings.append(
            ParseWarning(
                f"{where}第{header.first + 1}行", name, f"未识别的列“{name}”，该列内容未导入"
            )
        )
    _fill(doc, rows[header.last + 1 :], header.columns)
    for problem in doc.problems():
        problem.target = _shared_target(problem)
    return doc


def _fill(doc: Document, rows: Sequence[Sequence[Cell]], columns: dict[str, int]) -> None:
    """Categories, problems and measures, row by row."""
    category: Category | None = None
    problem: Problem | None = None
    for raw in rows:
        banner = _is_banner(raw, columns)
        if banner is not None:
            category, problem = Category(category_title(_strip_marker(banner))), None
            doc.categories.append(category)
            continue
        row = _row(raw, columns)
        if not any(row.text(key) for key in ("category", "problem", "measure")):
            continue
        name = row.text("category")
        if name and (category is None or category.title != category_title(_strip_marker(name))):
            category, problem = Category(category_title(_strip_marker(name))), None
            doc.categories.append(category)
        if category is None:
            category = Category(None)
            doc.categories.append(category)
        text = row.text("problem")
        if text and (problem is None or problem.title != problem_title(_strip_marker(text))):
            problem = Problem(problem_title(_strip_marker(text)))
            category.problems.append(problem)
        (category.measures if problem is None else problem.measures).extend(_measures(row))


def _shared_target(problem: Problem) -> str | None:
    """The problem's 整改目标: the one all its measures share (a cell merged over its
    rows); each measure keeps its own in any case."""
    targets = {m.target for m in problem.measures}
    return targets.pop() if len(targets) == 1 else None


def _title_above(rows: Sequence[Sequence[Cell]]) -> str | None:
    for row in rows:
        banner = _is_banner(row, {}) or next((_text(c) for c in row if _text(c)), None)
        if banner:
            return banner
    return None
