"""The 整改台账 as an Excel workbook, in the columns offices file.

One row per measure; a problem without measures still gets its row, and a
category's own measures come first in that category, before its problems,
which is where the ledger reader puts rows that have no problem. A ledger is
flat: a sub-problem gets its own rows after its parent's, with its own title
in 具体问题, so it reads back as a problem of the same category.

Values are repeated on every row instead of merging cells, so that the
autofilter finds every measure of a problem (Excel filters only the top cell of
a merged range). The workbook reads back through ``core.readers.ledger``.
"""

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from zhenggai.core.model import Category, Document, Measure, Problem

# (header, width in characters); the header names are the ones the reader knows.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("问题类别", 18),
    ("具体问题", 36),
    ("整改措施", 40),
    ("责任领导", 10),
    ("责任部门", 14),
    ("责任人", 10),
    ("整改时限", 12),
    ("整改进展", 30),
    ("完成情况", 12),
    ("佐证材料", 20),
    ("销号情况", 12),
    ("备注", 14),
)
HEADER_ROW = 2  # row 1 is the title, which the reader takes as the ledger's title
STATUS_COLUMN = 10  # 完成情况
DATE_FORMAT = "yyyy-mm-dd"

# Text starting with one of these is taken for a formula by Excel or WPS (a tab or
# a carriage return can lead one in; WPS and a Chinese Excel take the full-width
# signs too). The same convention as the web's sheet downloads, kept here because
# the core knows no Django.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# A zero-width space starts no formula and does not show; the ledger reader drops it.
GUARD = "\u200b"

Value = int | str | dt.date | None  # what a ledger cell holds

DONE, IN_PROGRESS, OVERDUE = "done", "in_progress", "overdue"
FILLS = {
    DONE: PatternFill("solid", fgColor="C6EFCE"),  # green
    IN_PROGRESS: PatternFill("solid", fgColor="FFEB9C"),  # yellow
    OVERDUE: PatternFill("solid", fgColor="FFC7CE"),  # red
}
_DONE_WORDS = ("已完成", "完成整改", "整改完成", "已整改", "已销号", "已办结")
_NOT_DONE_WORDS = ("未完成", "未整改", "未销号", "未办结")


def safe(text: str | None) -> str | None:
    """Text no spreadsheet runs: a would-be formula gets the guard in front, and
    characters a workbook may not hold are dropped."""
    if not text:
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return GUARD + text if text.startswith(FORMULA_STARTS) else text or None


def state(measure: Measure, today: dt.date) -> str | None:
    """The colour of a measure's 完成情况, from what the model holds.

    1. done: the status (or the sign-off) says so — 已完成, 已整改, 已销号 …,
       and does not say 未完成;
    2. overdue: not done and the deadline is a known date before today;
    3. in progress: not done, not overdue, and a status or a deadline is known
       (基本完成, 正在推进, 持续整改, or nothing said yet with time left);
    4. nothing known: no colour.
    """
    said = f"{measure.status or ''} {measure.sign_off or ''}"
    if any(w in said for w in _DONE_WORDS) and not any(w in said for w in _NOT_DONE_WORDS):
        return DONE
    if measure.deadline is not None and measure.deadline < today:
        return OVERDUE
    if measure.status or measure.deadline or measure.deadline_text:
        return IN_PROGRESS
    return None


@dataclass
class _Row:
    category: Category
    problem: Problem | None
    measure: Measure | None


def _problem_rows(category: Category, problem: Problem) -> Iterator[_Row]:
    if not problem.measures:
        yield _Row(category, problem, None)
    for measure in problem.measures:
        yield _Row(category, problem, measure)
    for sub in problem.subproblems:
        yield from _problem_rows(category, sub)


def rows(doc: Document) -> Iterator[_Row]:
    """The ledger's rows in document order (see the module's docstring)."""
    for category in doc.categories:
        for measure in category.measures:
            yield _Row(category, None, measure)
        for problem in category.problems:
            yield from _problem_rows(category, problem)
        if not category.measures and not category.problems:
            yield _Row(category, None, None)


def _problem_text(problem: Problem | None) -> str | None:
    if problem is None:
        return None
    return problem.title or problem.description or problem.summary


def _values(number: int, row: _Row) -> list[Value]:
    m = row.measure
    deadline: Value = None
    if m is not None:
        deadline = m.deadline if m.deadline is not None else safe(m.deadline_text)
    texts = [m.text, m.leader, m.department, m.person] if m else [None, None, None, None]
    rest = [m.progress, m.status, m.evidence, m.sign_off, m.note] if m else [None] * 5
    return [
        number,
        safe(row.category.title),
        safe(_problem_text(row.problem)),
        *(safe(t) for t in texts),
        deadline,
        *(safe(t) for t in rest),
    ]


def _title(doc: Document) -> str:
    if doc.kind == "ledger" and doc.title:
        return doc.title
    return f"{doc.org}巡察反馈问题整改台账" if doc.org else "巡察反馈问题整改台账"


def _layout(sheet: Worksheet, last_row: int) -> None:
    """Title, bold frozen header with filters, widths, print setup."""
    last_column = get_column_letter(len(COLUMNS))
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    for position, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, position, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{max(last_row, HEADER_ROW)}"
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _height(values: list[Value]) -> float:
    """openpyxl does not size wrapped rows; estimate the lines the widest cell needs."""
    lines = 1
    for value, (_, width) in zip(values, COLUMNS, strict=True):
        if isinstance(value, str):
            need = sum(-(-max(len(part), 1) * 2 // width) for part in value.split("\n"))
            lines = max(lines, need)
    return 15.0 * min(lines, 30)


def write_ledger_xlsx(doc: Document, *, today: dt.date | None = None) -> bytes:
    """The ledger of ``doc`` as .xlsx bytes; ``today`` decides what is overdue."""
    today = today or dt.date.today()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "整改台账"
    sheet.cell(1, 1, safe(_title(doc)))
    wrap = Alignment(vertical="top", wrap_text=True)
    row_number = HEADER_ROW
    for number, row in enumerate(rows(doc), start=1):
        row_number = HEADER_ROW + number
        values = _values(number, row)
        for position, value in enumerate(values, start=1):
            cell = sheet.cell(row_number, position, value)
            cell.alignment = wrap
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
        sheet.row_dimensions[row_number].height = _height(values)
        colour = state(row.measure, today) if row.measure else None
        if colour:
            sheet.cell(row_number, STATUS_COLUMN).fill = FILLS[colour]
    _layout(sheet, row_number)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
