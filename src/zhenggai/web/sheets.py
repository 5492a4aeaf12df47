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
