"""Which problem of a ledger an unfinished item names.

Bulletins list their unfinished items under titles that differ from the problems'
own: other quote marks (‘’ for “”), 「关于…的问题」 around them, or only a phrase
quoted from the feedback (「2019年巡察指出的‘未制定整体发展规划’问题依然存在」).
"""

import re

from zhenggai.inspections.models import Problem
from zhenggai.ledger.models import Measure

QUOTES = "‘’“”「」『』'\""


def _plain(text: str | None) -> str:
    text = re.sub(f"[\\s{QUOTES}]", "", text or "")
    return text.removeprefix("关于").removesuffix("的问题")


def problem_named(
    text: str | None, problems: list[Problem], measures: list[Measure]
) -> Problem | None:
    """The problem an unfinished item names: by its title, else by the phrase it quotes
    (「2019年巡察指出的‘未制定整体发展规划’问题依然存在」) in the measures answering it."""
    said = _plain(text)
    if len(said) < 4:
        return None
    titles = [(p, _plain(p.title)) for p in problems]
    for matches in (lambda t: t == said, lambda t: len(t) >= 4 and (t in said or said in t)):
        for problem, title in titles:
            if matches(title):
                return problem
    by_pk = {p.pk: p for p in problems}
    for quoted in re.findall(f"[{QUOTES}]([^{QUOTES}]{{4,}})[{QUOTES}]", text or ""):
        phrase = re.sub("^(未|没有|不)", "", quoted)
        for measure in measures:
            if measure.problem_id is not None and phrase in measure.text:
                return by_pk[measure.problem_id]
    return None
