"""Measures enumerated inside running text: 一是…二是…, 第一，…, （1）…（2）…, ①…②….

An enumeration is only taken when its items come in order, each at a clause
boundary, so that 统一是 or a stray 二是 in prose is never cut apart.
"""

from collections.abc import Callable

from zhenggai.core.numerals import circled, int_to_cn

_BOUNDARY = "。；;：:，,！!？?、 \t”）)】"
Token = Callable[[int], str]
_STYLES: tuple[Token, ...] = (
    lambda n: f"{int_to_cn(n)}是",
    lambda n: f"{int_to_cn(n)}要",
    lambda n: f"第{int_to_cn(n)}，",
    lambda n: f"（{n}）",
    lambda n: f"({n})",
    circled,
)


def _at_boundary(text: str, index: int) -> bool:
    return index == 0 or text[index - 1] in _BOUNDARY


def _find(text: str, token: str, start: int) -> int:
    index = text.find(token, start)
    while index >= 0 and not _at_boundary(text, index):
        index = text.find(token, index + 1)
    return index


def _positions(text: str, style: Token, first: int) -> list[tuple[int, int]]:
    """(start, end) of each token of one style, numbered from ``first`` on."""
    found: list[tuple[int, int]] = []
    number, start = first, 0
    while True:
        token = style(number)
        index = _find(text, token, start)
        if index < 0:
            return found
        found.append((index, index + len(token)))
        number, start = number + 1, index + len(token)


def split(text: str, continue_from: int = 1) -> tuple[str, list[str], int]:
    """Split ``text`` into its lead-in and enumerated items.

    ``continue_from`` is the number the items of a previous paragraph reached,
    for documents that give 二是… its own paragraph. Returns the lead, the
    items and the last number used (0 when nothing was enumerated).
    """
    best: list[tuple[int, int]] = []
    last = 0
    for style in _STYLES:
        for first in {1, continue_from}:
            found = _positions(text, style, first)
            if first != 1 and (not found or found[0][0] != 0):
                continue  # a continuation must open its paragraph
            if len(found) > len(best) or (
                found and len(found) == len(best) and found[0][0] < best[0][0]
            ):
                best, last = found, first + len(found) - 1
    if not best or (len(best) == 1 and continue_from == 1 and best[0][0] != 0):
        return text, [], 0
    lead = text[: best[0][0]].strip()
    bounds = [*best, (len(text), len(text))]
    items = [text[bounds[i][1] : bounds[i + 1][0]].strip(" ；;，,") for i in range(len(best))]
    return lead, [item for item in items if item], last


def continues(text: str, number: int) -> tuple[list[str], int]:
    """The items of a paragraph that carries on a count (二是… after 一是…'s
    paragraph): opened by ``number`` in some style, then that style only; ([], 0) if
    it does not open so. Unlike ``split``, a fresh count inside (（1）…（2）…) does
    not outbid it: those are the parts of an item."""
    best: list[tuple[int, int]] = []
    for style in _STYLES:
        found = _positions(text, style, number)
        if found and found[0][0] == 0 and len(found) > len(best):
            best = found
    if not best:
        return [], 0
    bounds = [*best, (len(text), len(text))]
    items = [text[bounds[i][1] : bounds[i + 1][0]].strip(" ；;，,") for i in range(len(best))]
    return [item for item in items if item], number + len(best) - 1


def start(text: str) -> int | None:
    """Where an enumeration of at least two items begins in ``text``, if one does."""
    best: list[tuple[int, int]] = []
    for style in _STYLES:
        found = _positions(text, style, 1)
        if len(found) >= 2 and (not best or found[0][0] < best[0][0]):
            best = found
    return best[0][0] if best else None
