"""Random ledgers, written out in each seed's style, parse back to the same structure."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.core.model import (
    Accountability,
    Category,
    Contact,
    Document,
    Measure,
    Period,
    Problem,
    StatedTotals,
    UnfinishedItem,
)
from zhenggai.core.readers import parse_bytes
from zhenggai.core.writers.text import STYLES, write_text

# Words of the seeds' own vocabulary, free of the markers the grammar uses.
WORDS = [
    "加强",
    "制度",
    "建设",
    "落实",
    "党风廉政",
    "意识形态",
    "学习",
    "监督",
    "管理",
    "财务",
    "采购",
    "干部",
    "队伍",
    "媒体融合",
    "宣传",
    "考核",
    "培训",
    "组织生活",
    "整治",
    "责任",
    "机制",
    "规范",
]
text = st.lists(st.sampled_from(WORDS), min_size=2, max_size=8).map("".join)
sentence = st.builds(lambda a, b, n: f"{a}，{b}{n}次。", text, text, st.integers(1, 500))
dates = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))


def measures(max_size: int = 4) -> st.SearchStrategy[list[Measure]]:
    return st.lists(st.builds(Measure, sentence), min_size=1, max_size=max_size)


def problems(with_subs: bool) -> st.SearchStrategy[Problem]:
    subs = (
        st.lists(st.builds(Problem, text, measures=measures()), max_size=3)
        if with_subs
        else st.just([])
    )
    return st.builds(
        lambda title, own, children: Problem(
            title, measures=[] if children else own, subproblems=children
        ),
        text,
        measures(),
        subs,
    )


def category_title(style: str) -> st.SearchStrategy[str | None]:
    wrap = {
        "aspect-focus": "聚焦{}方面",
        "aspect-in": "在{}方面",
        "numbered": None,
        "quoted": "{}",
        "against": "{}",
    }[style]
    return st.just(None) if wrap is None else text.map(wrap.format)


@st.composite
def documents(draw: st.DrawFn, style: str) -> Document:
    subs = STYLES[style].subproblem is not None
    categories = draw(
        st.lists(
            st.builds(
                Category, category_title(style), st.lists(problems(subs), min_size=1, max_size=4)
            ),
            min_size=1,
            max_size=1 if style == "numbered" else 5,
        )
    )
    start = draw(dates)
    end = start + dt.timedelta(days=draw(st.integers(10, 90)))
    doc = Document(
        title=draw(text) + "关于巡察整改进展情况的通报",
        org=draw(text) + "中心",
        inspection_body=f"县委第{draw(st.sampled_from('一二三四五'))}巡察组",
        level="巡察",
        onsite_period=Period(start, end),
        categories=categories,
    )
    doc.feedback_date = end + dt.timedelta(days=draw(st.integers(1, 60)))
    count = sum(len(c.problems) for c in categories)
    doc.stated_totals = StatedTotals(
        len(categories) if style != "numbered" else None, count, draw(st.integers(0, count))
    )
    if STYLES[style].sections:
        counts = draw(st.lists(st.integers(0, 20), min_size=4, max_size=4))
        doc.accountability = Accountability(counts[0], counts[1], counts[2], counts[3])
        doc.unfinished = draw(
            st.lists(
                st.builds(
                    lambda t, r, n, d: UnfinishedItem(
                        t, reason=r, next_steps=n, deadline=d, deadline_text=None
                    ),
                    text,
                    sentence,
                    sentence,
                    dates,
                ),
                max_size=3,
            )
        )
    doc.contact = Contact(
        f"0{draw(st.integers(100, 999))}-{draw(st.integers(1000000, 9999999))}",
        draw(text) + "路1号",
        f"{draw(st.integers(100000, 999999))}",
        "xcb@example.cn",
    )
    return doc


def _comparable(doc: Document) -> dict[str, object]:
    data = doc.to_dict()
    for item in data["unfinished"]:
        item.pop("deadline_text")
    return {
        key: data[key]
        for key in (
            "title",
            "org",
            "inspection_body",
            "level",
            "onsite_period",
            "feedback_date",
            "categories",
            "accountability",
            "unfinished",
            "contact",
        )
    }


def _check(doc: Document, style: str) -> None:
    parsed = parse_bytes(write_text(doc, style).encode("utf-8"), "generated.txt")
    assert _comparable(parsed) == _comparable(doc)
    totals = doc.stated_totals
    assert (parsed.stated_totals.problems, parsed.stated_totals.completed) == (
        totals.problems,
        totals.completed,
    )
    assert parsed.warnings == []


@pytest.mark.parametrize("style", sorted(STYLES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_random_ledger_written_in_a_seed_style_parses_back(
    style: str, data: st.DataObject
) -> None:
    _check(data.draw(documents(style)), style)
