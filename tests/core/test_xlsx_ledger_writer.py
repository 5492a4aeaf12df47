"""The 整改台账 .xlsx writer: opened again with openpyxl, and read back by the ledger reader."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from zhenggai.core.model import Category, Document, Measure, Problem
from zhenggai.core.readers import parse_bytes, parse_file
from zhenggai.core.structure.titles import category_title, problem_title
from zhenggai.core.writers.xlsx_ledger import FORMULA_STARTS, write_ledger_xlsx

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
HEADERS = [
    "序号",
    "问题类别",
    "具体问题",
    "整改措施",
    "责任领导",
    "责任部门",
    "责任人",
    "整改时限",
    "整改进展",
    "完成情况",
    "佐证材料",
    "销号情况",
    "备注",
]
TODAY = dt.date(2025, 7, 1)
YELLOW, RED = "FFEB9C", "FFC7CE"


def _measure(text: str, **values: Any) -> Measure:
    return Measure(text, **values)


def _doc() -> Document:
    return Document(
        kind="ledger",
        title="某县卫生健康局巡察反馈问题整改台账",
        categories=[
            Category(
                "党的建设方面",
                [
                    Problem(
                        "三会一课制度落实不严格",
                        measures=[
                            _measure(
                                "制定年度学习计划",
                                leader="张某",
                                department="办公室",
                                person="李某",
                                deadline=dt.date(2025, 6, 30),
                                deadline_text="2025年6月30日",
                                progress="已制定计划并印发",
                                status="已完成",
                                evidence="会议记录",
                                sign_off="已销号",
                                note="立行立改",
                            ),
                            _measure(
                                "每月检查落实", deadline=dt.date(2025, 12, 31), status="正在推进"
                            ),
                            _measure(
                                "建立党建台账", deadline=dt.date(2025, 5, 31), status="未完成"
                            ),
                            _measure("长期坚持学习", deadline_text="长期坚持"),
                        ],
                    ),
                    Problem("意识形态工作责任制落实不到位"),
                ],
            )
        ],
    )


def _sheet(data: bytes) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def _data_rows(sheet: Worksheet) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]


def test_the_header_row_has_the_ledger_columns_in_order() -> None:
    sheet = _sheet(write_ledger_xlsx(_doc(), today=TODAY))
    assert [c.value for c in sheet[2]] == HEADERS


def test_the_title_row_above_the_header_reads_back_as_the_title() -> None:
    data = write_ledger_xlsx(_doc(), today=TODAY)
    assert _sheet(data)["A1"].value == "某县卫生健康局巡察反馈问题整改台账"
    assert parse_bytes(data, "ledger.xlsx").title == "某县卫生健康局巡察反馈问题整改台账"


def test_the_header_is_bold_frozen_and_filtered() -> None:
    sheet = _sheet(write_ledger_xlsx(_doc(), today=TODAY))
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:M7"
    assert sheet.column_dimensions["D"].width >= 26  # the measures: 13 characters a line
    assert sheet["D3"].alignment.wrap_text


def test_it_writes_one_row_per_measure_and_a_row_for_a_problem_without_measures() -> None:
    rows = _data_rows(_sheet(write_ledger_xlsx(_doc(), today=TODAY)))
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    assert [row[2] for row in rows] == ["三会一课制度落实不严格"] * 4 + [
        "意识形态工作责任制落实不到位"
    ]
    assert rows[4][3] is None


def test_every_column_is_filled_from_the_measure() -> None:
    first = _data_rows(_sheet(write_ledger_xlsx(_doc(), today=TODAY)))[0]
    assert first == [
        1,
        "党的建设方面",
        "三会一课制度落实不严格",
        "制定年度学习计划",
        "张某",
        "办公室",
        "李某",
        dt.datetime(2025, 6, 30),
        "已制定计划并印发",
        "已完成",
        "会议记录",
        "已销号",
        "立行立改",
    ]


def test_deadlines_are_date_cells_in_iso_format_and_words_stay_text() -> None:
    sheet = _sheet(write_ledger_xlsx(_doc(), today=TODAY))
    assert sheet["H3"].is_date
    assert sheet["H3"].number_format == "yyyy-mm-dd"
    assert sheet["H6"].value == "长期坚持"
    assert not sheet["H6"].is_date


def test_only_open_status_cells_are_coloured_in_progress_or_overdue() -> None:
    sheet = _sheet(write_ledger_xlsx(_doc(), today=TODAY))
    colours = [
        sheet.cell(row, 10).fill.fgColor.rgb[-6:] if sheet.cell(row, 10).fill.fill_type else None
        for row in range(3, 8)
    ]
    # done (plain, though past its deadline); in progress with time left; 未完成 past
    # its deadline; words only; no measure
    assert colours == [None, YELLOW, RED, YELLOW, None]


def test_what_is_overdue_follows_the_day_of_writing() -> None:
    sheet = _sheet(write_ledger_xlsx(_doc(), today=dt.date(2026, 1, 1)))
    assert sheet.cell(4, 10).fill.fgColor.rgb[-6:] == RED


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_no_cell_starts_a_formula_from_user_text(start: str) -> None:
    doc = Document(
        title=f"{start}标题",
        categories=[
            Category(
                f"{start}类别",
                [
                    Problem(
                        f"{start}SUM(A1:A9)",
                        measures=[
                            Measure(
                                f"{start}1+1",
                                leader=f"{start}张",
                                deadline_text=f"{start}年底",
                                note=f"{start}cmd|' /C calc'!A0",
                            )
                        ],
                    )
                ],
            )
        ],
    )
    sheet = _sheet(write_ledger_xlsx(doc, today=TODAY))
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert len(texts) == 1 + 13 + 6  # title, header, the row's six texts
    assert all(cell.data_type != "f" for cell in texts)
    assert not [c.value for c in texts if str(c.value).startswith(FORMULA_STARTS)]


def test_guarded_text_reads_back_as_written() -> None:
    doc = Document(categories=[Category("=类别", [Problem("-问题", measures=[Measure("@措施")])])])
    parsed = parse_bytes(write_ledger_xlsx(doc, today=TODAY), "ledger.xlsx")
    category = parsed.categories[0]
    assert category.title == "=类别"
    assert category.problems[0].title == "-问题"
    assert [m.text for m in category.problems[0].measures] == ["@措施"]


def test_characters_a_workbook_cannot_hold_are_dropped() -> None:
    doc = Document(
        categories=[Category("类\x00别", [Problem("问\x07题", measures=[Measure("措\x1b施")])])]
    )
    rows = _data_rows(_sheet(write_ledger_xlsx(doc, today=TODAY)))
    assert rows[0][1:4] == ["类别", "问题", "措施"]


def test_people_and_deadlines_read_back() -> None:
    parsed = parse_bytes(write_ledger_xlsx(_doc(), today=TODAY), "ledger.xlsx")
    first = parsed.categories[0].problems[0].measures[0]
    assert (first.leader, first.department, first.person, first.deadline) == (
        "张某",
        "办公室",
        "李某",
        dt.date(2025, 6, 30),
    )
    assert (first.status, first.evidence, first.sign_off, first.note) == (
        "已完成",
        "会议记录",
        "已销号",
        "立行立改",
    )
    assert parsed.categories[0].problems[0].measures[3].deadline_text == "长期坚持"


Shape = list[tuple[str | None, list[str], list[tuple[str | None, list[str]]]]]


def _flat(doc: Document) -> Shape:
    """Categories with their own measures and problems; a ledger is flat, so
    sub-problems follow their parent as problems, titles as the reader words them."""

    def problems(problem: Problem) -> list[tuple[str | None, list[str]]]:
        title = problem_title(problem.title) if problem.title else None
        own = [(title, [m.text for m in problem.measures])]
        return own + [p for sub in problem.subproblems for p in problems(sub)]

    return [
        (
            category_title(category.title) if category.title else None,
            [m.text for m in category.measures],
            [p for problem in category.problems for p in problems(problem)],
        )
        for category in doc.categories
    ]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_each_seed_makes_the_round_trip_through_the_ledger_reader(path: Path) -> None:
    doc = parse_file(path)
    parsed = parse_bytes(write_ledger_xlsx(doc, today=TODAY), "ledger.xlsx")
    assert _flat(parsed) == _flat(doc)
    assert parsed.warnings == []


# No digits, no enumeration words (一是…), no 关于/方面 or trailing punctuation that the
# reader would take for wording around a title; the formula signs are in.
ALPHABET = "党建组织学习制度落实整改干部作风监督管理资金项目工程规范abcXYZ=+-@＝＋－＠"
TEXT = st.text(ALPHABET, min_size=1, max_size=12)


@st.composite
def ledgers(draw: st.DrawFn) -> Document:
    titles = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    categories = []
    for title in titles:
        measures = [Measure(t) for t in draw(st.lists(TEXT, max_size=2))]
        names = draw(st.lists(TEXT, max_size=4, unique=True))
        problems = [
            Problem(name, measures=[Measure(t) for t in draw(st.lists(TEXT, max_size=3))])
            for name in names
        ]
        categories.append(Category(title, problems, measures))
    return Document(kind="ledger", categories=categories)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=ledgers())
def test_a_random_ledger_keeps_its_titles_and_measures(doc: Document) -> None:
    parsed = parse_bytes(write_ledger_xlsx(doc, today=TODAY), "ledger.xlsx")
    assert _flat(parsed) == _flat(doc)
