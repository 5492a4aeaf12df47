"""People held accountable, from a summary sentence or spread over the measures.

A summary (「给予党纪政务处分2人，责令检查3人，批评教育11人，谈话提醒2人」)
is what the document states and wins; without one, the mentions attached to
single problems (「对涉及该问题的1名人员进行批评教育」) are added up.
"""

import re

from zhenggai.core.model import Accountability
from zhenggai.core.numerals import FIGURE, figure

KINDS = {
    "party_discipline": r"党纪政务处分|党纪处分|政务处分|纪律处分",
    "ordered_self_examination": r"责令(?:作出)?(?:书面)?检查",
    "criticism_education": r"批评教育",
    "admonition_talk": r"谈话提醒|提醒谈话",
    "诫勉": r"诫勉(?:谈话)?",
    "组织处理": r"组织处理",
    "通报批评": r"通报批评",
    "函询": r"函询",
    "移送司法机关": r"移送司法(?:机关)?",
}
_ANY_KIND = "|".join(
    f"(?P<{key if key.isascii() else f'k{i}'}>{pattern})"
    for i, (key, pattern) in enumerate(KINDS.items())
)
_KEY_OF_GROUP = {key if key.isascii() else f"k{i}": key for i, key in enumerate(KINDS)}
_SUMMARY = re.compile(rf"(?:{_ANY_KIND})\s*(?P<n>{FIGURE})\s*(?:人|名)")
_MENTION = re.compile(
    rf"(?P<n>{FIGURE})\s*名(?:人员|同志|干部|责任人|党员|职工)?\s*(?:进行|予以|给予|作出)?了?\s*(?:{_ANY_KIND})"
)


def _kind(match: re.Match[str]) -> str:
    group = next(name for name in _KEY_OF_GROUP if match.group(name))
    return _KEY_OF_GROUP[group]


def _tally(matches: list[re.Match[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for match in matches:
        value = figure(match.group("n"))
        if value is not None:
            kind = _kind(match)
            counts[kind] = counts.get(kind, 0) + value
    return counts


def _to_model(counts: dict[str, int]) -> Accountability:
    known = {
        "party_discipline",
        "ordered_self_examination",
        "criticism_education",
        "admonition_talk",
    }
    result = Accountability(other={k: v for k, v in counts.items() if k not in known})
    for key in known:
        setattr(result, key, counts.get(key))
    return result


# How the kinds are named in a warning.
_NAMES = {
    "party_discipline": "党纪政务处分",
    "ordered_self_examination": "责令检查",
    "criticism_education": "批评教育",
    "admonition_talk": "谈话提醒",
}


def _summary(paragraphs: list[str]) -> tuple[int, list[re.Match[str]]] | None:
    """The summary sentence's paragraph and its figures: two kinds or more in one."""
    for index, text in enumerate(paragraphs):
        matches = list(_SUMMARY.finditer(text))
        if len({_kind(m) for m in matches}) >= 2:
            return index, matches
    return None


def accountability_mismatches(paragraphs: list[str]) -> list[tuple[str, int, int]]:
    """(kind, summed up, added up) for each kind whose summary figure differs from
    what the single problems' mentions add up to (seed 004: 「批评教育11人」 in the
    summary, 20 across its problems). Nothing without a summary or mentions."""
    found = _summary(paragraphs)
    if found is None:
        return []
    index, matches = found
    stated = _tally(matches)
    rest = paragraphs[:index] + paragraphs[index + 1 :]
    added = _tally([m for text in rest for m in _MENTION.finditer(text)])
    return [
        (_NAMES.get(kind, kind), stated[kind], n)
        for kind, n in added.items()
        if kind in stated and n != stated[kind]
    ]


def read_accountability(paragraphs: list[str]) -> Accountability:
    found = _summary(paragraphs)
    if found is not None:
        return _to_model(_tally(found[1]))
    mentions = [m for text in paragraphs for m in _MENTION.finditer(text)]
    return _to_model(_tally(mentions))
