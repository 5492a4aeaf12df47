"""An office's own Excel ledger read column by column: 整改类型, 整改目标 and the
state its 完成情况 / 销号情况 state with the day beside it, under a header of one
row or two, with the synonyms of other offices and dates typed every way.

The ledgers are in tests/ledgers/ (written by tests/ledgers/make_ledgers.py)."""

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.ledgers import make_ledgers
from zhenggai.core.model import Document, Measure
from zhenggai.core.readers import parse_file
from zhenggai.core.readers.ledger import Stated, measure_type, read_ledger, stated_state

D = dt.date


def _row(m: Measure) -> tuple[Any, ...]:
    """Every column a measure carries, in the county ledger's order."""
    return (
        m.text,
        m.target,
        m.type,
        m.leader,
        m.department,
        m.person,
        m.deadline,
        m.deadline_text,
        m.progress,
        m.status,
        m.sign_off,
        m.evidence,
        m.note,
    )


def _measures(doc: Document) -> list[Measure]:
    return [m for p in doc.problems() for m in p.measures]


# --- The county ledger: a title row, every column ---------------------------------------


def test_the_county_ledger_reads_every_column_of_every_measure() -> None:
    doc = parse_file(make_ledgers.COUNTY)
    assert doc.kind == "ledger"
    assert doc.title == "××县自然资源局落实县委第三巡察组反馈意见整改台账"
    assert doc.warnings == []
    # fmt: off
    assert [_row(m) for m in _measures(doc)] == [
        ("制定党组理论学习中心组2024年度学习计划，每月至少集中学习1次", "理论学习制度化、常态化",
         "立行立改", "王××", "办公室", "李××", D(2024, 3, 31), "2024-03-31",
         "已印发年度学习计划，1—5月开展集中学习6次", "已完成", "2024-04-15", None, None),
        ("建立学习情况督查通报制度，每季度通报一次", "理论学习制度化、常态化",
         "长期坚持", "王××", "机关党委", "赵××", None, "长期坚持",
         "已通报第一季度学习情况", "长期坚持", None, None, None),
        ("制定意识形态工作责任清单，明确班子成员“一岗双责”", "压实意识形态工作责任",
         "限期整改", "张××", "办公室", "孙××", D(2024, 6, 30), "2024-06-30",
         "责任清单已起草，待党组会议审议", "整改中", None, None, None),
        ("全面清理2021年以来公务接待台账，规范“一函一单一票”审批", "接待审批规范率100%",
         "立行立改", "刘××", "财务股", "周××", D(2024, 2, 29), "2024-02-29",
         "清理接待单据126份，退缴不合规费用0.36万元", "已销号", "2024-05-20", None,
         "派驻纪检组已验收"),
        ("修订《机关公务接待管理办法》", "制度健全",
         "限期整改", "刘××", "办公室", "吴××", D(2024, 7, 31), "2024-07-31",
         None, "未完成", None, None, None),
        ("开展违法占地专项整治，逐宗建立整改台账", "违法占地问题动态清零",
         "限期整改", "陈××", "执法监察大队", "郑××", D(2024, 5, 31), "2024-05-31",
         "已排查图斑213宗，整改到位198宗", "基本完成", None, None, None),
        ("对全局干部人事档案开展专项审核，补齐缺失材料", None,
         "立行立改", "王××", "人事股", "冯××", D(2024, 4, 30), "2024-04-30",
         "审核档案86卷，补齐材料43份", "完成", None, None, None),
    ]
    # fmt: on


def test_merged_cells_give_each_problem_its_measures_and_a_shared_target() -> None:
    doc = parse_file(make_ledgers.COUNTY)
    assert [c.title for c in doc.categories] == [
        "党的政治建设方面",
        "全面从严治党方面",
        "干部队伍建设方面",
    ]
    assert [[len(p.measures) for p in c.problems] for c in doc.categories] == [[2, 1], [2, 1], [1]]
    # 整改目标 merged over a problem's rows is the problem's too; one per row is not.
    assert [p.target for p in doc.problems()] == [
        "理论学习制度化、常态化",
        "压实意识形态工作责任",
        None,
        "违法占地问题动态清零",
        None,
    ]


def test_the_county_ledger_states_the_state_and_day_of_each_measure() -> None:
    doc = parse_file(make_ledgers.COUNTY)
    assert [stated_state(m) for m in _measures(doc)] == [
        Stated("signed_off", D(2024, 4, 15)),
        Stated("long_term", None),
        Stated("in_progress", None),
        Stated("signed_off", D(2024, 5, 20)),
        Stated("not_started", None),
        Stated("in_progress", None),
        Stated("signed_off", None),
    ]
    assert [measure_type(m.type) for m in _measures(doc)] == [
        "immediate",
        "long_term",
        "time_bound",
        "immediate",
        "time_bound",
        "time_bound",
        "immediate",
    ]


# --- Two header rows, other names ------------------------------------------------------


def test_a_header_over_two_rows_names_the_columns_its_groups_span() -> None:
    doc = parse_file(make_ledgers.TOWNSHIP)
    assert doc.title == "××镇落实县委第二巡察组反馈意见整改工作台账"
    assert doc.warnings == []  # 责任主体 and 销号情况 group named columns: nothing unread
    first = doc.problems()[0].measures[0]
    assert (first.leader, first.department, first.person) == ("党委书记", "党政办", "黄××")
    assert (first.type, first.deadline, first.evidence) == (
        "立行立改",
        D(2024, 3, 15),
        "党委会会议记录",
    )
    assert first.sign_off == "是（2024-04-02）"  # 是否销号 with the 销号日期 beside it


def test_banners_are_categories_and_a_problem_merged_over_rows_keeps_all_its_measures() -> None:
    doc = parse_file(make_ledgers.TOWNSHIP)
    assert [c.title for c in doc.categories] == ["政治建设方面", "作风建设方面"]
    assert [p.title for p in doc.problems()] == [
        "“第一议题”制度落实不到位，学习传达上级精神不及时",
        "惠民资金发放审核把关不严",
        "村级工程项目管理不规范",
    ]
    assert [m.text for m in doc.problems()[0].measures] == [
        "严格执行“第一议题”制度，党委会第一时间传达学习上级重要会议精神",
        "建立学习传达台账",  # one cell, numbered 1. and 2.: two measures
        "每季度开展一次学习成效评估",
        "将学习情况纳入村（社区）党组织书记述职评议",
    ]


def test_the_township_ledger_states_its_sign_offs() -> None:
    doc = parse_file(make_ledgers.TOWNSHIP)
    assert [(m.sign_off, stated_state(m)) for m in _measures(doc)] == [
        ("是（2024-04-02）", Stated("signed_off", D(2024, 4, 2))),
        ("否", Stated("not_started", None)),
        ("否", Stated("not_started", None)),
        (None, None),
        ("已销号（2024.5.20）", Stated("signed_off", D(2024, 5, 20))),
        ("是", Stated("signed_off", None)),
        ("否", Stated("not_started", None)),
    ]
    assert [m.type for m in _measures(doc)] == [
        "立行立改",
        "限期整改",
        "限期整改",
        "长期坚持",
        "立行立改",
        "限期整改",
        "限期整改",
    ]


# --- Dates typed as text -----------------------------------------------------------------


def test_dates_typed_as_text_or_left_a_serial_number_are_dates() -> None:
    doc = parse_file(make_ledgers.TEXT_DATES)
    assert [(m.deadline, m.deadline_text) for m in _measures(doc)] == [
        (D(2024, 6, 30), "2024.6.30"),
        (D(2024, 4, 30), "2024年4月30日前"),
        (D(2024, 6, 30), "2024-06-30"),  # 45473, a date cell formatted as a number
        (D(2024, 12, 31), "2024年12月31日"),
        (None, "长期"),
        (D(2024, 3, 31), "2024年3月31日"),
        (D(2024, 6, 30), "2024年6月30日"),
        (D(2024, 9, 30), "2024.9.30"),
    ]


def test_the_states_written_beside_their_days_are_read_with_them() -> None:
    doc = parse_file(make_ledgers.TEXT_DATES)
    assert [(m.status, stated_state(m)) for m in _measures(doc)] == [
        ("已完成（2024.5.20）", Stated("signed_off", D(2024, 5, 20))),  # 完成时间 beside it
        ("已于2024年4月28日完成整改", Stated("signed_off", D(2024, 4, 28))),
        ("已销号（2024.5.20）", Stated("signed_off", D(2024, 5, 20))),
        ("持续推进", Stated("in_progress", None)),
        ("正在整改", Stated("in_progress", None)),
        ("未完成", Stated("not_started", None)),
        ("2024年5月10日", Stated("signed_off", D(2024, 5, 10))),  # only 完成时间 filled
        ("是", Stated("signed_off", None)),
    ]
    assert [measure_type(m.type) for m in _measures(doc)] == [
        "time_bound",
        "immediate",
        "time_bound",
        "long_term",  # 持续整改
        "long_term",  # 长期整改
        "immediate",
        "time_bound",
        "time_bound",
    ]
    assert [c.title for c in doc.categories] == ["基层党建", "财务管理", "作风建设"]


def test_the_committed_ledgers_are_what_the_script_writes(tmp_path: Path) -> None:
    for written in make_ledgers.main(tmp_path):
        committed = make_ledgers.HERE / written.name
        assert parse_file(written).to_dict() == parse_file(committed).to_dict(), written.name


# --- The words offices write --------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "sign_off", "expected"),
    [
        ("已完成", None, Stated("signed_off", None)),
        ("已整改", None, Stated("signed_off", None)),
        ("完成", None, Stated("signed_off", None)),
        ("是", None, Stated("signed_off", None)),
        ("已销号", None, Stated("signed_off", None)),
        (None, "已销号（2024.5.20）", Stated("signed_off", D(2024, 5, 20))),
        ("整改中", None, Stated("in_progress", None)),
        ("正在整改", None, Stated("in_progress", None)),
        ("基本完成", None, Stated("in_progress", None)),
        ("持续推进", None, Stated("in_progress", None)),
        ("已完成阶段性任务，长期坚持", None, Stated("in_progress", None)),
        ("长期坚持", None, Stated("long_term", None)),
        ("未完成", None, Stated("not_started", None)),
        ("否", None, Stated("not_started", None)),
        ("已完成待销号", None, Stated("awaiting_sign_off", None)),
        # Done by 完成情况, not yet by 是否销号: awaiting its sign-off.
        ("已完成", "否", Stated("awaiting_sign_off", None)),
        ("整改中", "否", Stated("in_progress", None)),
        # The sign-off's word comes first, and its day.
        ("未完成", "是（2024年5月20日）", Stated("signed_off", D(2024, 5, 20))),
        ("已完成（2024-05-18）", "已销号（2024.5.20）", Stated("signed_off", D(2024, 5, 20))),
        (None, "2024-05-20", Stated("signed_off", D(2024, 5, 20))),  # a lone 销号时间
        # A cell that goes on to tell the progress: its first clause states the state.
        ("已完成。召开专题会议3次，修订制度2项", None, Stated("signed_off", None)),
        ("召开专题会议3次，完成制度修订", None, None),
        # A share of the work done is work in progress; all of it is done.
        ("完成80%", None, Stated("in_progress", None)),
        ("整改进度60％", None, Stated("in_progress", None)),
        ("完成100%", None, Stated("signed_off", None)),
        (None, None, None),
        ("", "", None),
    ],
)
def test_a_state_is_what_the_words_state(
    status: str | None, sign_off: str | None, expected: Stated | None
) -> None:
    assert stated_state(Measure("措施", status=status, sign_off=sign_off)) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("立行立改", "immediate"),
        ("即知即改", "immediate"),
        ("限期整改", "time_bound"),
        ("长期坚持", "long_term"),
        ("长期整改", "long_term"),
        ("持续整改", "long_term"),
        ("立行立改、长期坚持", "immediate"),
        ("其他", None),
        (None, None),
    ],
)
def test_a_type_is_the_first_type_its_words_name(written: str | None, expected: str | None) -> None:
    assert measure_type(written) == expected


# --- Headers and rows of other shapes ------------------------------------------------------


def test_completion_time_without_a_deadline_column_is_the_deadline() -> None:
    rows: list[list[str | dt.date | None]] = [
        ["序号", "具体问题", "整改措施", "完成时间", "完成情况"],
        ["1", "台账不全", "补齐台账", "2024年6月30日前", "整改中"],
    ]
    doc = read_ledger(rows)
    assert doc is not None
    measure = doc.problems()[0].measures[0]
    assert (measure.deadline, measure.status) == (D(2024, 6, 30), "整改中")


def test_a_measure_alone_on_its_row_is_no_category_banner() -> None:
    rows: list[list[str | dt.date | None]] = [
        ["序号", "问题类别", "具体问题", "整改措施", "责任部门"],
        ["1", "党建方面", "台账不全", "补齐台账", "办公室"],
        [None, None, None, "建立台账管理制度", None],
    ]
    doc = read_ledger(rows)
    assert doc is not None
    assert [c.title for c in doc.categories] == ["党建方面"]
    assert [m.text for m in doc.problems()[0].measures] == ["补齐台账", "建立台账管理制度"]


def test_a_true_or_false_cell_reads_as_yes_or_no(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["具体问题", "整改措施", "是否销号", "销号时间"])
    sheet.append(["台账不全", "补齐台账", True, dt.datetime(2024, 5, 20)])
    sheet.append(["台账不全", "建立制度", False, None])
    book.save(tmp_path / "台账.xlsx")
    done, pending = parse_file(tmp_path / "台账.xlsx").problems()[0].measures
    assert (done.sign_off, stated_state(done)) == (
        "是（2024-05-20）",
        Stated("signed_off", D(2024, 5, 20)),
    )
    assert (pending.sign_off, stated_state(pending)) == ("否", Stated("not_started", None))


def test_a_data_row_under_the_header_is_not_taken_for_its_second_row() -> None:
    rows: list[list[str | dt.date | None]] = [
        ["序号", "具体问题", "整改措施", "责任部门"],
        ["1", "具体问题", "补齐台账", "办公室"],
    ]
    doc = read_ledger(rows)
    assert doc is not None
    assert [m.department for m in doc.problems()[0].measures] == ["办公室"]
