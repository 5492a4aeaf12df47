"""The registers' facts read from a bulletin's sentences: sanctions with their grade
and 事由, money recovered or paid back, the organisation of work's meetings and
reminders, and the regulations adopted."""

from decimal import Decimal

from zhenggai.core.model import Funds, Sanction, WorkDone
from zhenggai.core.structure.facts import read_totals
from zhenggai.core.structure.registers import read_funds, read_sanctions, read_work
from zhenggai.core.structure.regulations import read_regulations


def test_a_sanction_sentence_gives_its_count_grade_and_reason() -> None:
    found = read_sanctions(["因“虚开发票套取公款用于支付聚餐费用”的2人给予党内警告处分。"])
    assert found == [Sanction(2, "党纪处分", "警告", "虚开发票套取公款用于支付聚餐费用")]


def test_party_and_government_sanctions_keep_their_own_grades() -> None:
    found = read_sanctions(
        ["对1名同志给予撤销党内职务处分；1人受到政务记大过处分；3人给予党内严重警告处分。"]
    )
    assert [(s.count, s.kind, s.grade) for s in found] == [
        (1, "党纪处分", "撤销党内职务"),
        (1, "政务处分", "记大过"),
        (3, "党纪处分", "严重警告"),
    ]


def test_a_summary_without_grades_is_not_a_sanction() -> None:
    assert read_sanctions(["给予党纪政务处分2人，批评教育11人。"]) == []


def test_money_is_read_with_its_kind_and_sum_in_yuan() -> None:
    found = read_funds(
        [
            "党员同志补缴2023年1月—2025年6月党费共计2369元；",
            "追缴违规发放补贴7.5万元，退还多收取的费用1200元。",
        ]
    )
    assert [(f.kind, f.amount) for f in found] == [
        ("补缴", Decimal("2369")),
        ("追缴", Decimal("75000.0")),
        ("退还", Decimal("1200")),
    ]


def test_money_without_a_sum_is_kept_with_its_words() -> None:
    assert read_funds(["一是追回超标报销费用。"]) == [Funds("追缴", None, "追回超标报销费用")]


def test_a_task_named_after_collecting_is_not_money_taken_back() -> None:
    assert read_funds(["按照最新的党费收缴基数收取党费，认真填写党费收缴记录簿"]) == []


def test_meetings_and_reminders_are_counted_by_kind() -> None:
    found = read_work(
        [
            "集中整改期间共召开巡察整改协调会12场、专题会4场。办公室提醒各部室、企业加快整改6次。",
            "召开领导小组会议3次，组织开展业务培训2期。",
        ]
    )
    assert [(w.kind, w.count) for w in found] == [
        ("调度会", 12),
        ("专题会议", 4),
        ("督促提醒", 6),
        ("领导小组会议", 3),
        ("培训", 2),
    ]
    assert found[0] == WorkDone("调度会", 12, "巡察整改协调会")


def test_a_meeting_without_a_count_is_not_counted() -> None:
    assert read_work(["立即召开党委会研究部署整改工作。"]) == []


def test_regulations_listed_before_a_count_are_adopted_and_the_plan_is_not() -> None:
    text = (
        "形成《关于落实市委巡察二组<对某中心党委巡察情况的反馈意见>整改方案》。"
        "对《采购管理制度》《公用经费管理规定》和《财务管理制度》等18份制度方案进行审核把关。"
        "4月23日研究修订《中心公用经费管理规定》。"
    )
    assert read_regulations([text]) == ["采购管理制度", "公用经费管理规定", "财务管理制度"]
    assert read_totals(text).regulations == 18


def test_a_regulation_count_is_read_as_bulletins_write_it() -> None:
    assert read_totals("建立完善制度12项，追缴资金3万元。").regulations == 12
    assert read_totals("完善和新建制度589项").regulations == 589
