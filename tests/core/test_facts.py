"""Facts stated in the text: level, dates, totals, accountability, contact, regulations."""

import datetime as dt

import pytest

from tests.support import SAMPLES
from zhenggai.core.model import Document
from zhenggai.core.readers import parse_bytes, parse_file
from zhenggai.core.structure.accountability import accountability_mismatches, read_accountability
from zhenggai.core.structure.facts import read_totals
from zhenggai.core.structure.regulations import read_regulations


def _doc(text: str) -> Document:
    return parse_bytes(text.encode("utf-8"), "x.txt")


@pytest.mark.parametrize(
    ("opening", "level", "body"),
    [
        (
            "根据中央统一部署，2024年3月1日至4月30日，中央第三巡视组对某省开展了常规巡视。",
            "巡视",
            "中央第三巡视组",
        ),
        ("根据省委统一部署，省委第五巡视组对某市开展了专项巡视。", "巡视", "省委第五巡视组"),
        ("根据县委统一部署，县委第二巡察组对县教育局开展了巡察。", "巡察", "县委第二巡察组"),
        ("根据市委统一部署，市委巡察二组对市体育局开展了巡察。", "巡察", "市委巡察二组"),
    ],
)
def test_the_level_is_what_the_text_says(opening: str, level: str, body: str) -> None:
    doc = _doc(opening + "\n1.某问题。\n一是整改。")
    assert (doc.level, doc.inspection_body) == (level, body)


def test_the_level_is_never_guessed_from_the_organisation() -> None:
    doc = _doc("根据统一部署，对省委宣传部开展了检查。\n1.某问题。\n一是整改。")
    assert doc.level is None


def test_dates_whose_year_and_month_were_lost_are_read_only_when_unambiguous() -> None:
    doc = _doc(
        "根据区委统一部署,20181219日至2019226日,区委第三巡察组对区文化馆进行了巡察。2019111日,巡察组向我单位反馈了巡察情况。"
    )
    assert doc.onsite_period.start == dt.date(2018, 12, 19)
    assert doc.onsite_period.end == dt.date(2019, 2, 26)
    assert doc.feedback_date is None  # 1月11日 or 11月1日: never guessed


def test_a_feedback_date_without_a_year_takes_the_visits_year() -> None:
    doc = _doc(
        "2024年9月30日至12月30日，县委第二巡察组对县档案馆进行了巡察。2月19日，县委巡察组反馈了巡察意见。"
    )
    assert doc.feedback_date == dt.date(2025, 2, 19)


def test_totals_of_tasks_are_kept_apart_from_totals_of_problems() -> None:
    totals = read_totals("反馈的五大类二十三个问题、177项整改任务已完成174项，已整改完成21个问题。")
    assert (totals.categories, totals.problems) == (5, 23)
    assert (totals.tasks, totals.tasks_completed) == (177, 174)
    assert totals.completed == 21


def test_masked_totals_are_unknown() -> None:
    totals = read_totals("指出存在三大类**个问题，并提出了三项整改建议。")
    assert (totals.categories, totals.problems, totals.recommendations) == (3, None, 3)


def test_counts_inside_measures_are_not_totals() -> None:
    text = (
        "根据县委统一部署，县委第一巡察组对县图书馆开展了巡察。\n二、整改落实情况\n（一）在党的建设方面\n"
        "1.关于“学习不深入”的问题\n整改进展情况：开展学习近500场，已完成整改12项工作。"
    )
    doc = _doc(text)
    assert doc.stated_totals.completed is None and doc.stated_totals.problems is None


def test_a_summary_of_accountability_wins_over_mentions() -> None:
    result = read_accountability(
        [
            "对涉及该问题的1名人员进行批评教育，1名人员进行谈话提醒。",
            "给予党纪政务处分2人，责令检查3人，批评教育11人，谈话提醒2人，诫勉1人。",
        ]
    )
    assert (result.party_discipline, result.ordered_self_examination) == (2, 3)
    assert (result.criticism_education, result.admonition_talk) == (11, 2)
    assert result.other == {"诫勉": 1}


def test_accountability_spread_over_the_text_is_added_up() -> None:
    result = read_accountability(
        [
            "同时，对涉及该问题的2名人员责令检查，对1名人员进行批评教育。",
            "同时，对涉及该问题的1名人员进行批评教育，1名人员进行谈话提醒。",
            "对相关责任人进行了批评教育。",
        ]
    )
    assert (
        result.ordered_self_examination,
        result.criticism_education,
        result.admonition_talk,
    ) == (2, 2, 1)
    assert result.party_discipline is None


def test_regulations_adopted_are_told_from_those_merely_followed() -> None:
    found = read_regulations(
        [
            "制定《会议“第一议题”制度》，严格执行《**县党政机关国内公务接待管理办法》。",
            "组织学习了《中华人民共和国广告法》。4月23日研究出台融媒公司《财务管理制度》《资金支付与费用管理办法》等制度。",
        ]
    )
    assert found == ["会议“第一议题”制度", "财务管理制度", "资金支付与费用管理办法"]


def test_an_unfinished_problem_under_the_feedback_keeps_its_fields() -> None:
    text = (
        "根据县委统一部署，县委第一巡察组对县图书馆开展了巡察。\n1.关于“馆藏管理不规范”的问题\n整改进展情况：完成清点。\n"
        "未完成整改原因：数量大。\n下一步整改措施：继续清点。\n整改时限：2025年12月31日前。"
    )
    item = _doc(text).unfinished[0]
    assert (item.problem, item.reason, item.next_steps) == (
        "馆藏管理不规范",
        "数量大。",
        "继续清点。",
    )
    assert item.deadline == dt.date(2025, 12, 31)


def test_contact_block() -> None:
    doc = _doc(
        "1.某问题。\n一是整改。\n欢迎监督。联系电话:0595-85683864;通信地址:晋江市新华街495号,邮政编码:362200;电子邮箱:bgs@example.cn。"
    )
    contact = doc.contact
    assert (contact.phone, contact.address, contact.postcode, contact.email) == (
        "0595-85683864",
        "晋江市新华街495号",
        "362200",
        "bgs@example.cn",
    )


def test_sections_in_another_order_are_recognised_by_their_words() -> None:
    text = (
        "某局关于巡察整改进展情况的通报\n根据县委统一部署，县委第四巡察组对某局开展了巡察。\n"
        "一、下一步工作打算\n（一）持续抓好整改。\n1.巩固成果。\n"
        "二、巡察反馈问题整改落实情况\n（一）在作风建设方面\n1.关于“会议过多”的问题\n整改措施：精简会议。\n"
        "三、组织领导情况\n（一）成立领导小组。"
    )
    doc = _doc(text)
    assert [c.title for c in doc.categories] == ["在作风建设方面"]
    assert [p.title for p in doc.problems()] == ["会议过多"]
    assert [s.kind for s in doc.sections] == ["next_steps", "feedback", "organisation"]


def test_a_category_may_carry_its_measures_directly() -> None:
    text = (
        "根据县委统一部署，县委第四巡察组对某局开展了巡察。\n二、整改落实情况\n（一）关于“制度建设滞后”方面\n"
        "整改措施：一是修订制度；二是建立台账。\n（二）关于“作风不实”方面\n1.关于“会议过多”的问题\n整改措施：精简会议。"
    )
    doc = _doc(text)
    first, second = doc.categories
    assert first.title == "制度建设滞后" and [m.text for m in first.measures] == [
        "修订制度",
        "建立台账。",
    ]
    assert [p.title for p in second.problems] == ["会议过多"]


def test_a_feedback_document_keeps_descriptions_not_measures() -> None:
    text = (
        "县委第一巡察组关于巡察县水利局的反馈意见\n县委第一巡察组于2024年3月1日至4月1日对县水利局进行了巡察。\n"
        "一、贯彻落实党的路线方针政策方面\n（一）学习贯彻不深入。一是学习流于形式。二是研讨不够。\n"
        "（二）项目管理不规范。部分项目资料缺失。"
    )
    doc = _doc(text)
    assert doc.kind == "feedback"
    problems = doc.problems()
    assert [p.title for p in problems] == ["学习贯彻不深入", "项目管理不规范"]
    assert problems[1].description == "部分项目资料缺失。" and problems[1].measures == []


def test_measures_numbered_as_paragraphs_belong_to_their_problem() -> None:
    opening = "根据县委统一部署，县委第四巡察组对某局开展了巡察。\n二、整改落实情况\n"
    numbered = _doc(
        opening
        + "（一）在党的建设方面\n1.关于“组织生活不规范”的问题\n整改措施：\n（1）制定年度计划。\n（2）每月通报。"
    )
    problem = numbered.problems()[0]
    assert [m.text for m in problem.measures] == ["制定年度计划。", "每月通报。"]
    unnumbered = _doc(
        opening
        + "（一）在作风建设方面\n关于“会议过多”问题\n1.精简会议。\n2.推行视频会议。\n3.压缩文件。"
    )
    problem = unnumbered.problems()[0]
    assert problem.title == "会议过多"
    assert [m.text for m in problem.measures] == ["精简会议。", "推行视频会议。", "压缩文件。"]


def test_problems_counted_without_categories_are_read() -> None:
    totals = read_totals("巡察组反馈的4项问题已整改完成2项。")
    assert (totals.categories, totals.problems, totals.completed) == (None, 4, 2)


def test_a_summary_its_problems_contradict_is_named_with_both_figures() -> None:
    paragraphs = [
        "1.关于学习不深入的问题\n对涉及该问题的2名人员进行批评教育。",
        "2.关于纪律松弛的问题\n对3名干部进行批评教育，1名人员进行谈话提醒。",
        "整改期间，给予党纪政务处分1人，批评教育4人，谈话提醒1人。",
    ]
    assert accountability_mismatches(paragraphs) == [("批评教育", 4, 5)]
    paragraphs[-1] = "整改期间，给予党纪政务处分1人，批评教育5人，谈话提醒1人。"
    assert accountability_mismatches(paragraphs) == []


def test_seed_004_s_criticism_mismatch_is_warned_on_reading() -> None:
    (seed,) = [s for s in SAMPLES if s.name.startswith("004")]
    warnings = [w.why for w in parse_file(seed).warnings]
    assert warnings == ["文中汇总称批评教育11人，但各问题中合计20人"]
