"""The 整改台账 .xlsx prints as it is: a Chinese face, readable size, borders, wrapped
text, print titles, landscape fitted to the width, colours only for open items."""

import datetime as dt
import io
from collections.abc import Iterable

import openpyxl
import pytest
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar

from tests.support import SAMPLES
from zhenggai.core.model import Category, Document, Measure, Problem
from zhenggai.core.readers import office, parse_file
from zhenggai.core.writers.xlsx_ledger import HEADER_ROW, STATUS_COLUMN, write_ledger_xlsx

SEED_004 = next(s for s in SAMPLES if s.stem.startswith("004"))
CHINESE_FACES = ("仿宋_GB2312", "黑体")
A4_LANDSCAPE_MM = 297
MM_PER_PX = 25.4 / 96


@pytest.fixture(scope="module")
def sheet() -> Worksheet:
    book = openpyxl.load_workbook(io.BytesIO(write_ledger_xlsx(parse_file(SEED_004))))
    found = book.active
    assert isinstance(found, Worksheet)
    return found


def _cells(sheet: Worksheet) -> list[Cell | MergedCell]:
    return [cell for row in sheet.iter_rows(min_row=HEADER_ROW) for cell in row]


def test_every_cell_names_a_chinese_face(sheet: Worksheet) -> None:
    assert {cell.font.name for cell in _cells(sheet)} <= set(CHINESE_FACES)
    assert sheet["A1"].font.name in CHINESE_FACES


def test_the_text_prints_at_nine_points_or_more(sheet: Worksheet) -> None:
    """Fitted to the page's width, the text shrinks by the printable width over the
    sheet's: a column of width w is 7w + 5 pixels at 96 dpi (Excel's rule)."""
    sheet_mm = sum(
        (7 * (sheet.column_dimensions[letter].width or 8.43) + 5) * MM_PER_PX
        for letter in "ABCDEFGHIJKLM"
    )
    margins = sheet.page_margins
    printable_mm = A4_LANDSCAPE_MM - (margins.left + margins.right) * 25.4
    scale = min(1.0, printable_mm / sheet_mm)
    smallest = min(float(cell.font.size or 0) for cell in _cells(sheet))
    assert smallest * scale >= 9, (smallest, scale)


def test_the_table_has_thin_borders_and_wrapped_text(sheet: Worksheet) -> None:
    body = [c for c in _cells(sheet) if (c.row or 0) > HEADER_ROW]
    assert body
    assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in body)
    assert all(c.alignment.wrap_text for c in body)


def test_it_prints_landscape_fitted_to_the_width_with_titles(sheet: Worksheet) -> None:
    assert sheet.page_setup.orientation == "landscape"
    fit = sheet.sheet_properties.pageSetUpPr
    assert fit is not None and fit.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == f"$1:${HEADER_ROW}"
    assert all(sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLM")


def test_a_measure_signed_off_past_its_deadline_is_not_filled() -> None:
    done = Measure(
        "制定学习计划", deadline=dt.date(2025, 3, 31), status="已完成", sign_off="已销号"
    )
    late = Measure("建立台账", deadline=dt.date(2025, 3, 31), status="正在推进")
    doc = Document(
        categories=[Category("党的建设方面", [Problem("学习不深入", measures=[done, late])])]
    )
    book = openpyxl.load_workbook(io.BytesIO(write_ledger_xlsx(doc, today=dt.date(2026, 1, 1))))
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    status = [sheet.cell(row, STATUS_COLUMN) for row in (HEADER_ROW + 1, HEADER_ROW + 2)]
    assert [c.value for c in status] == ["已完成", "正在推进"]
    assert status[0].fill.fill_type is None
    assert status[1].fill.fill_type == "solid"


def _chars(pdf: bytes) -> list[LTChar]:
    found: list[LTChar] = []

    def walk(item: object) -> None:
        if isinstance(item, LTChar):
            found.append(item)
        elif isinstance(item, Iterable):
            for child in item:
                walk(child)

    for page in extract_pages(io.BytesIO(pdf)):
        walk(page)
    return found


def test_printed_by_calc_the_ledger_is_in_a_chinese_face_at_nine_points_or_more() -> None:
    """Measured, not estimated: LibreOffice Calc prints seed 004's ledger to PDF, fitted
    to the width, with the GB/T faces resolved as the documents' are (core.fonts)."""
    pdf = office.convert(write_ledger_xlsx(parse_file(SEED_004)), ".xlsx", "pdf")
    chars = [c for c in _chars(pdf) if c.get_text().strip()]
    assert len(chars) > 5000
    assert min(c.size for c in chars) >= 9, min(c.size for c in chars)
    han = [c for c in chars if "\u4e00" <= c.get_text() <= "\u9fff"]
    assert han and all("Fandol" in c.fontname for c in han), {c.fontname for c in han}
