"""From paragraphs to the document model: the parser of Chinese official documents.

Every reader (txt, docx, pdf, …) turns its input into paragraphs; this package
finds the outline, the feedback's categories and problems with their
measures, and the facts stated around them. Text it cannot place becomes a
warning with its position, so nothing of the input is silently lost.
"""

import datetime as dt
import re
from dataclasses import replace

from zhenggai.core.dates import read_date
from zhenggai.core.errors import ParseError
from zhenggai.core.model import (
    CaseLeads,
    Document,
    DocumentKind,
    ParseWarning,
    Section,
    StatedTotals,
)
from zhenggai.core.structure.accountability import accountability_mismatches, read_accountability
from zhenggai.core.structure.contact import read_contact
from zhenggai.core.structure.facts import read_inspection, read_totals
from zhenggai.core.structure.feedback import (
    feedback_outline,
    read_case_leads,
    read_recommendations,
)
from zhenggai.core.structure.feedback import finish as finish_feedback
from zhenggai.core.structure.outline import Outline, OutlineKind, OutlineSection, build_outline
from zhenggai.core.structure.paragraphs import Para, clean, read_marker
from zhenggai.core.structure.registers import read_funds, read_sanctions, read_work
from zhenggai.core.structure.regulations import read_regulations
from zhenggai.core.structure.titles import is_problem_intro, one_line
from zhenggai.core.structure.tree import build_feedback
from zhenggai.core.structure.unfinished import make_item, read_unfinished

__all__ = ["Para", "parse_paragraphs"]

_FEEDBACK_KINDS: tuple[OutlineKind, ...] = ("feedback", "categories")


_FEEDBACK_TITLE = re.compile(r"反馈意见|(?:巡察|巡视).*反馈$")
# 「现将巡察情况反馈如下」: only the feedback itself says this.
_FEEDBACK_OPENING = re.compile(r"(?:情况|意见)反馈如下")


def _kind_of(title: str, outline: Outline) -> DocumentKind:
    if "整改方案" in title:
        return "plan"
    if _FEEDBACK_TITLE.search(title) and "整改" not in title:
        return "feedback"
    opening = "".join(_texts(outline.preamble))
    if not title and _FEEDBACK_OPENING.search(opening) and "整改" not in opening:
        return "feedback"
    return "report"


def _texts(paras: list[Para]) -> list[str]:
    return [p.text for p in paras]


def _feedback_sections(outline: Outline) -> list[OutlineSection]:
    chosen = [s for s in outline.sections if s.kind in _FEEDBACK_KINDS]
    if chosen:
        return chosen
    # headings in words this parser does not know: take the sections whose
    # lines introduce problems (关于“…”问题, 针对…问题)
    return [
        s
        for s in outline.sections
        if s.kind == "other" and any(is_problem_intro(_rest(p)) for p in s.paras)
    ]


def _rest(para: Para) -> str:
    marker = read_marker(para.text)
    return marker.rest if marker else para.text


def _heading_text(section: OutlineSection) -> str | None:
    return _rest(section.heading) if section.heading else None


def _read_sections(outline: Outline, doc: Document) -> None:
    feedback = _feedback_sections(outline)
    tree_paras: list[Para] = []
    for section in feedback:
        if section.kind == "categories" and section.heading is not None:
            tree_paras.append(section.heading)
        tree_paras.extend(section.paras)
    result = build_feedback(tree_paras, describes=doc.kind == "feedback")
    doc.categories = result.categories
    doc.unfinished.extend(make_item(title, fields) for title, fields in result.unfinished)
    kept = _texts(result.intro) + _texts(result.remarks)
    for section in outline.sections:
        title = _heading_text(section)
        if section in feedback:
            if section.kind == "feedback":
                doc.sections.append(Section("feedback", title, kept))
                kept = []
            continue
        if section.kind != "categories":  # categories are the feedback's, read above
            _read_section(section, title, doc)
    if kept:
        doc.sections.append(Section("feedback", None, kept))
    if not feedback:
        doc.warnings.append(
            ParseWarning("全文", "", "未找到报告反馈问题整改情况的部分，没有识别出问题")
        )


def _read_section(section: OutlineSection, title: str | None, doc: Document) -> None:
    """A top-level part besides the problems, kept as text and read for what it states."""
    paras = section.paras
    if section.kind == "unfinished":
        items, paras, warnings = read_unfinished(section.paras)
        doc.unfinished.extend(items)
        doc.warnings.extend(warnings)
    elif section.kind == "recommendations" and doc.kind == "feedback":
        doc.recommendations.extend(read_recommendations(paras))
    elif section.kind == "case_leads" and doc.kind == "feedback":
        # a report's case-lead section tells how leads were handled, not which
        leads = read_case_leads(paras)
        counts = [n for n in (doc.case_leads.count, leads.count) if n is not None]
        doc.case_leads = CaseLeads(
            sum(counts) if counts else None, [*doc.case_leads.items, *leads.items]
        )
    # "categories" never comes here (the caller keeps them for the tree)
    kind = "other" if section.kind == "categories" else section.kind
    doc.sections.append(Section(kind, title, _texts(paras)))


def _totals_text(outline: Outline) -> str:
    """Text that speaks of the work as a whole: not the measures' own figures."""
    paras = list(outline.preamble)
    for section in outline.sections:
        if section.kind not in _FEEDBACK_KINDS:
            paras.extend(section.paras)
    return "\n".join(_texts(paras))


def _check_totals(doc: Document, totals: StatedTotals) -> None:
    counted = len(doc.problems())
    if totals.problems is not None and counted and totals.problems != counted:
        doc.warnings.append(
            ParseWarning(
                "全文",
                f"{totals.problems}",
                f"文中称问题共{totals.problems}个，但识别出{counted}个",
                contradiction=True,
            )
        )
    unfinished = _unfinished_problems(doc)
    problems, completed = totals.problems, totals.completed
    if problems is not None and completed is not None and completed + unfinished > problems:
        doc.warnings.append(
            ParseWarning(
                "全文",
                f"{totals.completed}",
                f"文中称{totals.problems}个问题已整改完成{totals.completed}个，"
                f"又列出{unfinished}个需要进一步整改，合计超过问题总数",
                contradiction=True,
            )
        )
    titled = [c for c in doc.categories if c.title is not None]
    if totals.categories is not None and titled and totals.categories != len(titled):
        doc.warnings.append(
            ParseWarning(
                "全文",
                f"{totals.categories}",
                f"文中称问题共{totals.categories}类，但识别出{len(titled)}类",
                contradiction=True,
            )
        )


def _bare(title: str | None) -> str:
    return re.sub(r"[“”‘’\"'\s]", "", title or "")


def _unfinished_problems(doc: Document) -> int:
    """The unfinished items that name a problem of the feedback's top level (an item
    may be a sub-problem carried over while its problem counts as done)."""
    titles = {_bare(p.title) for p in doc.problems()} - {""}
    return sum(1 for item in doc.unfinished if _bare(item.problem) in titles)


def _check_accountability(doc: Document, paragraphs: list[str]) -> None:
    """A summary of people held accountable that its problems' figures contradict."""
    for kind, stated, added in accountability_mismatches(paragraphs):
        doc.warnings.append(
            ParseWarning(
                "全文",
                f"{kind}{stated}人",
                f"文中汇总称{kind}{stated}人，但各问题中合计{added}人",
                contradiction=True,
            )
        )


def _work_text(doc: Document) -> list[str]:
    """The text that tells how the work was organised: the opening and the
    organisation sections (the measures' own meetings count other things)."""
    return doc.preamble + [
        p for s in doc.sections if s.kind == "organisation" for p in s.paragraphs
    ]


def _document_date(outline: Outline) -> dt.date | None:
    for para in reversed(outline.signature + outline.meta):
        value = read_date(para.text)
        if value is not None:
            return value
    return None


def parse_paragraphs(raw: list[Para]) -> Document:
    paras = [replace(p, text=text) for p in raw if (text := clean(p.text))]
    if not paras:
        raise ParseError("文件中没有可读的文字")
    outline = build_outline(paras)
    title = one_line("".join(_texts(outline.title))) or None
    doc = Document(title=title, kind=_kind_of(title or "", outline))
    if doc.kind == "feedback":
        feedback_outline(outline)
    doc.meta = _texts(outline.meta)
    doc.preamble = _texts(outline.preamble)
    doc.closing = _texts(outline.closing + outline.signature)
    read_inspection("\n".join(doc.preamble), doc)
    _read_sections(outline, doc)
    all_text = _texts(paras)
    doc.stated_totals = read_totals(_totals_text(outline))
    doc.accountability = read_accountability(all_text)
    _check_accountability(doc, all_text)
    doc.regulations = read_regulations(all_text)
    doc.sanctions = read_sanctions(all_text)
    doc.funds = read_funds(all_text)
    doc.work = read_work(_work_text(doc))
    doc.contact = read_contact(doc.closing + all_text)
    doc.date = _document_date(outline)
    if doc.kind == "feedback":
        finish_feedback(doc)
    _check_totals(doc, doc.stated_totals)
    return doc
