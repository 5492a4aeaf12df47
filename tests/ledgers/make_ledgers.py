"""Office ledgers (整改台账) as inspected organisations keep them in Excel, for the
tests of the ledger reader and of importing a ledger's state.

Each is written the way an office writes one: a title row (or two) above the
header, problems in cells merged over the rows of their measures, categories as
a column or as banner rows merged across the table, dates as Excel dates, as text
or as a bare serial number. The .xlsx files beside this script are its output and
are committed; write them again with

    .venv/bin/python -m tests.ledgers.make_ledgers

1. ``county_ledger.xlsx``: a county bureau's ledger with every column offices use;
2. ``township_two_row_header.xlsx``: a header over two rows (责任主体 over 牵头领导 /
   牵头单位 / 责任人, 销号情况 over 是否销号 / 销号日期), the synonyms of another
   office, category banners and problems merged over several measure rows;
3. ``dates_as_text.xlsx``: dates typed as text (2024.5.20, 2024年5月20日), a date
   left as its serial number, and the states offices write beside them.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
COUNTY = HERE / "county_ledger.xlsx"
TOWNSHIP = HERE / "township_two_row_header.xlsx"
TEXT_DATES = HERE / "dates_as_text.xlsx"

Value = str | int | dt.date | None
D = dt.date

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _book(title: str) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    book.properties.creator = "整改办"
    book.properties.created = dt.datetime(2024, 5, 31, 9, 0)
    return book, sheet


def _title(sheet: Worksheet, row: int, text: str, width: int, size: int = 16) -> None:
    sheet.cell(row, 1, text).font = Font(name="方正小标宋简体", size=size)
    sheet.cell(row, 1).alignment = _CENTRE
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _header(sheet: Worksheet, row: int, names: Sequence[str | None]) -> None:
    for column, name in enumerate(names, 1):
        cell = sheet.cell(row, column, name)
        cell.font, cell.alignment, cell.border = Font(name="黑体", bold=True), _CENTRE, _BOX


def _rows(sheet: Worksheet, first: int, rows: Sequence[Sequence[Value]]) -> None:
    """The rows from ``first`` down; a date shows as an office formats it."""
    for r, values in enumerate(rows, first):
        for c, value in enumerate(values, 1):
            cell = sheet.cell(r, c, value)
            cell.alignment, cell.border = _WRAP, _BOX
            if isinstance(value, dt.date):
                cell.number_format = "yyyy/m/d"


def _merge(sheet: Worksheet, column: int, first: int, last: int) -> None:
    sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width


COUNTY_HEADER = (
    "序号",
    "问题类别",
    "具体问题",
    "整改措施",
    "整改目标",
    "整改类型",
    "责任领导",
    "责任部门",
    "责任人",
    "整改时限",
    "整改进展",
    "完成情况",
    "销号时间",
    "备注",
)
# Rows 4 to 10; merged there: 序号, 问题类别, 具体问题 and a shared 整改目标.
COUNTY_ROWS: tuple[tuple[Value, ...], ...] = (
    (1, "一、党的政治建设方面", "学习贯彻习近平新时代中国特色社会主义思想不深入，党组理论学习中心组学习流于形式",
     "制定党组理论学习中心组2024年度学习计划，每月至少集中学习1次", "理论学习制度化、常态化",
     "立行立改", "王××", "办公室", "李××", D(2024, 3, 31),
     "已印发年度学习计划，1—5月开展集中学习6次", "已完成", D(2024, 4, 15), None),
    (None, None, None, "建立学习情况督查通报制度，每季度通报一次", None,
     "长期坚持", "王××", "机关党委", "赵××", "长期坚持",
     "已通报第一季度学习情况", "长期坚持", None, None),
    (2, None, "意识形态工作责任制落实不到位",
     "制定意识形态工作责任清单，明确班子成员“一岗双责”", "压实意识形态工作责任",
     "限期整改", "张××", "办公室", "孙××", D(2024, 6, 30),
     "责任清单已起草，待党组会议审议", "整改中", None, None),
    (3, "二、全面从严治党方面", "执行中央八项规定精神不严格，公务接待审批不规范",
     "全面清理2021年以来公务接待台账，规范“一函一单一票”审批", "接待审批规范率100%",
     "立行立改", "刘××", "财务股", "周××", D(2024, 2, 29),
     "清理接待单据126份，退缴不合规费用0.36万元", "已销号", D(2024, 5, 20), "派驻纪检组已验收"),
    (None, None, None, "修订《机关公务接待管理办法》", "制度健全",
     "限期整改", "刘××", "办公室", "吴××", D(2024, 7, 31),
     None, "未完成", None, None),
    (4, None, "耕地保护监管不到位，违法占地问题整改不及时",
     "开展违法占地专项整治，逐宗建立整改台账", "违法占地问题动态清零",
     "限期整改", "陈××", "执法监察大队", "郑××", D(2024, 5, 31),
     "已排查图斑213宗，整改到位198宗", "基本完成", None, None),
    (5, "三、干部队伍建设方面", "干部人事档案管理不规范",
     "对全局干部人事档案开展专项审核，补齐缺失材料", None,
     "立行立改", "王××", "人事股", "冯××", D(2024, 4, 30),
     "审核档案86卷，补齐材料43份", "完成", None, None),
)  # fmt: skip


def county(path: Path = COUNTY) -> Path:
    """A title and a line of who filled it in above the header; 序号, 问题类别, 具体问题
    and the first problem's 整改目标 merged over the rows they span."""
    book, sheet = _book("整改台账")
    width = len(COUNTY_HEADER)
    _title(sheet, 1, "××县自然资源局落实县委第三巡察组反馈意见整改台账", width)
    _title(sheet, 2, "填报单位：××县自然资源局（盖章）    填报时间：2024年5月31日", width, 11)
    _header(sheet, 3, COUNTY_HEADER)
    _rows(sheet, 4, COUNTY_ROWS)
    spans = ((1, 4, 5), (2, 4, 6), (3, 4, 5), (5, 4, 5), (1, 7, 8), (2, 7, 9), (3, 7, 8))
    for column, first, last in spans:
        _merge(sheet, column, first, last)
    _widths(sheet, (6, 14, 30, 36, 18, 10, 8, 12, 8, 12, 30, 10, 12, 12))
    sheet.freeze_panes = "A4"
    book.save(path)
    return path


TOWNSHIP_UPPER = (
    "序号",
    "反馈问题",
    "整改举措",
    "整改方式",
    "责任主体",
    None,
    None,
    "完成时限",
    "整改进展",
    "销号情况",
    None,
    "佐证材料",
    "备注",
)
TOWNSHIP_LOWER: tuple[str | None, ...] = (
    *(None, None, None, None, "牵头领导", "牵头单位", "责任人"),
    *(None, None, "是否销号", "销号日期", None, None),
)
# Rows 4 to 11: banners (a category's one text merged across) between the problems.
TOWNSHIP_ROWS: tuple[tuple[Value, ...], ...] = (
    ("一、政治建设方面",),
    (1, "“第一议题”制度落实不到位，学习传达上级精神不及时",
     "严格执行“第一议题”制度，党委会第一时间传达学习上级重要会议精神", "立行立改",
     "党委书记", "党政办", "黄××", D(2024, 3, 15), "已修订党委会议事规则，1—5月传达学习11次",
     "是", D(2024, 4, 2), "党委会会议记录", None),
    (None, None, "1.建立学习传达台账\n2.每季度开展一次学习成效评估", "限期整改",
     "党委副书记", "党建办", "林××", D(2024, 6, 30), "已建立学习传达台账", "否", None, None, None),
    (None, None, "将学习情况纳入村（社区）党组织书记述职评议", "长期坚持",
     "党委副书记", "党建办", "林××", "长期坚持", None, None, None, None, "年底述职时落实"),
    ("二、作风建设方面",),
    (2, "惠民资金发放审核把关不严", "对2022年以来惠民资金发放情况开展全面复核", "立行立改",
     "镇长", "社会事务办", "许××", D(2024, 3, 31), "复核发放记录1562条，追回多发资金2.4万元",
     "已销号（2024.5.20）", None, "复核台账、退款凭证", None),
    (None, None, "建立惠民资金发放“三审三公示”制度", "限期整改",
     "镇长", "社会事务办", "许××", D(2024, 6, 30), "制度已印发执行", "是", None, "制度文件", None),
    (3, "村级工程项目管理不规范", "开展村级工程项目专项检查，逐项整改", "限期整改",
     "副镇长", "规划建设办", "邓××", D(2024, 8, 31), "已完成12个村的检查，其余村正在推进",
     "否", None, None, None),
)  # fmt: skip


def township(path: Path = TOWNSHIP) -> Path:
    """The header over rows 2 and 3, columns that need no second row merged down, the
    groups merged across; each problem merged over its measures' rows."""
    book, sheet = _book("台账")
    width = len(TOWNSHIP_UPPER)
    _title(sheet, 1, "××镇落实县委第二巡察组反馈意见整改工作台账", width)
    _header(sheet, 2, TOWNSHIP_UPPER)
    _header(sheet, 3, TOWNSHIP_LOWER)
    for column, name in enumerate(TOWNSHIP_UPPER, 1):
        if name and not TOWNSHIP_LOWER[column - 1]:
            _merge(sheet, column, 2, 3)
    sheet.merge_cells("E2:G2")
    sheet.merge_cells("J2:K2")
    _rows(sheet, 4, TOWNSHIP_ROWS)
    for row in (4, 8):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for column, first, last in ((1, 5, 7), (2, 5, 7), (1, 9, 10), (2, 9, 10)):
        _merge(sheet, column, first, last)
    _widths(sheet, (6, 30, 36, 10, 10, 12, 8, 12, 30, 12, 12, 16, 12))
    book.save(path)
    return path


TEXT_HEADER = (
    "序号",
    "问题类型",
    "存在问题",
    "整改措施",
    "类型",
    "责任单位",
    "责任人",
    "整改时限",
    "整改情况",
    "完成情况",
    "完成时间",
    "备注",
)
# 45473 is 2024-06-30 as Excel counts days: a date cell someone formatted as a number.
TEXT_ROWS: tuple[tuple[Value, ...], ...] = (
    (1, "基层党建", "村党组织“三会一课”记录不规范", "规范会议记录，开展专项检查", "限期整改",
     "组织办", "何××", "2024.6.30", "已检查全部村级党组织", "已完成", "2024.5.20", None),
    (2, "基层党建", "党员发展程序不规范", "对近三年发展党员档案逐一核查", "立行立改",
     "组织办", "何××", "2024年4月30日前", None, "已于2024年4月28日完成整改", None, None),
    (3, "财务管理", "报销凭证附件不全", "补齐凭证附件，建立报销审核清单", "限期整改",
     "财政所", "罗××", 45473, "补齐附件37份", "已销号（2024.5.20）", None, None),
    (4, "财务管理", "固定资产管理台账不清", "开展固定资产清查，建立动态管理台账", "持续整改",
     "财政所", "罗××", "2024年12月31日", "已清查固定资产1200余件", "持续推进", None, None),
    (5, "作风建设", "为民服务意识不强", "开展“我为群众办实事”实践活动", "长期整改",
     "党政办", "梁××", "长期", None, "正在整改", None, None),
    (6, "作风建设", "会议精简不到位", "严格控制会议数量和规模", "立行立改",
     "党政办", "梁××", "2024年3月31日", None, "未完成", None, "下半年继续推进"),
    (7, "作风建设", "值班值守制度落实不严", "修订值班值守制度并严格考勤", "限期整改",
     "党政办", "梁××", "2024年6月30日", None, None, "2024年5月10日", None),
    (8, "作风建设", "督查检查事项过多", "整合督查检查事项，减轻基层负担", "限期整改",
     "党政办", "梁××", "2024.9.30", None, "是", None, None),
)  # fmt: skip


def text_dates(path: Path = TEXT_DATES) -> Path:
    """One row per problem, the category written on every row, every date typed."""
    book, sheet = _book("Sheet1")
    _title(sheet, 1, "××乡巡察反馈问题整改情况统计表", len(TEXT_HEADER))
    _header(sheet, 2, TEXT_HEADER)
    _rows(sheet, 3, TEXT_ROWS)
    _widths(sheet, (6, 12, 28, 32, 10, 10, 8, 16, 24, 24, 14, 14))
    book.save(path)
    return path


def main(folder: Path = HERE) -> list[Path]:
    return [
        county(folder / COUNTY.name),
        township(folder / TOWNSHIP.name),
        text_dates(folder / TEXT_DATES.name),
    ]


if __name__ == "__main__":
    for written in main():
        print(written)
