"""The parts of a feedback (反馈意见) around its problems.

A feedback's top headings are read in its own terms: 巡察发现的主要问题 wraps
the categories, every other heading that holds problems is a category (a
feedback has no progress to report, so 巩固… or …整改… in a category's name
says nothing about the section), and 整改意见建议 and 问题线索移交 close the
problems wherever they stand, numbered 一、 or （四） or not numbered at all.
"""

import re

from zhenggai.core.model import CaseLeads, Document
from zhenggai.core.numerals import FIGURE, figure
from zhenggai.core.structure import enumeration
from zhenggai.core.structure.outline import (
    RECOMMENDATIONS,
    WRAPPER,
    Outline,
    OutlineKind,
    OutlineSection,
    take_signature,
)
from zhenggai.core.structure.paragraphs import Para, read_marker

_LABEL_LENGTH = 20  # a section label is short; a longer line is a problem's title
_CASE_LEADS = re.compile(r"问题线索|线索(?:的)?(?:移交|处置|处理)|移交.{0,6}线索")
_NOT_PROBLEMS = re.compile(
    r"评价|基本情况|总体情况|工作开展情况|(?:整改|工作|有关|相关|几点)要求|(?:取得|主要)的?成[效绩]"
)
_HOLDS_PROBLEMS = re.compile(r"方面|问题|不到位|不力|不够|不足|不严|不实|弱化|缺失|差距")


def _label(text: str) -> OutlineKind | None:
    """The kind a short heading names outright, if it names one."""
    if len(text) > _LABEL_LENGTH:
        return None
    if _CASE_LEADS.search(text):
        return "case_leads"
    if RECOMMENDATIONS.search(text):
        return "recommendations"
    if WRAPPER.match(text):
        return "feedback"
    return None


def _rest(para: Para) -> str:
    marker = read_marker(para.text)
    return marker.rest if marker else para.text


def _enumerates(paras: list[Para]) -> bool:
    return any(read_marker(p.text) or enumeration.split(p.text)[1] for p in paras)


def section_kind(section: OutlineSection) -> OutlineKind:
    """What a top-level section of a feedback holds."""
    if section.heading is None:
        return section.kind
    heading = _rest(section.heading)
    named = _label(heading)
    if named is not None:
        return named
    if len(heading) <= _LABEL_LENGTH and _NOT_PROBLEMS.search(heading):
        return "other"
    if _HOLDS_PROBLEMS.search(heading) or _enumerates(section.paras):
        return "categories"
    return "other"


# A line that only names a part: no clause of a sentence in it.
_CLAUSE_MARK = re.compile(r"[。；;，,！？!?]")
_CASE_LEADS_LINE = re.compile(
    r"^(?:关于)?(?:巡察|巡视)?(?:发现的)?(?:问题线索(?:的)?(?:移交|处置|处理)?(?:情况)?"
    r"|移交(?:的)?问题线索(?:情况)?)\s*[：:]?$"
)


def _label_line(text: str) -> OutlineKind | None:
    if _CLAUSE_MARK.search(text) or len(text) > _LABEL_LENGTH:
        return None
    if _CASE_LEADS_LINE.match(text):
        return "case_leads"
    return "recommendations" if RECOMMENDATIONS.search(text) else None


def _split(section: OutlineSection) -> list[OutlineSection]:
    """A section cut where an unnumbered or lower-numbered line names
    recommendations or case leads (整改意见建议, （五）问题线索移交)."""
    parts = [OutlineSection(section.kind, section.heading)]
    for para in section.paras:
        marker = read_marker(para.text)
        # such parts are numbered like the top headings or not at all; a 1. or
        # （1） line is a problem's, whatever it says
        upper = marker is None or marker.level in ("L1", "L2")
        named = _label_line(_rest(para)) if upper else None
        if named is not None:
            parts.append(OutlineSection(named, para))
        else:
            parts[-1].paras.append(para)
    return [part for part in parts if part.heading is not None or part.paras]


def feedback_outline(outline: Outline) -> None:
    """Re-read the outline's sections as a feedback's."""
    take_signature(outline)
    sections = [part for section in outline.sections for part in _split(section)]
    for section in sections:
        section.kind = section_kind(section)
    outline.sections = sections


def _items(paras: list[Para]) -> tuple[list[str], list[str]]:
    """(items, other text): each numbered paragraph or enumerated item is one item; a
    short numbered heading takes the unnumbered paragraphs under it."""
    items: list[str] = []
    other: list[str] = []
    open_heading = False
    number = 0  # the count an enumeration over several paragraphs (二是… alone) reached
    for para in paras:
        marker = read_marker(para.text)
        lead, found, last = (
            enumeration.split(para.text)
            if number == 0
            else ("", *enumeration.continues(para.text, number + 1))
        )
        if _REQUIREMENT.search(para.text) and marker is None:
            other.append(para.text)  # 「请…在收到反馈意见后2个月内报送…」 closes the list
            open_heading = False
        elif marker is not None:
            items.append(marker.rest)
            open_heading = len(marker.rest) <= 40 and not re.search(r"[。！？].", marker.rest)
        elif len(found) >= 2 or (found and not lead):
            other.extend([lead] if lead else [])
            items.extend(found)
            open_heading, number = False, last
        elif open_heading and items:
            items[-1] = f"{items[-1]}\n{para.text}"
        else:
            other.append(para.text)
    return items, other


_LEAD_IN = re.compile(r"[：:]$|如下|以下")
# 「请…在收到反馈意见后2个月内报送整改情况报告」: what the team requires, not advice.
_REQUIREMENT = re.compile(
    r"收到(?:本)?(?:巡察|巡视)?(?:反馈)?意见|[\d一二两三四五六]+个月内|(?:报送|报告)(?:县|市|区)委巡"
)


def read_recommendations(paras: list[Para]) -> list[str]:
    """Each recommendation of 整改意见建议 as one string; lead-ins and the closing
    requirement (收到反馈意见后2个月内报送…) are not recommendations."""
    items, other = _items(paras)
    if items:
        return items
    return [text for text in other if not _LEAD_IN.search(text) and not _REQUIREMENT.search(text)]


_CLAUSE = re.compile(r"[^，,；;。]+")
_HANDED = re.compile(rf"(?P<n>{FIGURE})\s*(?:件|条|起|个)")


def _handed_over(clause: str, sentence: str) -> int | None:
    """The figure of a clause that hands leads over (移交…5件), if it is one."""
    if "移交" not in clause or "线索" not in sentence or clause.startswith("其中"):
        return None
    after = _HANDED.search(clause, clause.index("移交"))
    found = after or _HANDED.search(clause)
    return figure(found.group("n")) if found else None


def case_lead_count(text: str) -> int | None:
    """The leads handed over: a total (共移交…6件) or the sum of the transfers the
    text lists (向县纪委监委移交…5件，向县委组织部移交…1件). Leads received (收到…)
    are not leads handed over."""
    counts: list[int] = []
    for sentence in re.split(r"[。；;]", text):
        for clause in _CLAUSE.findall(sentence):
            value = _handed_over(clause, sentence)
            if value is None:
                continue
            if re.search(r"共|合计|总计", clause):
                return value
            counts.append(value)
    return sum(counts) if counts else None


def read_case_leads(paras: list[Para]) -> CaseLeads:
    items, other = _items(paras)
    text = "\n".join([*other, *items])
    return CaseLeads(count=case_lead_count(text), items=items)


_TITLE_ORG = re.compile(
    r"关于(?:对)?(?:巡察|巡视)?(?P<org>[^，,。；;]{2,40}?)(?:开展|进行)?了?"
    r"(?:常规|专项|机动|提级|交叉|联动)?(?:巡察|巡视)?(?:“回头看”|回头看)?(?:工作)?(?:情况)?"
    r"的(?:巡察|巡视)?(?:情况)?反馈意见"
)
_ADDRESSEE = re.compile(r"^(?P<org>[^，,。；;：:]{2,30})[：:]$")


def finish(doc: Document) -> None:
    """What a feedback says outside its parts, where its parts did not say it:
    the organisation, the date it was handed over (the document's own date) and
    the leads handed over when no section lists them."""
    _read_org(doc)
    doc.feedback_date = doc.feedback_date or doc.date
    if doc.case_leads.count is None and not any(s.kind == "case_leads" for s in doc.sections):
        texts = [p for s in doc.sections if s.kind != "feedback" for p in s.paragraphs]
        doc.case_leads.count = case_lead_count("\n".join([*doc.preamble, *texts, *doc.closing]))


def _read_org(doc: Document) -> None:
    """The inspected organisation when the opening text does not say: from the
    title (关于巡察县农业农村局党组的反馈意见), else the addressee line."""
    if doc.org:
        return
    match = _TITLE_ORG.search(doc.title or "")
    if match:
        doc.org = match.group("org")
        return
    for text in doc.preamble[:2]:
        addressee = _ADDRESSEE.match(text)
        if addressee:
            doc.org = addressee.group("org")
            return
