"""The registers' facts as bulletins tell them: who was sanctioned and why, money
recovered or paid back, and the meetings and reminders of the organisation of work.

「因“虚开发票套取公款用于支付聚餐费用”的2人给予党内警告处分」 is two people, a party
sanction graded 警告, and its 事由; 「补缴…党费共计2369元」 is money paid back;
「召开巡察整改协调会12场、专题会4场」 is two kinds of meeting with their counts.
"""

import re
from decimal import Decimal, InvalidOperation

from zhenggai.core.model import Funds, Sanction, WorkDone
from zhenggai.core.numerals import FIGURE, figure

# A sanction with its grade, as the regulations name them: 党内警告 … 开除党籍 are
# party sanctions, 政务警告 … 开除 government ones.
_PARTY_GRADES = r"党内(?:严重)?警告|撤销党内职务|留党察看|开除党籍"
_GOVERNMENT_GRADES = r"警告|记过|记大过|降级|撤职|开除"
_SANCTION = re.compile(
    r"(?:因(?P<reason>“[^”]{2,120}”|[^，,。；;]{2,80}?)(?:问题)?的?)?"
    rf"(?P<n>{FIGURE})\s*(?:人|名[^，,。；;]{{0,6}}?)\s*(?:被)?(?:给予|予以|受到)"
    rf"(?:(?P<party>{_PARTY_GRADES})|政务(?P<government>{_GOVERNMENT_GRADES}))处分"
)


def sanction_words(kind: str, grade: str) -> str:
    """How a sentence names a graded sanction, the words ``read_sanctions`` reads:
    党内警告处分, 撤销党内职务处分, 政务记过处分."""
    if kind == "政务处分":
        return f"政务{grade}处分"
    return f"党内{grade}处分" if grade in ("警告", "严重警告") else f"{grade}处分"


def sanction_sentence(sanction: Sanction) -> str:
    """「因“…”的2人给予党内警告处分」, as the bulletins write it."""
    words = sanction_words(sanction.kind, sanction.grade or "")
    if sanction.grade is None:
        words = sanction.kind
    cause = f"因“{sanction.reason}”的" if sanction.reason else ""
    return f"{cause}{sanction.count}人给予{words}"


def read_sanctions(paragraphs: list[str]) -> list[Sanction]:
    """Each sentence that names a sanction's grade, with its count and 事由."""
    found: list[Sanction] = []
    for text in paragraphs:
        for match in _SANCTION.finditer(text):
            count = figure(match.group("n"))
            if count is None:
                continue
            reason = (match.group("reason") or "").strip("“”") or None
            if match.group("party"):
                grade = re.sub(r"^党内(?=(?:严重)?警告)", "", match.group("party"))
                found.append(Sanction(count, "党纪处分", grade, reason))
            else:
                found.append(Sanction(count, "政务处分", match.group("government"), reason))
    return found


# Money: recovered (追缴), refunded (退还) or paid back (补缴), with or without a sum.
_FUNDS_KINDS = {
    "追缴": r"追缴|追回|收缴",
    "退还": r"退还|退回|清退|退赔",
    "补缴": r"补缴|补交",
}
# 「党费收缴基数」 names a task, not money taken back: a verb right after 费 or 款 is a noun.
_FUNDS = re.compile(
    r"(?<![费款金])(?P<verb>" + "|".join(_FUNDS_KINDS.values()) + r")"
    r"(?P<what>[^。；;，,]{0,40}?)"
    r"(?:(?:共计|合计|共|计)?(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>万元|元))?(?=[。；;，,]|$)"
)
_MONEY_WORDS = re.compile(r"费|款|资金|党费|补贴|补助|津贴|奖金|工资|租金|税")


def read_funds(paragraphs: list[str]) -> list[Funds]:
    """Each clause that recovers, refunds or pays back money; ``amount`` in 元 where
    the clause gives one (「追回超标报销费用」 gives none)."""
    found: list[Funds] = []
    for text in paragraphs:
        for match in _FUNDS.finditer(text):
            clause = match.group(0)
            if not _MONEY_WORDS.search(clause):
                continue  # 追回 a document, 退回 a plan: not money
            funds = Funds(_funds_kind(match.group("verb")), _yuan(match), clause)
            if funds not in found:
                found.append(funds)
    return found


def _funds_kind(verb: str) -> str:
    return next(kind for kind, verbs in _FUNDS_KINDS.items() if re.fullmatch(verbs, verb))


def _yuan(match: re.Match[str]) -> Decimal | None:
    if not match.group("amount"):
        return None
    try:
        amount = Decimal(match.group("amount"))
    except InvalidOperation:
        return None
    return amount * 10000 if match.group("unit") == "万元" else amount


# The organisation of work: meetings held, training given, reminders sent.
_MEETING = re.compile(rf"(?P<what>[^，,。；;、]{{0,14}}?(?:会议|会))(?P<n>{FIGURE})\s*(?:场|次|期)")
_MEETING_AFTER = re.compile(
    rf"(?P<n>{FIGURE})\s*(?:场|次|期)(?P<what>[^，,。；;、]{{0,12}}?(?:会议|会))"
)
_HELD = re.compile(r"召开|组织|举行|举办|开展")
_REMINDER = re.compile(rf"(?:提醒|督促|督办|催办|通报)[^。；;，,]{{0,16}}?(?P<n>{FIGURE})\s*次")
_TRAINING = re.compile(rf"(?:培训|讲座|辅导)[^。；;，,]{{0,6}}?(?P<n>{FIGURE})\s*(?:场|次|期)")
_WORK_KINDS = (
    ("领导小组会议", r"领导小组"),
    ("调度会", r"调度|协调|推进"),
    ("专题会议", r"专题"),
)


def read_work(paragraphs: list[str]) -> list[WorkDone]:
    """Meetings, training and reminders with their counts, from the text that tells
    how the work was organised (never from the measures, which count other things)."""
    found: list[WorkDone] = []
    for text in paragraphs:
        for clause in re.split(r"[。；;]", text):
            found += _meetings(clause) + _others(clause)
    return found


def _meetings(clause: str) -> list[WorkDone]:
    held = _HELD.search(clause)
    if held is None:
        return []
    rest = clause[held.end() :]
    found = []
    for part in re.split(r"[、，,]", rest):
        match = _MEETING.fullmatch(part.strip()) or _MEETING_AFTER.fullmatch(part.strip())
        count = figure(match.group("n")) if match else None
        if match and count:
            what = match.group("what").lstrip("了共")
            found.append(WorkDone(_meeting_kind(what), count, what))
    return found


def _meeting_kind(what: str) -> str:
    for kind, words in _WORK_KINDS:
        if re.search(words, what):
            return kind
    return "其他"


def _others(clause: str) -> list[WorkDone]:
    found = []
    for pattern, kind in ((_REMINDER, "督促提醒"), (_TRAINING, "培训")):
        for match in pattern.finditer(clause):
            count = figure(match.group("n"))
            if count:
                found.append(WorkDone(kind, count, match.group(0)))
    return found
