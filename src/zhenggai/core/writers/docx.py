"""The progress bulletin as a .docx laid out per GB/T 9704-2012.

The words are exactly those of ``write_text`` (so every figure is computed and
the document parses back); this module only lays them out. Measured choices,
from docs/reference on LibreOffice rendering:

1. the grid is ``docGrid type="lines"`` with a 28.95 pt pitch and no character
   grid: LibreOffice puts each 16 pt character into two cells of a
   ``linesAndChars`` grid. 28 characters a line come from condensing the body by
   0.25 pt instead;
2. docDefaults name their fonts and zh-CN explicitly: python-docx's template
   uses theme fonts and ja-JP, which LibreOffice renders in a Japanese face;
3. every run sets ``w:eastAsia``, which python-docx's ``font.name`` does not.
"""

import datetime as dt
import io
import re
from dataclasses import replace

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.section import _Footer
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from zhenggai.core.model import Document
from zhenggai.core.writers.text import DEFAULT_STYLE, write_text

LATIN = "Times New Roman"
TITLE_FONT, BODY_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "宋体"
TITLE_PT, BODY_PT, PAGE_PT = 22, 16, 14  # 2号, 3号, 4号
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fit the 225 mm text area, 29 pt would not
CONDENSE_HALF_POINTS = "-5"  # −0.25 pt a character: 28 characters a line in LibreOffice

# heading levels of the text writer's paragraphs: (pattern, East-Asian font, bold)
HEADINGS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"^[一二三四五六七八九十]+、"), "黑体", False),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), "楷体_GB2312", False),
    (re.compile(r"^\d+[.．、]"), "仿宋_GB2312", True),
    (re.compile(r"^[（(]\d+[）)]"), "仿宋_GB2312", False),
)


def write_bulletin_docx(doc: Document, *, style: str = DEFAULT_STYLE) -> bytes:
    """整改进展情况的通报: the text writer's paragraphs, the first one the title."""
    if not doc.title:
        doc = replace(doc, title=f"{doc.org or ''}关于{doc.level or '巡察'}整改进展情况的通报")
    title, *body = write_text(doc, style).splitlines()
    out = docx.Document()
    _setup(out)
    _title(out.add_paragraph(), title)
    for text in body:
        _body(out.add_paragraph(), text)
    _signature(out, doc.org, doc.date)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def set_fonts(rpr: CT_RPr, east_asia: str, size_pt: float, bold: bool = False) -> None:
    """Fonts on a run's (or docDefaults') rPr, the East-Asian one named explicitly."""
    fonts = rpr.get_or_add_rFonts()
    for name in list(fonts.attrib):
        del fonts.attrib[name]  # theme attributes would override the names
    for attribute, value in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", east_asia)):
        fonts.set(qn(f"w:{attribute}"), value)
    fonts.set(qn("w:hint"), "eastAsia")  # “ ” — … from the CJK font
    rpr.get_or_add_sz().set(qn("w:val"), str(round(size_pt * 2)))
    if bold:
        rpr._set_bool_val("b", True)


def _setup(out: DocxDocument) -> None:
    """Page, grid, defaults and footers: GB/T 9704-2012 clauses 5.1–5.2 and 7.5."""
    section = out.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)  # puts the 一字线 about 7 mm below the text area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    _defaults(out)
    out.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right")
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")


def _defaults(out: DocxDocument) -> None:
    rpr = out.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT, BODY_PT)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    theme_lang = out.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    normal = out.styles["Normal"]
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), CONDENSE_HALF_POINTS)
    normal.element.get_or_add_rPr().append(spacing)
    layout = normal.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(LINE_PITCH_TWIPS / 20)


def _page_number(footer: _Footer, align: WD_ALIGN_PARAGRAPH, side: str) -> None:
    """「— 1 —」 in 4号宋体, a PAGE field, one 字 in from the outer edge."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    if side == "right":
        paragraph.paragraph_format.right_indent = Pt(PAGE_PT)
    else:
        paragraph.paragraph_format.left_indent = Pt(PAGE_PT)
    _run(paragraph, "— ")
    _field(paragraph, "begin")
    _run(paragraph, " PAGE ", instruction=True)
    _field(paragraph, "separate")
    _run(paragraph, "1")
    _field(paragraph, "end")
    _run(paragraph, " —")


def _run(paragraph: Paragraph, text: str, instruction: bool = False) -> None:
    run = paragraph.add_run()
    set_fonts(run._r.get_or_add_rPr(), PAGE_FONT, PAGE_PT)
    element = OxmlElement("w:instrText" if instruction else "w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run._r.append(element)


def _field(paragraph: Paragraph, kind: str) -> None:
    run = paragraph.add_run()
    set_fonts(run._r.get_or_add_rPr(), PAGE_FONT, PAGE_PT)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _title(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(paragraph.add_run(text)._r.get_or_add_rPr(), TITLE_FONT, TITLE_PT)
    paragraph.paragraph_format.space_after = Pt(LINE_PITCH_TWIPS / 20)  # a blank line below


def _body(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    # in characters too, so Word and WPS keep two 字 whatever the size
    paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    font, bold = BODY_FONT, False
    for pattern, heading_font, heading_bold in HEADINGS:
        if pattern.match(text):
            font, bold = heading_font, heading_bold
            break
    set_fonts(paragraph.add_run(text)._r.get_or_add_rPr(), font, BODY_PT, bold)


def _signature(out: DocxDocument, org: str | None, date: dt.date | None) -> None:
    """发文机关署名 and 成文日期, right-aligned, four 字 in from the right edge."""
    lines = [line for line in (org, date and f"{date.year}年{date.month}月{date.day}日") if line]
    for index, line in enumerate(lines):
        paragraph = out.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(4 * BODY_PT)
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(2 * LINE_PITCH_TWIPS / 20)
        set_fonts(paragraph.add_run(line)._r.get_or_add_rPr(), BODY_FONT, BODY_PT)


__all__ = ["write_bulletin_docx"]
