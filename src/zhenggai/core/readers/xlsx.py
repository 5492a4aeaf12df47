"""Excel .xlsx ledgers (整改台账), every sheet that has a ledger header."""

import datetime as dt
import io
import warnings

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from zhenggai.core.errors import ParseError
from zhenggai.core.model import Document
from zhenggai.core.readers.docx import open_zip_checked
from zhenggai.core.readers.ledger import Cell, read_ledger
from zhenggai.core.structure import Para

MAX_CELLS = 2_000_000


def _rows(sheet: Worksheet) -> list[list[Cell]]:
    """Cell values with every merged range filled from its top-left cell."""
    if sheet.max_row * sheet.max_column > MAX_CELLS:
        raise ParseError(f"工作表“{sheet.title}”过大，超过 {MAX_CELLS} 个单元格")
    rows: list[list[Cell]] = [[_value(c.value) for c in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        top = rows[merged.min_row - 1][merged.min_col - 1] if rows else None
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                    rows[r - 1][c - 1] = top
    return rows


def _value(value: object) -> Cell:
    """A cell as the ledger reader takes it: dates as dates, the rest as text as Excel
    shows it (a whole number without 「.0」, a TRUE/FALSE cell of 是否销号 as 是/否)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _book(data: bytes) -> Workbook:
    open_zip_checked(data, " Excel ")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it skips
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise ParseError("无法读取该 Excel 文件：文件已损坏或不是有效的 .xlsx 文件") from None


def source_lines(data: bytes) -> list[Para]:
    """Every sheet as a person reads it: a line per row that holds anything."""
    lines: list[Para] = []
    for sheet in _book(data).worksheets:
        for number, row in enumerate(_rows(sheet), 1):
            cells = [str(cell) for cell in row if cell not in (None, "")]
            if cells:
                lines.append(Para(" | ".join(cells), f"工作表“{sheet.title}”第{number}行"))
    return lines


class XlsxReader:
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm")

    def read(self, data: bytes, suffix: str) -> Document:
        for sheet in _book(data).worksheets:
            doc = read_ledger(_rows(sheet), where=f"工作表“{sheet.title}”")
            if doc is not None:
                return doc
        raise ParseError("没有找到整改台账的表头：表格中应有“具体问题”“整改措施”“责任部门”等列")


READER = XlsxReader()
