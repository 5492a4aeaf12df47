"""The inspection's facts and the totals a document states.

Totals are read only from text that reports on the work as a whole (preamble,
organisation sections), never from the measures, whose figures (「近500场」)
count something else.
"""

import datetime as dt
import re

from zhenggai.core.dates import DATE_PLAIN, read_date, read_period
from zhenggai.core.model import Document, Period, StatedTotals
from zhenggai.core.numerals import FIGURE, figure

# Masked names (**县, XX县, ××县) are names too.
_PARTY_COMMITTEE = r"(?:中央|自治区党委|[\u4e00-\u9fff*X×Ｘ]{0,12}?(?:省|市|州|县|区|旗|盟)委)"
_BODY = re.compile(
    rf"(?P<body>{_PARTY_COMMITTEE}(?:第[一二三四五六七八九十\d]+)?(?P<level>巡视|巡察)"
    r"(?:[一二三四五六七八九十\d]+)?组)"
)
_ORG = re.compile(
    r"组(?:于[^，,。；;对]{1,30})?(?:对|到|进驻)(?P<org>[^，,。；;]{2,40}?)"
    r"(?P<party>党组|党委|党工委|党总支|党支部)?"
    r"(?:[(（][^)）]*[)）])?(?:开展|进行|实施)了?(?:为期[^，,。；;]{1,10}?的)?"
    r"(?P<kind>常规|专项|机动|提级|交叉|联动)?(?:巡察|巡视)(?:“回头看”|回头看)?"
)
_KIND_BEFORE = re.compile(r"(常规|专项|机动|提级|交叉|联动)(?:巡察|巡视)|(回头看)")
_FEEDBACK = re.compile(
    rf"(?P<date>{DATE_PLAIN}|\*{{1,2}}月\*{{1,2}}日)[^。；;]{{0,40}}?反馈(?:了)?(?:巡察|巡视)?(?:意见|情况)"
    rf"|于(?P<date2>{DATE_PLAIN})反馈"
)

_TASKS = re.compile(
    rf"(?P<total>{FIGURE})(?:项|个|条)整改任务[^。；;，,]{{0,8}}?已?完成(?:整改)?(?P<done>{FIGURE})(?:项|个|条)"
)
_SCOPE = re.compile(
    rf"(?P<cat>{FIGURE})\s*(?:大类|个方面|方面|类)(?:的)?\s*(?P<prob>{FIGURE})\s*(?:项|个|条)(?:具体)?问题"
)
# The problems alone, when no categories are counted: 「巡察组反馈的4项问题」.
_PROBLEMS = re.compile(rf"反馈(?:的)?\s*(?P<prob>{FIGURE})\s*(?:项|个|条)(?:具体)?问题")
_COMPLETED = re.compile(
    rf"已(?:有)?(?P<a>{FIGURE})(?:项|个|条)(?:问题)?(?:已)?(?:整改完毕|整改完成|完成整改|整改到位|销号)"
    rf"|(?:已)?(?:整改完成|完成整改|整改完毕|整改到位)(?P<b>{FIGURE})(?:项|个|条)"
)
_RECOMMENDATIONS = re.compile(rf"(?P<n>{FIGURE})(?:项|条|个)(?:整改)?建议")
# Regulations counted: 「等18份制度方案」, 「建立完善制度12项」, 「新建制度5项」.
_REGULATIONS = re.compile(
    rf"等\s*(?P<a>{FIGURE})\s*(?:份|项|个|部|件)(?:规章)?制度"
    rf"|(?:建立|新建|制定|出台|修订|完善)[^，,。；;]{{0,8}}?制度(?:机制)?\s*(?P<b>{FIGURE})\s*(?:项|个|份|部|件)"
)


def read_inspection(text: str, doc: Document) -> None:
    """Body, level, organisation, kind, on-site period and feedback date from the opening text."""
    text = text.replace("日起至", "日至")  # 自3月5日起至5月10日: the same period
    body = _BODY.search(text)
    if body:
        doc.inspection_body = body.group("body")
        doc.level = body.group("level")
    org = _ORG.search(text)
    if org:
        doc.org = org.group("org").strip()
        if doc.kind == "feedback":
            # a feedback is addressed to the party organisation that was inspected
            doc.org += org.group("party") or ""
        doc.inspection_kind = org.group("kind")
    kind = _KIND_BEFORE.search(text)
    if doc.inspection_kind is None and kind:
        doc.inspection_kind = kind.group(1) or kind.group(2)
    found = read_period(text)
    if found:
        period, _, end = found
        doc.onsite_period = Period(period.start, period.end)
        doc.feedback_date = _feedback_date(text[end:], period)
    else:
        doc.feedback_date = _feedback_date(text, Period())


def _feedback_date(text: str, period: Period) -> dt.date | None:
    match = _FEEDBACK.search(text)
    if match is None:
        return None
    written = match.group("date") or match.group("date2") or ""
    year = period.end.year if period.end else None
    value = read_date(written, year)
    if value and period.end and value < period.end and not re.search(r"\d{4}\s*年", written):
        # written without a year and earlier than the visit's end: the next year's
        value = read_date(written, period.end.year + 1)
    return value


def read_totals(text: str) -> StatedTotals:
    totals = StatedTotals()
    tasks = _TASKS.search(text)
    if tasks:
        totals.tasks, totals.tasks_completed = figure(tasks["total"]), figure(tasks["done"])
        text = text[: tasks.start()] + "#" * len(tasks.group()) + text[tasks.end() :]
    scope = _SCOPE.search(text)
    if scope:
        totals.categories, totals.problems = figure(scope["cat"]), figure(scope["prob"])
    elif problems := _PROBLEMS.search(text):
        totals.problems = figure(problems["prob"])
    completed = _COMPLETED.search(text)
    if completed:
        totals.completed = figure(completed["a"] or completed["b"])
    advice = _RECOMMENDATIONS.search(text)
    if advice:
        totals.recommendations = figure(advice["n"])
    regulations = _REGULATIONS.search(text)
    if regulations:
        totals.regulations = figure(regulations["a"] or regulations["b"])
    return totals
