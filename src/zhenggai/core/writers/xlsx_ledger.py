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
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from zhenggai.core.model import Category, Document, Measure, Problem

# (header, width in Excel's units: a Chinese character at 10.5 pt takes two);
# the header names are the ones the reader knows. The widths add up to what a
# landscape A4 page holds at about 90 %, so that fit-to-width prints the text at
# 9.5 pt or more (at 234 units it printed at 4.8 pt).
COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 5),
    ("问题类别", 12),
    ("具体问题", 20),
    ("整改措施", 26),
    ("责任领导", 8),
    ("责任部门", 10),
    ("责任人", 8),
    ("整改时限", 11),
    ("整改进展", 22),
    ("完成情况", 9),
    ("佐证材料", 12),
    ("销号情况", 10),
    ("备注", 8),
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
# Only what is still open is coloured: a done measure prints plain, whatever its
# deadline was, so that the colours on a printed ledger point at the work left.
FILLS = {
    IN_PROGRESS: PatternFill("solid", fgColor="FFEB9C"),  # yellow
    OVERDUE: PatternFill("solid", fgColor="FFC7CE"),  # red
}

# Printed as it is: a Chinese face named for every cell (with no name, Excel and
# LibreOffice fall back to their default, a Japanese face on many machines), the
# body at 10.5 pt (五号), the title in 黑体. The character set GB2312 steers a
# machine without the face to a Chinese substitute, as a .docx font table does.
FONT_NAME, TITLE_FONT_NAME = "仿宋_GB2312", "黑体"
FONT_PT, TITLE_PT = 10.5, 16
GB2312_CHARSET = 134
BODY_FONT = Font(name=FONT_NAME, size=FONT_PT, charset=GB2312_CHARSET)
HEADER_FONT = Font(name=TITLE_FONT_NAME, size=FONT_PT, bold=True, charset=GB2312_CHARSET)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_PT = 14.0  # a wrapped line of 10.5 pt text
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
    sheet["A1"].font = Font(name=TITLE_FONT_NAME, size=TITLE_PT, charset=GB2312_CHARSET)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    for position, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, position, name)
        cell.font = HEADER_FONT
        cell.border = BORDER
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
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)


def _height(values: list[Value]) -> float:
    """openpyxl does not size wrapped rows; estimate the lines the widest cell needs."""
    lines = 1
    for value, (_, width) in zip(values, COLUMNS, strict=True):
        if isinstance(value, str):
            need = sum(-(-max(len(part), 1) * 2 // width) for part in value.split("\n"))
            lines = max(lines, need)
    return LINE_PT * min(lines, 30) + 4


def write_ledger_xlsx(doc: Document, *, today: dt.date | None = None) -> bytes:
    """The ledger of ``doc`` as .xlsx bytes; ``today`` decides what is overdue."""
    today = today or dt.date.today()
    book = Workbook()
    # Column widths count the digits of the Normal style's font: left at Calibri 11,
    # a machine without Calibri (LibreOffice on a server: DejaVu Sans) widens every
    # column by a third and fit-to-width prints the text at 7 pt. In the body face
    # the widths mean what COLUMNS says. openpyxl offers no public door to Normal.
    book._named_styles["Normal"].font = BODY_FONT  # type: ignore[attr-defined]
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
            cell.font = BODY_FONT
            cell.border = BORDER
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
        sheet.row_dimensions[row_number].height = _height(values)
        colour = state(row.measure, today) if row.measure else None
        if colour in FILLS:
            sheet.cell(row_number, STATUS_COLUMN).fill = FILLS[colour]
    _layout(sheet, row_number)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
