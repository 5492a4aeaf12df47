"""Titles of categories and problems, freed of the words that wrap them.

``关于“X”的问题``, ``针对“X”问题的整改进展情况``, ``关于X的问题`` and ``“X”方面``
all name X; the wrapper is the document's grammar, not the problem's title.
"""

import re

# 关于/针对 … 问题, optionally followed by 的整改(进展)情况 and a full stop.
_TAIL = r"(?:的?整改(?:进展|落实|推进|完成)?情况)?\s*[。.：:]?\s*$"
_ABOUT = re.compile(r"^(?:关于|针对)(?P<inner>.+?)(?:的|之)?问题" + _TAIL)
_QUOTED_PROBLEM = re.compile(r"^(?P<inner>“.+”)(?:的)?问题" + _TAIL)
_ASPECT = re.compile(r"^(?:关于)?(?P<inner>“.+”)\s*(?:的)?方面(?:的?问题)?\s*[。.]?\s*$")
_CATEGORY_CUE = re.compile(r"方面(?:的?问题)?\s*[。.]?\s*$|^聚焦|^在.+方面|大类")


_LINE_BREAK = re.compile(r"\s*\n\s*")


def one_line(title: str) -> str:
    """A title set on several lines (GB/T 9704's 梯形 or 菱形) read as one: Chinese
    joins without a space, Latin words and figures keep one."""

    def join(match: re.Match[str]) -> str:
        before = title[match.start() - 1 : match.start()]
        after = title[match.end() : match.end() + 1]
        return " " if before.isascii() and after.isascii() and before.isalnum() else ""

    return _LINE_BREAK.sub(join, title)


def unquote(text: str) -> str:
    """``“X”`` → X when the first quote closes at the very end; otherwise as is."""
    if not (text.startswith("“") and text.endswith("”")):
        return text
    depth = 0
    for index, char in enumerate(text):
        depth += {"“": 1, "”": -1}.get(char, 0)
        if depth == 0:
            return text[1:-1] if index == len(text) - 1 else text
    return text


def is_problem_intro(text: str) -> bool:
    """Does this heading introduce a problem (关于/针对 … 问题)?"""
    return bool(_ABOUT.match(text) or _QUOTED_PROBLEM.match(text))


def is_category_cue(text: str) -> bool:
    return bool(_CATEGORY_CUE.search(text) or _ASPECT.match(text))


def problem_title(heading: str) -> str:
    """The problem's own words: 关于“X”的问题 → X; 贯彻落实不够有力。 → 贯彻落实不够有力."""
    text = heading.strip()
    match = _ABOUT.match(text) or _QUOTED_PROBLEM.match(text)
    if match:
        return unquote(match.group("inner").strip())
    return text.rstrip("。.：: ")


def category_title(heading: str) -> str:
    """关于“X”方面 / “X”方面 / 关于“X”的问题 → X; 在…方面 and 聚焦…方面 stay as written."""
    text = heading.strip()
    match = _ASPECT.match(text)
    if match:
        return unquote(match.group("inner"))
    if is_problem_intro(text):
        return problem_title(text)
    return text.rstrip("。.：: ")
