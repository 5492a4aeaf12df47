"""The outline of a document: title, preamble, top-level sections, closing block.

Sections are recognised by what their headings say, never by their order:
the same 一、（一）1. numbering marks how the work was organised and what comes
next as well as the feedback itself, and only the feedback holds problems.
"""

import re
from dataclasses import dataclass, field
from typing import Literal

from zhenggai.core.model import SectionKind
from zhenggai.core.structure.paragraphs import Para, read_marker

# 整改意见建议 and its variants, as the heading of the recommendations.
RECOMMENDATIONS = re.compile(
    r"(?:意见建议|整改建议|整改意见|意见和建议|意见及建议)\s*[。：:]?$|^(?:几点|有关|相关)?建议\s*[。：:]?$"
)
# 巡察发现的主要问题 and its variants: the heading that wraps a feedback's categories.
WRAPPER = re.compile(
    r"^(?:本轮|此次|这次)?(?:巡察|巡视)?组?(?:发现|指出|反馈|查找)?的?(?:存在)?的?"
    r"(?:主要|突出|一些)?问题(?:和不足|及不足|和短板)?\s*[。：:]?$"
)

# A section of the outline: the document's kinds, and headings that only name
# categories (…方面), which are read as part of the feedback.
OutlineKind = SectionKind | Literal["categories"]

# Checked in this order: the first kind whose pattern matches a heading wins.
_SECTION_KINDS: tuple[tuple[OutlineKind, re.Pattern[str]], ...] = (
    (
        "unfinished",
        re.compile(
            r"需要?进一步整改|尚未(?:完成|整改到位)|未完成整改|未整改到位|持续整改的(?:事项|问题)"
        ),
    ),
    ("case_leads", re.compile(r"问题线索|线索(?:的)?(?:处理|处置|办理|移交)|追责问责|问责情况")),
    ("next_steps", re.compile(r"下一步|下步|今后|打算|工作计划|工作重点|长效|巩固")),
    ("recommendations", RECOMMENDATIONS),
    (
        "organisation",
        re.compile(
            r"组织领导|基本情况|高度重视|加强领导|组织(?:巡察|巡视)?整改|整改工作的?组织|工作开展情况"
        ),
    ),
    ("feedback", WRAPPER),
    (
        "feedback",
        re.compile(
            r"整改(?:落实|进展|推进|完成)?情况|反馈(?:意见|问题)|聚焦问题|问题(?:的)?整改|整改落实"
        ),
    ),
    ("categories", re.compile(r"方面|问题")),
)

# （2024年6月12日） under a title: the document's date, not part of its title.
_TITLE_DATE = re.compile(r"^[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[）)]$")
_PUBLISHED = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_SOURCE = re.compile(r"^(?:来源|作者|发布机构|信息来源)\s*[:：]")
_TITLE_WORDS = re.compile(r"通报|报告|情况|公告|公示|方案|台账|意见|整改")
_SENTENCE = re.compile(r"[。，,；;！？!?]")
_CLOSING = re.compile(
    r"^欢迎|联系电话|联系方式|通信地址|通讯地址|邮寄地址|邮政编码|邮编|电子邮箱|邮箱|举报电话|监督电话"
)
_DATE_LINE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{8}|\d{4}[-./]\d{1,2}[-./]\d{1,2})$"
)


@dataclass
class OutlineSection:
    kind: OutlineKind
    heading: Para | None
    paras: list[Para] = field(default_factory=list)


@dataclass
class Outline:
    title: list[Para] = field(default_factory=list)
    meta: list[Para] = field(default_factory=list)  # publication stamp, source line
    preamble: list[Para] = field(default_factory=list)
    sections: list[OutlineSection] = field(default_factory=list)
    closing: list[Para] = field(default_factory=list)
    signature: list[Para] = field(default_factory=list)  # signer and date lines


def section_kind(heading: str) -> OutlineKind:
    for kind, pattern in _SECTION_KINDS:
        if pattern.search(heading):
            return kind
    return "other"


def _is_title_line(text: str) -> bool:
    return len(text) <= 60 and not _SENTENCE.search(text) and read_marker(text) is None


def _split_head(paras: list[Para]) -> tuple[list[Para], list[Para], int]:
    """Title lines and meta lines at the top; returns where the body starts."""
    title: list[Para] = []
    meta: list[Para] = []
    index = 0
    while index < len(paras):
        text = paras[index].text
        if text.endswith(("：", ":")):
            break  # the addressee (主送机关: 县农业农村局党组：) opens the body
        if _PUBLISHED.match(text) or _SOURCE.match(text) or (title and _TITLE_DATE.match(text)):
            meta.append(paras[index])
        elif _is_title_line(text) and not meta:
            title.append(paras[index])
        else:
            break
        index += 1
    if title and not _TITLE_WORDS.search("".join(p.text for p in title)):
        return [], [], 0
    return title, meta, index


def _looks_signed(text: str) -> bool:
    """A date, or a short line that is no sentence, contact line or heading."""
    return bool(_DATE_LINE.match(text)) or (
        len(text) <= 30
        and not _SENTENCE.search(text)
        and not _CLOSING.search(text)
        and read_marker(text) is None
    )


def _split_tail(paras: list[Para], start: int) -> tuple[list[Para], list[Para], int]:
    """Closing lines (欢迎…监督, contact) and the signature at the end.

    1. Signature-like lines set flush right at the very end sign the document:
       the reader saw the layout, so they need no other evidence.
    2. Above them, up to three lines in all may look like a signature; with no
       layout to go by they count only below a closing block, else a short
       last line of the body would be taken for a signer.
    3. The closing block is the contact lines above the signature.
    """
    end = len(paras)
    while end > start and paras[end - 1].right_aligned and _looks_signed(paras[end - 1].text):
        end -= 1
    aligned = end
    while end > start and len(paras) - end < 3 and _looks_signed(paras[end - 1].text):
        end -= 1
    signed = end
    while end > start and _CLOSING.search(paras[end - 1].text):
        end -= 1
    if end == signed:
        # no closing block: the lines guessed in step 2 were the body's last
        end = signed = aligned
    return paras[end:signed], paras[signed:], end


def build_outline(paras: list[Para]) -> Outline:
    title, meta, start = _split_head(paras)
    closing, signature, end = _split_tail(paras, start)
    outline = Outline(title=title, meta=meta, closing=closing, signature=signature)
    current: OutlineSection | None = None
    for para in paras[start:end]:
        marker = read_marker(para.text)
        if marker is not None and marker.level == "L1":
            current = OutlineSection(section_kind(marker.rest), para)
            outline.sections.append(current)
        elif current is None:
            outline.preamble.append(para)
        else:
            current.paras.append(para)
    if not outline.sections:
        _implicit_feedback(outline)
    return outline


def _implicit_feedback(outline: Outline) -> None:
    """No 一、 headings: the preamble runs to the first numbered or 关于/针对 line."""
    paras = outline.preamble
    for index, para in enumerate(paras):
        if index and (read_marker(para.text) or para.text.startswith(("关于", "针对"))):
            outline.preamble = paras[:index]
            outline.sections.append(OutlineSection("feedback", None, paras[index:]))
            return
    outline.preamble = paras[:1]
    outline.sections.append(OutlineSection("feedback", None, paras[1:]))


def take_signature(outline: Outline) -> None:
    """A date alone on the last line and the signer's line above it sign the
    document even without layout, where the body cannot end on a short line (a
    feedback, whose last section is prose): moved from the body to the signature."""
    if outline.signature or not outline.sections:
        return
    paras = outline.sections[-1].paras
    if len(paras) < 2 or not _DATE_LINE.match(paras[-1].text):
        return
    taken = 2 if len(paras) >= 3 and _looks_signed(paras[-2].text) else 1
    outline.signature = paras[-taken:]
    del paras[-taken:]
