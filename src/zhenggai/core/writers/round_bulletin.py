"""A round's own bulletin (关于……巡察整改进展情况的通报) as a GB/T 9704 .docx: the
office's account of the round across its organisations, from plain figures. The
round's totals and each organisation's paragraph; people held accountable are
counted by kind, never named. In Chinese: the language of the office's documents.

The status words (已完成整改 / 基本完成 / 取得阶段性成果) are chosen here alone
(``status``); the figures are the caller's, computed from the ledgers.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from zhenggai.core.model import Accountability
from zhenggai.core.writers.context import ten_thousands
from zhenggai.core.writers.gbt9704_simple import Block, Body, Heading, Signature, write_simple
from zhenggai.core.writers.text import accountability_phrase, cn_date

DONE = "已完成整改"
BASIC = "基本完成整改"
STAGED = "取得阶段性成果"
# 整改成效: every problem done → 已完成整改; at least BASIC_PERCENT of them done →
# 基本完成整改; fewer → 取得阶段性成果. An organisation's own bulletin states only its
# counts (「已整改完成16项」), so this is the one place the words are chosen.
BASIC_PERCENT = 90
STATUSES = (DONE, BASIC, STAGED)


@dataclass(frozen=True)
class OrgFigures:
    """One inspected organisation of the round, as its ledger stands."""

    name: str
    problems: int  # top-level problems of the feedback
    completed: int  # of those, done
    measures: int
    regulations: int
    funds_yuan: Decimal | None
    accountability: Accountability = field(default_factory=Accountability)


@dataclass(frozen=True)
class RoundBulletin:
    round_name: str  # 十二届县委第五轮巡察
    office: str  # the signature
    date: dt.date
    organisations: Sequence[OrgFigures]


def status(problems: int, completed: int) -> str | None:
    """The words for how far an organisation has come; None with no problems recorded."""
    if problems == 0:
        return None
    if completed >= problems:
        return DONE
    if completed * 100 >= problems * BASIC_PERCENT:
        return BASIC
    return STAGED


def rate(problems: int, completed: int) -> str:
    """「94.1%」: one decimal, none when whole; 「—」 with nothing to rectify."""
    if problems == 0:
        return "—"
    share = (Decimal(completed) * 100 / problems).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{share.normalize():f}%"


_KINDS = ("party_discipline", "ordered_self_examination", "criticism_education", "admonition_talk")


def held_accountable(value: Accountability) -> int:
    """How many people, of every kind."""
    return sum(getattr(value, name) or 0 for name in _KINDS) + sum(value.other.values())


def summed(values: Sequence[Accountability]) -> Accountability:
    """The round's accountability: each kind added over its organisations."""
    total = Accountability()
    for value in values:
        for name in _KINDS:
            _add(total, name, getattr(value, name))
        for word, n in value.other.items():
            total.other[word] = total.other.get(word, 0) + n
    return total


def _add(total: Accountability, name: str, n: int | None) -> None:
    if n is not None:
        setattr(total, name, (getattr(total, name) or 0) + n)


def _results(regulations: int, funds: Decimal | None, people: Accountability) -> str:
    """「建立完善制度3项，追缴资金7.132万元，给予批评教育2人（共2人）」, or "" for none."""
    said = []
    if regulations:
        said.append(f"建立完善制度{regulations}项")
    if ten_thousands(funds):
        said.append(f"追缴资金{ten_thousands(funds)}万元")
    if held_accountable(people):
        said.append(f"{accountability_phrase(people)}（共{held_accountable(people)}人）")
    return "，".join(said)


def _overall(bulletin: RoundBulletin) -> list[Block]:
    orgs = bulletin.organisations
    problems = sum(o.problems for o in orgs)
    completed = sum(o.completed for o in orgs)
    measures = sum(o.measures for o in orgs)
    names = len({o.name for o in orgs})
    blocks: list[Block] = [
        Heading("一、总体情况"),
        Body(
            f"{bulletin.round_name}共巡察{names}个单位，反馈问题{problems}个，"
            f"已整改完成{completed}个，整改完成率{rate(problems, completed)}；"
            f"各单位共制定整改措施{measures}条。"
        ),
    ]
    statuses = [status(o.problems, o.completed) for o in orgs]
    said = "，".join(f"{statuses.count(word)}个单位{word}" for word in STATUSES)
    missing = statuses.count(None)
    if missing:
        said += f"，{missing}个单位反馈问题尚未录入台账"
    blocks.append(Body(f"从整改进展看，{said}。"))
    funds = [o.funds_yuan for o in orgs if o.funds_yuan]
    results = _results(
        sum(o.regulations for o in orgs),
        sum(funds, Decimal(0)) if funds else None,
        summed([o.accountability for o in orgs]),
    )
    if results:
        blocks.append(Body(f"通过整改，{results}。"))
    return blocks


def _organisation(number: int, org: OrgFigures) -> Body:
    said = status(org.problems, org.completed)
    if said is None:
        return Body(f"（{number}）{org.name}：反馈问题尚未录入整改台账。")
    text = (
        f"（{number}）{org.name}：反馈问题{org.problems}个，已整改完成{org.completed}个，"
        f"整改完成率{rate(org.problems, org.completed)}，{said}；"
        f"制定整改措施{org.measures}条"
    )
    results = _results(org.regulations, org.funds_yuan, org.accountability)
    return Body(text + (f"；{results}" if results else "") + "。")


def write_round_bulletin(bulletin: RoundBulletin) -> bytes:
    """The bulletin as .docx bytes."""
    blocks: list[Block] = [
        Body(
            f"按照巡察工作安排，{bulletin.round_name}已完成反馈，各被巡察单位党组织"
            f"对照反馈问题制定整改措施，推进整改落实。现将整改进展情况通报如下。"
        ),
        *_overall(bulletin),
        Heading("二、各单位整改情况"),
        *(_organisation(n, o) for n, o in enumerate(bulletin.organisations, start=1)),
        Body(""),
        Signature(bulletin.office),
        Signature(cn_date(bulletin.date)),
    ]
    return write_simple(f"关于{bulletin.round_name}整改进展情况的通报", blocks)
