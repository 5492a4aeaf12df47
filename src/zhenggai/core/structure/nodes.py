"""Headings nested into a tree: the shape shared by reports and feedback.

Documents number their levels differently (（一）/1./（1）, or unnumbered
关于“…”问题 and 针对“…”问题), so the depth of a heading is the rank of its
style among the styles this document uses. What a node then means (category,
problem, measure) is for the builders: ``tree`` for reports and plans,
``describe`` for the feedback itself.
"""

import re
from dataclasses import dataclass, field
from typing import Literal

from zhenggai.core.model import Category
from zhenggai.core.structure import enumeration
from zhenggai.core.structure.paragraphs import LEVELS, Level, Para, read_marker
from zhenggai.core.structure.sentences import first_sentence
from zhenggai.core.structure.titles import is_category_cue, is_problem_intro

_INLINE_INTRO = re.compile(
    r"^(?P<title>(?:关于|针对).+?(?:的|之)?问题(?:的?整改(?:进展|落实|推进)?情况)?)\s*[。：:](?P<body>.+)$"
)
# Numbered titles are one clause; the upper levels (一、（一）) may run longer.
_SHORT_TITLE: dict[Level, re.Pattern[str]] = {
    "L1": re.compile(r"^[^。；;！？!?]{2,100}[。.]?$"),
    "L2": re.compile(r"^[^。；;！？!?]{2,100}[。.]?$"),
}
_SHORT_DEFAULT = re.compile(r"^[^。；;！？!?]{2,40}[。.]?$")
# （一）学习贯彻不深入。一是…: a short upper-level title with its text on the same line.
_UPPER_TITLE_THEN_TEXT = re.compile(r"^(?P<title>[^。；;：:！？!?]{2,30})。(?P<body>.+)$")
_TITLE_THEN_BODY = re.compile(
    r"^(?P<title>[^。；;：:！？!?]{2,30})[。：:](?P<body>(?:[一二三四五六七八九十]+是|整改|主要做法).+)$"
)


# L1…L5 for numbered headings, about/against for 关于/针对 lines, root above them all.
Style = Level | Literal["about", "against", "root"]


@dataclass
class Node:
    style: Style
    heading: str
    para: Para
    body: list[Para] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    rank: int = -1


@dataclass
class Feedback:
    categories: list[Category]
    intro: list[Para]
    remarks: list[Para]
    unfinished: list[tuple[str, dict[str, str]]]


def _described(para: Para, level: Level, rest: str) -> tuple[Node, Para | None]:
    """In a feedback every numbered paragraph is a heading: its first sentence is
    the title, what follows on the same line already describes it."""
    title, body = first_sentence(rest)
    begins = enumeration.start(rest)
    if begins and begins < len(title):
        # 「（一）…方面，一是…；二是…」: the title stops where the enumeration starts
        title, body = rest[:begins].strip().rstrip("，,：:"), rest[begins:]
    inline = Para(body, para.where) if body else None
    return Node(level, title or rest, para), inline


def _heading(para: Para, describes: bool) -> tuple[Node, Para | None] | None:
    """A heading node for this paragraph, with any body written on the same line."""
    text = para.text
    marker = read_marker(text)
    if marker is None:
        if text.startswith(("关于", "针对")) and is_problem_intro(text):
            style: Style = "about" if text.startswith("关于") else "against"
            return Node(style, text, para), None
        return None
    rest = marker.rest
    if describes:
        return _described(para, marker.level, rest)
    if is_problem_intro(rest) or (is_category_cue(rest) and len(rest) <= 80):
        return Node(marker.level, rest, para), None
    for pattern in (_INLINE_INTRO, _TITLE_THEN_BODY):
        match = pattern.match(rest)
        if match:
            inline = Para(match.group("body").strip(), para.where)
            return Node(marker.level, match.group("title"), para), inline
    if _SHORT_TITLE.get(marker.level, _SHORT_DEFAULT).match(rest):
        return Node(marker.level, rest, para), None
    upper = _UPPER_TITLE_THEN_TEXT.match(rest) if marker.level in ("L1", "L2") else None
    if upper:
        return Node(marker.level, upper.group("title"), para), Para(upper.group("body"), para.where)
    return None


def _insert_style(order: list[Style], style: Style) -> None:
    """Numbered styles keep the standard's nesting; 关于 sits above 针对."""
    if style in order:
        return
    deeper = (
        LEVELS[LEVELS.index(style) + 1 :]
        if style in LEVELS
        else ("against",)
        if style == "about"
        else ()
    )
    for index, existing in enumerate(order):
        if existing in deeper:
            order.insert(index, style)
            return
    order.append(style)


def build_nodes(paras: list[Para], describes: bool = False) -> tuple[list[Node], list[Para]]:
    """Nest the headings; returns the top nodes and the paragraphs before the first."""
    heads = [(_heading(p, describes), p) for p in paras]
    order: list[Style] = []
    for found, _ in heads:
        if found:
            _insert_style(order, found[0].style)
    root = Node("root", "", Para("", ""))
    stack = [root]
    for found, para in heads:
        if found is None:
            stack[-1].body.append(para)
            continue
        node, inline = found
        node.rank = order.index(node.style)
        while len(stack) > 1 and stack[-1].rank >= node.rank:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
        if inline is not None:
            node.body.append(inline)
    return root.children, root.body
