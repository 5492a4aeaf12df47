"""Excel ledgers: the header row found by its names, merged cells, dates, several sheets."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from zhenggai.core.errors import ParseError
from zhenggai.core.readers import parse_file

HEADER = [
    "序号",
    "问题类别",
    "问题表现",
    "整改措施",
    "责任领导",
    "责任单位",
    "责任人",
    "完成时限",
    "完成情况",
    "佐证材料",
    "销号情况",
    "备注",
    "督办意见",
]


# The rows under the header: the first category over three rows (merged), its first
# problem over two (merged), the next category on one row.
ROWS: list[list[object]] = [
    [
        1,
        "一、党的建设方面",
        "关于“三会一课”制度落实不严格的问题",
        "1.制定年度计划\n2.每月检查",
        "张某",
        "办公室",
        "李某",
        dt.datetime(2025, 6, 30),
        "已完成",
        "会议记录",
        "已销号",
        "",
    ],
    [
        None,
        None,
        None,
        "建立党建台账",
        "张某",
        "办公室",
        "王某",
        "长期坚持",
        "正在推进",
        "",
        "",
        "待复核",
    ],
    [
        2,
        None,
        "党费收缴不规范",
        "一是补缴党费；二是按月公示",
        "赵某",
        "财务室",
        "钱某",
        "2025年5月31日",
        "已完成",
        "",
        "",
        "",
    ],
    [
        3,
        "二、作风建设方面",
        "公务用车管理不严",
        "严格派车审批",
        "孙某",
        "办公室",
        "周某",
        dt.date(2025, 4, 30),
        "已完成",
        "",
        "",
        "",
    ],
]


def _ledger(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.worksheets[0].title = "说明"
    book.worksheets[0]["A1"] = "本工作簿第二张表为台账"
    sheet = book.create_sheet("台账")
    sheet.append(["某县卫生健康局巡察反馈问题整改台账"])
    sheet.merge_cells("A1:L1")
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.merge_cells("B3:B5")
    sheet.merge_cells("C3:C4")
    book.save(str(path))
    return path


def test_a_ledger_reads_into_categories_problems_and_measures(tmp_path: Path) -> None:
    doc = parse_file(_ledger(tmp_path / "台账.xlsx"))
    assert doc.kind == "ledger" and doc.title == "某县卫生健康局巡察反馈问题整改台账"
    assert [c.title for c in doc.categories] == ["党的建设方面", "作风建设方面"]
    first, second = doc.categories[0].problems
    assert first.title == "“三会一课”制度落实不严格"
    assert [m.text for m in first.measures] == ["制定年度计划", "每月检查", "建立党建台账"]
    assert second.title == "党费收缴不规范"
    assert [m.text for m in second.measures] == ["补缴党费", "按月公示"]


def test_ledger_columns_fill_the_measures(tmp_path: Path) -> None:
    doc = parse_file(_ledger(tmp_path / "台账.xlsx"))
    plan, audit, ledger_book = doc.categories[0].problems[0].measures
    assert (plan.leader, plan.department, plan.person) == ("张某", "办公室", "李某")
    assert plan.deadline == dt.date(2025, 6, 30) and plan.status == "已完成"
    assert plan.evidence == "会议记录" and plan.sign_off == "已销号"
    assert ledger_book.deadline is None and ledger_book.deadline_text == "长期坚持"
    assert ledger_book.note == "待复核" and audit.note is None
    assert doc.categories[0].problems[1].measures[0].deadline == dt.date(2025, 5, 31)
    assert doc.categories[1].problems[0].measures[0].deadline == dt.date(2025, 4, 30)


def test_a_column_it_does_not_know_is_reported_not_dropped(tmp_path: Path) -> None:
    doc = parse_file(_ledger(tmp_path / "台账.xlsx"))
    assert [(w.where, w.text) for w in doc.warnings] == [("工作表“台账”第2行", "督办意见")]
    assert "未识别的列" in doc.warnings[0].why


def test_a_workbook_without_a_ledger_header_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.worksheets[0].append(["姓名", "电话"])
    book.save(str(tmp_path / "x.xlsx"))
    with pytest.raises(ParseError, match="没有找到整改台账的表头"):
        parse_file(tmp_path / "x.xlsx")
