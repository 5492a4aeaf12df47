"""Feedback documents (反馈意见) in the layouts inspection offices write parse into
categories → problems → sub-problems as their gold files say, with the
recommendations and case leads, and nothing of them becomes a measure.

The fixtures are in tests/feedback/, a gold file beside each (<name>.json, shared
by the formats of one text); tests/feedback/make_fixtures.py writes the .docx and
the .pdf from their text.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import HERE
from zhenggai.core.model import Document, Problem
from zhenggai.core.readers import parse_file
from zhenggai.core.structure import Para, parse_paragraphs
from zhenggai.core.structure.feedback import case_lead_count
from zhenggai.core.structure.outline import section_kind
from zhenggai.core.structure.paragraphs import clean

FOLDER = HERE / "feedback"
FIXTURES = sorted(p for p in FOLDER.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
DESCRIPTION_CHARS = 20  # how much of a description the gold files pin


def _problem(problem: Problem) -> dict[str, Any]:
    description = problem.description
    return {
        "title": problem.title,
        "description": description[:DESCRIPTION_CHARS] if description else None,
        "subproblems": [sub.title for sub in problem.subproblems],
    }


def summary(doc: Document) -> dict[str, Any]:
    """The parts of a feedback's parse that the gold files pin down."""
    full = doc.to_dict()
    result = {
        key: full[key]
        for key in ("title", "kind", "org", "inspection_body", "feedback_date", "onsite_period")
    }
    result["categories"] = [
        {"title": c.title, "problems": [_problem(p) for p in c.problems]} for c in doc.categories
    ]
    result["recommendations"] = {
        "count": len(doc.recommendations),
        "first": doc.recommendations[0] if doc.recommendations else None,
    }
    result["case_leads"] = full["case_leads"]
    return result


def gold(fixture: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FOLDER / f"{fixture.stem}.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_it_parses_each_layout_and_format_as_its_gold_file_says(fixture: Path) -> None:
    assert summary(parse_file(fixture)) == gold(fixture)


def test_the_fixtures_cover_every_layout_and_format() -> None:
    names = {p.name for p in FIXTURES}
    assert names == {
        "a_wrapper.txt",
        "b_no_wrapper.txt",
        "c_inline.txt",
        "d_circled.txt",
        "e_word_numbering.docx",
        "f_formats.txt",
        "f_formats.docx",
        "f_formats.pdf",
    }
    for fixture in FIXTURES:
        problems = sum(len(c["problems"]) for c in gold(fixture)["categories"])
        assert 8 <= problems <= 15, fixture.name


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_nothing_in_a_feedback_is_a_measure(fixture: Path) -> None:
    doc = parse_file(fixture)
    assert doc.kind == "feedback"
    assert not any(c.measures for c in doc.categories)
    problems = [*doc.problems(), *(s for p in doc.problems() for s in p.subproblems)]
    assert problems and not any(p.measures for p in problems)
    assert doc.warnings == []


def _source(fixture: Path) -> Path:
    beside = fixture.with_suffix(".txt")
    return beside if beside.exists() else FOLDER / "sources" / f"{fixture.stem}.txt"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


# The grammar of a feedback, which the model keeps as structure rather than text:
# numbers, enumerations, the label of a description, and where titles end.
_GRAMMAR = re.compile(
    r"^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十\d]+[）)]|^\d{1,2}[.．、]"
    r"|[①-⑳]|[一二三四五六七八九十]+是|[（(]\d{1,2}[）)]|具体表现(?:为|在)?[：:]|[。；;：:]"
)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_every_sentence_of_the_source_ends_up_in_the_model(fixture: Path) -> None:
    """Descriptions are kept whole: no sentence is dropped or cut short."""
    model = re.sub(r"\s+", "", "\n".join(_strings(parse_file(fixture).to_dict())))
    for line in _source(fixture).read_text("utf-8").splitlines():
        for chunk in _GRAMMAR.split(clean(line)):
            chunk = re.sub(r"\s+", "", chunk).strip("，,")
            assert len(chunk) < 2 or chunk in model, f"lost: {chunk!r} of {line[:40]!r}"


# Pieces of a feedback's grammar, for text that only looks like one.
_PIECES = [
    "一、巡察发现的主要问题\n",
    "（一）",
    "…方面\n",
    "1.",
    "（1）",
    "①",
    "一是",
    "；二是",
    "三是",
    "具体表现：",
    "不够深入。",
    "\n二、整改意见建议\n",
    "\n三、问题线索移交\n",
    "移交问题线索5件",
    "共收到",
    "：\n",
    "。",
    "\n",
    "2024年6月12日\n",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=120))
def test_text_in_a_feedbacks_grammar_parses_without_an_error(pieces: list[str]) -> None:
    # The opening sentence closes the title: a short line right under a title
    # (「整改」) would rightly be read as the title's wrapped end.
    text = "县委第一巡察组关于巡察县某局党组的反馈意见\n现将巡察情况反馈如下：\n" + "".join(pieces)
    doc = parse_paragraphs([Para(line, f"第{n}行") for n, line in enumerate(text.splitlines(), 1)])
    assert doc.kind == "feedback"
    assert not any(p.measures for p in doc.problems())


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("整改意见建议", "recommendations"),
        ("意见建议", "recommendations"),
        ("整改建议", "recommendations"),
        ("巡察整改意见", "recommendations"),
        ("对做好巡察整改工作的意见建议", "recommendations"),
        ("问题线索移交", "case_leads"),
        ("移交问题线索情况", "case_leads"),
        ("巡察发现的主要问题", "feedback"),
        ("发现的主要问题", "feedback"),
        ("存在的主要问题", "feedback"),
        ("贯彻落实党中央决策部署方面存在的问题", "categories"),
    ],
)
def test_it_knows_the_headings_of_a_feedbacks_parts(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("巡察组向县纪委监委移交问题线索3条。", 3),
        ("巡察期间共收到信访举报28件。巡察组移交问题线索5件。", 5),
        ("向县纪委监委移交问题线索2件，向县委组织部移交选人用人问题线索1件。", 3),
        ("巡察组共移交问题线索4件，其中向县纪委监委移交3件，向县委组织部移交1件。", 4),
        ("问题线索三件已移交县纪委监委。", 3),
        ("巡察期间共收到问题线索12件。", None),
    ],
)
def test_it_counts_the_case_leads_handed_over_not_those_received(
    text: str, count: int | None
) -> None:
    assert case_lead_count(text) == count
