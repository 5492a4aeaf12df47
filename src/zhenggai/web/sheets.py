"""Plain .xlsx downloads of what a page lists (the formatted ledger of record is
the document writers' job): a bold frozen header with filters, dates as dates,
and no user text that Excel or WPS would run as a formula."""

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A text starting with one of these is taken for a formula by Excel or WPS (a tab or
# a carriage return can lead one in; WPS and a Chinese Excel take the full-width
# signs too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Put before such a text: a zero-width space starts no formula, does not show, and is
# not whitespace, so neither Excel's TRIM nor a CSV round trip removes it (a leading
# apostrophe would show in the cell, as it is data here, not Excel's quote prefix).
GUARD = "\u200b"

Column = tuple[Any, int]  # header (translated lazily), width in characters
Sheet = tuple[str, Sequence[Column], Sequence[Sequence[Any]]]  # title, columns, rows


def safe(value: Any) -> Any:
    """A cell value that no spreadsheet runs: text that would start a formula gets
    the guard in front, characters a workbook may not hold are dropped, and a
    time is written in local time (a workbook knows no time zones)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return GUARD + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _fill(
    book: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append([str(header) for header, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe(value) for value in row])
    for number, (_header, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def workbook(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, columns, rows in sheets:
        _fill(book, title, columns, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
