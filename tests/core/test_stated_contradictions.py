"""A bulletin that counts a problem as done and lists it as unfinished contradicts
itself: the parser says so, naming the figures, and marks it a contradiction."""

from zhenggai.core.model import Document
from zhenggai.core.readers import parse_bytes


def parse_text(text: str) -> Document:
    return parse_bytes(text.encode("utf-8"), "通报.txt")


TEXT = """某局关于巡察整改进展情况的通报
根据县委统一部署，2024年3月1日至4月30日，县委第一巡察组对某局党组开展了巡察，并于2024年5月20日反馈了巡察意见。巡察组反馈的2大类3项问题已整改完成3项。
一、巡察反馈问题的整改进展情况
（一）党的建设方面
1.关于“理论学习不深入”的问题
整改进展情况：一是制定学习计划。
2.关于“制度执行不严”的问题
整改进展情况：一是修订制度。
（二）作风建设方面
1.关于“公务接待不规范”的问题
整改进展情况：一是规范接待。
二、需要进一步整改的事项及措施
（一）关于“制度执行不严”的问题
存在问题：部分制度尚未修订。
整改时限：2024年12月31日前。
"""


def test_done_and_unfinished_together_exceeding_the_total_is_a_contradiction() -> None:
    doc = parse_text(TEXT)
    assert (doc.stated_totals.problems, doc.stated_totals.completed) == (3, 3)
    found = [w for w in doc.warnings if w.contradiction]
    assert [w.why for w in found] == [
        "文中称3个问题已整改完成3个，又列出1个需要进一步整改，合计超过问题总数"
    ]


def test_a_consistent_bulletin_has_no_contradiction() -> None:
    doc = parse_text(TEXT.replace("已整改完成3项", "已整改完成2项"))
    assert not [w for w in doc.warnings if w.contradiction]
