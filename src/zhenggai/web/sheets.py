"""Plain .xlsx downloads of what a page lists (the formatted ledger of record is
the document writers' job): a frozen header, filters, dates as dates, and no
user text that Excel or WPS would run as a formula."""

import io
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A leading one of these makes a spreadsheet read text as a formula (CSV/DDE injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]


def safe(value: Any) -> Any:
    """Text that would start a formula is prefixed with an apostrophe (OWASP's advice):
    a cell style that marks text as text is not honoured by every reader, the
    character is, and the text stays readable."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _fill(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe(value) for value in row])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def workbook(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, headers, rows in sheets:
        _fill(book.create_sheet(title[:31]), headers, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
