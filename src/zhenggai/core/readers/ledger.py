"""Ledgers as tables (.xlsx sheets, .docx plan tables): columns found by their names.

Offices name the same column many ways (责任部门/责任单位/牵头部门); the header
row is the one that names enough known columns. Merged cells repeat their
value down the rows they span, so one problem may carry several measures.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from zhenggai.core.dates import read_date
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
    "target": ("整改目标",),
    "type": ("整改类型", "整改方式"),
    "leader": ("责任领导", "牵头领导", "分管领导", "责任校领导"),
    "department": ("责任部门", "责任单位", "牵头部门", "牵头单位", "责任科室", "责任股室"),
    "person": ("责任人", "具体责任人", "经办人"),
    "deadline": ("整改时限", "完成时限", "整改期限", "完成时间"),
    "progress": ("整改进展", "整改进展情况", "整改落实情况", "进展情况", "整改情况"),
    "status": ("完成情况", "整改状态", "状态", "是否完成", "整改结果"),
    "evidence": ("佐证材料", "佐证资料", "证明材料"),
    "sign_off": ("销号情况", "是否销号", "销号时间", "验收意见"),
    "note": ("备注",),
}
_MEASURE_FIELDS = (
    "leader",
    "department",
    "person",
    "progress",
    "status",
    "evidence",
    "sign_off",
    "note",
)


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


def unknown_columns(row: Sequence[Cell], columns: dict[str, int]) -> list[str]:
    """Header cells that name no known column: their text would not be imported."""
    known = set(columns.values())
    return [
        _text(cell) for position, cell in enumerate(row) if _text(cell) and position not in known
    ]


def find_header(
    rows: Sequence[Sequence[Cell]], limit: int = 15
) -> tuple[int, dict[str, int]] | None:
    """(row index, column → position) of the header row, or None."""
    for index, row in enumerate(rows[:limit]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = column_of(cell) if isinstance(cell, str) else None
            if key and key not in columns:
                columns[key] = position
        if len(columns) >= 3 and ("problem" in columns or "measure" in columns):
            return index, columns
    return None


def _text(cell: Cell) -> str:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    # A writer's zero-width space guard against formulas (ours, or Excel's) is not text.
    return (cell or "").strip().removeprefix("\u200b").strip()


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


def _measures(row: _Row) -> list[Measure]:
    deadline = row.values.get("deadline")
    extra = {key: row.text(key) or None for key in _MEASURE_FIELDS}
    deadline_text = _text(deadline) or None
    day = deadline if isinstance(deadline, dt.date) else read_date(deadline_text or "")
    return [
        Measure(text, deadline=day, deadline_text=deadline_text, **extra)
        for text in split_measures(row.text("measure"))
    ]


def _strip_marker(text: str) -> str:
    marker = read_marker(text)
    return marker.rest if marker else text


def _is_banner(row: Sequence[Cell]) -> str | None:
    """A row spanning the table with one text (一、…方面): a category between problems."""
    values = {_text(c) for c in row if _text(c)}
    return values.pop() if len(values) == 1 and len(row) > 2 else None


def read_ledger(
    rows: Sequence[Sequence[Cell]], where: str = "表格", title: str | None = None
) -> Document | None:
    found = find_header(rows)
    if found is None:
        return None
    header_index, columns = found
    doc = Document(kind="ledger", title=title or _title_above(rows[:header_index]))
    for name in unknown_columns(rows[header_index], columns):
        doc.warnings.append(
            ParseWarning(
                f"{where}第{header_index + 1}行", name, f"未识别的列“{name}”，该列内容未导入"
            )
        )
    category: Category | None = None
    problem: Problem | None = None
    for raw in rows[header_index + 1 :]:
        banner = _is_banner(raw)
        if banner is not None:
            category, problem = Category(category_title(_strip_marker(banner))), None
            doc.categories.append(category)
            continue
        row = _Row({key: raw[pos] if pos < len(raw) else None for key, pos in columns.items()})
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
            problem = Problem(problem_title(_strip_marker(text)), target=row.text("target") or None)
            category.problems.append(problem)
        if problem is None:
            category.measures.extend(_measures(row))
        else:
            problem.measures.extend(_measures(row))
    return doc


def _title_above(rows: Sequence[Sequence[Cell]]) -> str | None:
    for row in rows:
        banner = _is_banner(row) or next((_text(c) for c in row if _text(c)), None)
        if banner:
            return banner
    return None
