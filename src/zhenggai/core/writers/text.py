"""The model written back as the text of a progress bulletin, in the seeds' styles.

Every figure is computed from the model. Each style writes what the parser
reads, so a ledger can make the round trip text → model → text → model.
"""

import datetime as dt
import re
from dataclasses import dataclass

from zhenggai.core.model import (
    Accountability,
    Contact,
    Document,
    Measure,
    Problem,
    SectionKind,
    UnfinishedItem,
)
from zhenggai.core.numerals import int_to_cn
from zhenggai.core.structure.registers import sanction_sentence


@dataclass(frozen=True)
class Style:
    """How one office words its headings and measures ({n}: 一, {i}: 1, {title})."""

    category: str | None
    problem: str
    subproblem: str | None
    label: str | None  # 整改进展情况: before the measures, if any
    label_alone: bool = False  # the label on a paragraph of its own
    one_per_paragraph: bool = False  # 一是…, 二是… each in its own paragraph
    separator: str = ""  # between inline items
    sections: bool = True  # 一、二、三、 parts around the feedback
    restart: bool = True  # problems numbered afresh in each category


STYLES = {
    "aspect-focus": Style(
        "({n}){title}", "{i}.关于{title}的问题", "({i})针对{title}的问题", "整改进展情况:"
    ),
    "aspect-in": Style(
        "({n}){title}",
        "{i}、关于“{title}”的问题",
        None,
        "主要做法:",
        label_alone=True,
        one_per_paragraph=True,
        restart=False,
    ),
    "numbered": Style(None, "{i}.{title}。", None, None, separator="；", sections=False),
    "quoted": Style(
        "（{n}）“{title}”方面", "关于“{title}”问题", "针对“{title}”问题", "整改落实情况："
    ),
    "against": Style("（{n}）关于“{title}”的问题", "针对“{title}”问题的整改进展情况。", None, None),
}
DEFAULT_STYLE = "aspect-focus"


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "****年*月**日"


def _figure(value: int | None) -> str:
    return "**" if value is None else str(value)


class _Writer:
    def __init__(self, doc: Document, style: Style) -> None:
        self.doc, self.style = doc, style
        self.lines: list[str] = []
        self.level = doc.level or "巡察"

    def write(self) -> str:
        if self.doc.title:
            self.lines.append(self.doc.title)
        self._opening()
        if self.style.sections:
            self.lines.append("一、组织整改工作情况")
            self.lines.extend(
                self._section("organisation") or ["成立整改工作领导小组，逐项制定整改措施。"]
            )
            self.lines.append(f"二、{self.level}反馈问题的整改进展情况")
        self._feedback()
        if self.style.sections:
            self._rest()
        self._contact()
        return "\n".join(self.lines) + "\n"

    def _section(self, kind: SectionKind) -> list[str]:
        return [text for s in self.doc.sections if s.kind == kind for text in s.paragraphs]

    def _opening(self) -> None:
        doc, period = self.doc, self.doc.onsite_period
        body = doc.inspection_body or f"{self.level}组"
        org = doc.org or "本单位"
        kind = doc.inspection_kind or ""
        text = (
            f"根据统一部署，{cn_date(period.start)}至{cn_date(period.end)}，{body}对{org}"
            f"开展了{kind}{self.level}。{cn_date(doc.feedback_date)}，{body}向{org}反馈了{self.level}意见。"
        )
        totals = doc.stated_totals
        if totals.problems is not None or totals.categories is not None:
            text += f"{self.level}组反馈的{_figure(totals.categories)}大类{_figure(totals.problems)}项问题"
            text += (
                f"已整改完成{totals.completed}项。"
                if totals.completed is not None
                else "正在整改。"
            )
        self.lines.append(text)

    def _feedback(self) -> None:
        number = 0
        for index, category in enumerate(self.doc.categories, 1):
            if self.style.category and category.title is not None:
                self.lines.append(
                    self.style.category.format(n=int_to_cn(index), title=category.title)
                )
            if category.measures:
                self._measures(category.measures, None)
            if self.style.restart:
                number = 0
            for problem in category.problems:
                number += 1
                self._problem(problem, number, self.style.problem)

    def _problem(self, problem: Problem, number: int, template: str) -> None:
        self.lines.append(template.format(i=number, n=int_to_cn(number), title=problem.title))
        if problem.measures or problem.summary:
            self._measures(problem.measures, problem.summary)
        for index, sub in enumerate(problem.subproblems, 1):
            self._problem(sub, index, self.style.subproblem or self.style.problem)

    def _measures(self, measures: list[Measure], summary: str | None) -> None:
        label = self.style.label or ""
        items = enumerated(measures, summary)
        lead = _closed(summary) if summary else ""
        if self.style.label_alone and label:
            self.lines.append(label)
            label = ""
        if self.style.one_per_paragraph:
            if lead:
                self.lines.append(label + lead)
                label = ""
            self.lines.extend(label + item if i == 0 else item for i, item in enumerate(items))
        else:
            self.lines.append(label + lead + self.style.separator.join(items))

    def _rest(self) -> None:
        accountability = accountability_phrase(self.doc.accountability)
        if accountability or self.doc.sanctions:
            self.lines.append(f"三、{self.level}反馈问题线索的处理情况")
        if accountability:
            self.lines.append(f"针对{self.level}反馈问题、移交问题线索，{accountability}。")
        self.lines.extend(f"{sanction_sentence(s)}。" for s in self.doc.sanctions)
        if self.doc.unfinished:
            self.lines.append("四、需要进一步整改的事项及措施")
            for index, item in enumerate(self.doc.unfinished, 1):
                self._unfinished(index, item)
        next_steps = self._section("next_steps")
        if next_steps:
            self.lines.append("五、下一步工作打算")
            self.lines.extend(next_steps)

    def _unfinished(self, index: int, item: UnfinishedItem) -> None:
        self.lines.append(f"（{int_to_cn(index)}）关于“{item.problem}”的问题")
        for label, value in (
            ("存在问题", item.situation),
            ("未完成整改原因", item.reason),
            ("下一步整改措施", item.next_steps),
        ):
            if value:
                self.lines.append(f"{label}：{value}")
        if item.deadline_text or item.deadline:
            self.lines.append(f"整改时限：{item.deadline_text or cn_date(item.deadline) + '前。'}")

    def _contact(self) -> None:
        contact = contact_phrase(self.doc.contact)
        if contact:
            self.lines.append(
                f"欢迎广大干部群众对{self.level}整改落实情况进行监督。"
                f"如有意见建议，请及时向我们反映。{contact}。"
            )


def enumerated(measures: list[Measure], summary: str | None) -> list[str]:
    """Several measures (or any after a lead-in) as 一是…, 二是…, each closed."""
    items = [m.text for m in measures]
    if len(items) > 1 or summary:
        items = [f"{int_to_cn(i)}是{_closed(text)}" for i, text in enumerate(items, 1)]
    return items


# Chinese text: Han characters, and the full-width punctuation set beside them.
_CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
_HALF_BY_HAN = re.compile(
    rf"(?<=[{_CJK}])[,;:?!]|[,;:?!](?=[{_CJK}])|(?<=[{_CJK}])\.(?=$|\s|[{_CJK}])"
)
_PARENS = re.compile(rf"(?<=[{_CJK}])\(([^()\n]*)\)|\(([^()\n]*[{_CJK}][^()\n]*)\)")
_FULL = str.maketrans(",;:?!.", "，；：？！。")


def full_width(text: str) -> str:
    """Half-width punctuation beside Chinese made full-width, as GB/T 9704 text is
    set (「整改,落实」 → 「整改，落实」; a bracket pair after or around Chinese, 「（附件1）」);
    between Latin letters or digits it stays (1,000; 10:30; 3.5; an address), since
    there it is not Chinese punctuation."""
    text = _PARENS.sub(
        lambda m: f"（{m.group(1) if m.group(1) is not None else m.group(2)}）", text
    )
    return _HALF_BY_HAN.sub(lambda m: m.group().translate(_FULL), text)


def progress_item(measure: Measure) -> str:
    """What a measure's progress says was done: its recorded progress (the ledger's
    整改进展, or the entries made in the application, in order), else the measure as
    planned; its sign-off told after it (「已销号」)."""
    said = (measure.progress or "").strip()
    if not said:
        return measure.text
    if not measure.sign_off:
        return said
    return f"{said.rstrip('。；;，,')}，{measure.sign_off.strip().rstrip('。')}。"


def inline_measures(measures: list[Measure], summary: str | None) -> str:
    """The measures of one problem in one paragraph, after its lead-in if any."""
    return (_closed(summary) if summary else "") + "".join(enumerated(measures, summary))


def _closed(text: str) -> str:
    """End an inline item with punctuation, so the next 二是 starts at a clause boundary."""
    return text if text[-1:] in "。；;！!？?，,：:、" else text + "；"


def contact_phrase(contact: Contact) -> str:
    """「联系电话：…；通信地址：…」 with the parts the ledger knows."""
    parts = (
        ("联系电话", contact.phone),
        ("通信地址", contact.address),
        ("邮政编码", contact.postcode),
        ("电子邮箱", contact.email),
    )
    return "；".join(f"{label}：{value}" for label, value in parts if value)


def accountability_phrase(value: Accountability) -> str:
    """「给予党纪政务处分1人，批评教育2人」: the kinds with a figure, in ladder order."""
    named = (
        ("给予党纪政务处分", value.party_discipline),
        ("责令检查", value.ordered_self_examination),
        ("批评教育", value.criticism_education),
        ("谈话提醒", value.admonition_talk),
        *value.other.items(),
    )
    return "，".join(f"{name}{count}人" for name, count in named if count is not None)


def write_text(doc: Document, style: str = DEFAULT_STYLE) -> str:
    return _Writer(doc, STYLES[style]).write()


__all__ = [
    "DEFAULT_STYLE",
    "STYLES",
    "Style",
    "accountability_phrase",
    "cn_date",
    "contact_phrase",
    "inline_measures",
    "write_text",
]
