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
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhenggai.core.writers import xlsx_ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Column = tuple[Any, int]  # header (translated lazily), width in characters
Sheet = tuple[str, Sequence[Column], Sequence[Sequence[Any]]]  # title, columns, rows


def safe(value: Any) -> Any:
    """A cell value that no spreadsheet runs (text guarded as the ledger writer does)
    and a time in local time (a workbook knows no time zones)."""
    if isinstance(value, str):
        return xlsx_ledger.safe(value) or ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _cell(sheet: Any, value: Any, bold: bool = False) -> Any:
    """The value, or a styled cell where it needs a style (a header, a date)."""
    value = safe(value)
    if not bold and not isinstance(value, dt.date):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _fill(
    book: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> None:
    """One sheet, streamed (openpyxl's write-only mode: a few thousand rows of a
    cockpit table in a fraction of the time a full workbook takes)."""
    sheet = book.create_sheet(title[:31])
    for number, (_header, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    last = f"{get_column_letter(max(1, len(columns)))}{len(rows) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.append([_cell(sheet, str(header), bold=True) for header, _width in columns])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def workbook(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        _fill(book, title, columns, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
