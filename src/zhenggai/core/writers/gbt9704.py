"""GB/T 9704-2012 page, grid, fonts and paragraph styles for a python-docx document.

The shipped templates are built with these (``scripts/build_templates.py``), so
every document rendered from them carries the layout. Measured choices, from the
reference on LibreOffice rendering:

1. the grid is ``docGrid type="lines"`` with a 28.95 pt pitch and no character
   grid: LibreOffice puts each 16 pt character into two cells of a
   ``linesAndChars`` grid. 28 characters a line come from condensing the body by
   0.25 pt instead;
2. docDefaults name their fonts and zh-CN explicitly: python-docx's template
   uses theme fonts and ja-JP, which LibreOffice renders in a Japanese face;
3. every run and style sets ``w:eastAsia``, which python-docx's ``font.name``
   does not;
4. headings keep with the paragraph after them and are never split, so none is
   left at the foot of a page; punctuation does not hang past the right margin
   (Word and LibreOffice both let it by default), so every line ends inside the
   text area as the standard's 版心 asks; table text leaves the line grid, whose
   28.95 pt pitch would otherwise space every line of a 五号 cell like the body.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.section import Section, _Footer
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

LATIN = "Times New Roman"
TITLE_FONT, BODY_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "宋体"
TITLE_PT, BODY_PT, PAGE_PT, TABLE_PT = 22, 16, 14, 10.5  # 2号, 3号, 4号, 五号
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fit the 225 mm text area, 29 pt would not
CONDENSE_HALF_POINTS = "-5"  # −0.25 pt a character: 28 characters a line in LibreOffice
SUCCESSORS_OF_SNAP = ("w:spacing", "w:ind", "w:jc")
SUCCESSORS_OF_AUTOSPACE = (
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:jc",
)
TITLE_CHARS = 20  # of 2号 in the 156 mm text area (442 pt / 22 pt)


@dataclass(frozen=True)
class Look:
    """One paragraph style: its Chinese name (what an office sees in Word) and layout."""

    name: str
    font: str
    size: float = BODY_PT
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    indent: bool = True  # first line in by two 字
    right_chars: int = 0  # right indent in 字 (the signature block)
    blank_after: bool = False  # a blank line below (the title)
    keep: bool = False  # with the next paragraph and on one page (headings, the title)


# by style id; ids are ASCII so every word processor keeps them
LOOKS = {
    "GBTitle": Look(
        "公文标题",
        TITLE_FONT,
        TITLE_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        blank_after=True,
        keep=True,
    ),
    "GBAddressee": Look("主送机关", BODY_FONT, indent=False),
    "GBBody": Look("公文正文", BODY_FONT),
    "GBHeading1": Look("一级标题", "黑体", keep=True),
    "GBHeading2": Look("二级标题", "楷体_GB2312", keep=True),
    "GBHeading3": Look("三级标题", BODY_FONT, bold=True, keep=True),
    "GBHeading4": Look("四级标题", BODY_FONT, keep=True),
    "GBSignature": Look(
        "署名和日期", BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=4
    ),
    "GBTable": Look("表格文字", BODY_FONT, TABLE_PT, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False),
}


def set_fonts(
    rpr: CT_RPr, east_asia: str, size_pt: float, bold: bool = False, latin: str = LATIN
) -> None:
    """Fonts on a run's (or a style's) rPr, the East-Asian one named explicitly."""
    fonts = rpr.get_or_add_rFonts()
    for name in list(fonts.attrib):
        del fonts.attrib[name]  # theme attributes would override the names
    for attribute, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia)):
        fonts.set(qn(f"w:{attribute}"), value)
    fonts.set(qn("w:hint"), "eastAsia")  # “ ” — … from the CJK font
    rpr.get_or_add_sz().set(qn("w:val"), str(round(size_pt * 2)))
    if bold:
        rpr._set_bool_val("b", True)


def title_lines(title: str, per_line: int = TITLE_CHARS) -> list[str]:
    """A long title on lines of its own choosing (clause 7.3.1: 梯形 or 菱形, meaning
    whole), not left to wrap one character onto a line of its own: the organisation
    on a line of its own before 「关于」 when it fits, the rest in lines of near-equal
    length."""
    if len(title) <= per_line:
        return [title]
    head, about, rest = title.partition("关于")
    if about and head and len(head) <= per_line:
        return [head, *_even(about + rest, per_line)]
    return _even(title, per_line)


def _even(text: str, per_line: int) -> list[str]:
    count = -(-len(text) // per_line)
    size = -(-len(text) // count)
    return [text[start : start + size] for start in range(0, len(text), size)]


def set_up(out: DocxDocument) -> None:
    """Page, grid, defaults, styles and footers: clauses 5.1–5.2, 7.3 and 7.5."""
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
    for style_id, look in LOOKS.items():
        _style(out, style_id, look)
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
    _no_autospace(normal.element.get_or_add_pPr())
    _no_hanging_punctuation(normal.element.get_or_add_pPr())


def _no_hanging_punctuation(ppr: CT_PPr) -> None:
    """Line-end punctuation kept inside the text area: Word's 「允许标点溢出边界」
    (``w:overflowPunct``) is on unless said otherwise. LibreOffice reads this switch
    the wrong way round; ``office.convert`` hands it a copy turned round."""
    off = parse_xml(f'<w:overflowPunct {nsdecls("w")} w:val="0"/>')
    ppr.insert_element_before(
        off, "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", *SUCCESSORS_OF_AUTOSPACE
    )


def off_the_grid(ppr: CT_PPr) -> None:
    """A paragraph that does not snap to the section's line grid (Word's 「如果定义了
    文档网格，则对齐到网格」 unticked): table text at its own single spacing."""
    off = parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>')
    ppr.insert_element_before(off, *SUCCESSORS_OF_SNAP)


def _no_autospace(ppr: CT_PPr) -> None:
    """No extra space between Chinese and Latin or digits (「2025 年」): Word adds it
    by default, official documents do not have it. (LibreOffice 7.4 still spaces
    them in the PDF: measured, about 3.4 pt before 年.)"""
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        off = parse_xml(f'<{name} {nsdecls("w")} w:val="0"/>')
        # pPr's children have a fixed order; these two come before spacing and ind
        ppr.insert_element_before(off, *SUCCESSORS_OF_AUTOSPACE)


def _style(out: DocxDocument, style_id: str, look: Look) -> None:
    style = out.styles.add_style(look.name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = out.styles["Normal"]
    style.quick_style = True
    set_fonts(style.element.get_or_add_rPr(), look.font, look.size, look.bold)
    layout = style.paragraph_format
    layout.alignment = look.align
    if look.indent:
        layout.first_line_indent = Pt(2 * look.size)
        # in characters too, so Word and WPS keep two 字 whatever the size
        style.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if look.right_chars:
        layout.right_indent = Pt(look.right_chars * look.size)
    if look.size != BODY_PT:  # tables and the title: single spacing, not the body's grid
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if look.size < BODY_PT:  # the title keeps the grid: its lines stay on the body's pitch
        off_the_grid(style.element.get_or_add_pPr())
    if look.keep:
        layout.keep_with_next = layout.keep_together = True
    if look.blank_after:
        layout.space_after = Pt(LINE_PITCH_TWIPS / 20)


def paragraph(out: DocxDocument, style_id: str, text: str) -> Paragraph:
    """A paragraph of ``text`` in one run (a template tag must sit in one run), its
    fonts set on the run too so they survive an office's restyling."""
    look = LOOKS[style_id]
    added = out.add_paragraph(style=out.styles[look.name])
    set_fonts(added.add_run(text)._r.get_or_add_rPr(), look.font, look.size, look.bold)
    return added


def title_paragraph(out: DocxDocument, title: str) -> Paragraph:
    """The title paragraph of a template: ``title`` (a Jinja expression) set on the
    lines ``title_lines`` chooses, each after the first following a line break run."""
    look = LOOKS["GBTitle"]
    added = out.add_paragraph(style=out.styles[look.name])
    opening = "{% for line in (" + title + ")|title_lines %}{{ line }}{% if not loop.last %}"
    for text in (opening, None, "{% endif %}{% endfor %}"):
        run = added.add_run()
        set_fonts(run._r.get_or_add_rPr(), look.font, look.size)
        if text is None:
            run.add_break()
        else:
            run.text = text
    return added


def _page_number(footer: _Footer, align: WD_ALIGN_PARAGRAPH, side: str) -> None:
    """「— 1 —」 in 4号宋体, a PAGE field, one 字 in from the outer edge."""
    footer.is_linked_to_previous = False
    number = footer.paragraphs[0]
    number.alignment = align
    if side == "right":
        number.paragraph_format.right_indent = Pt(PAGE_PT)
    else:
        number.paragraph_format.left_indent = Pt(PAGE_PT)
    _run(number, "— ")
    _field(number, "begin")
    _run(number, " PAGE ", instruction=True)
    _field(number, "separate")
    _run(number, "1")
    _field(number, "end")
    _run(number, " —")


def _run(number: Paragraph, text: str, instruction: bool = False) -> None:
    run = number.add_run()
    # 4号半角宋体阿拉伯数字 (clause 7.5): the digits and dashes in 宋体 too
    set_fonts(run._r.get_or_add_rPr(), PAGE_FONT, PAGE_PT, latin=PAGE_FONT)
    element = OxmlElement("w:instrText" if instruction else "w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run._r.append(element)


def _field(number: Paragraph, kind: str) -> None:
    run = number.add_run()
    set_fonts(run._r.get_or_add_rPr(), PAGE_FONT, PAGE_PT, latin=PAGE_FONT)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def fixed_table(table: Table, widths_mm: Sequence[float], margin_mm: float = 1) -> None:
    """Columns of the given widths that every word processor keeps, a header row
    repeated on each page, and rows that never break across pages.

    1. ``tblGrid`` is what LibreOffice lays out from, ``tcW`` what Word does, and
       ``tblLayout fixed`` stops either from sizing columns to their content:
       all three are set, or a column comes out as wide as its neighbours;
    2. cell margins of ``margin_mm`` instead of Word's 1.9 mm leave a narrow
       column one more character a line;
    3. ``tblHeader`` on the first row, ``cantSplit`` on every row.
    """
    properties = table._tbl.tblPr
    twips = [round(Mm(width).twips) for width in widths_mm]
    width = properties.find(qn("w:tblW"))
    assert width is not None  # python-docx's add_table writes one
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(twips)))
    side = round(Mm(margin_mm).twips)
    margins = parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{side}" w:type="dxa"/>'
        f'<w:right w:w="{side}" w:type="dxa"/></w:tblCellMar>'
    )
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    fixed = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    properties.insert_element_before(fixed, "w:tblCellMar")
    for column, value in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
        column.w = Twips(value)
    for number, row in enumerate(table.rows):
        for cell, value in zip(row.cells, twips, strict=True):
            cell.width = Twips(value)
        row_properties = row._tr.get_or_add_trPr()
        row_properties.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        if number == 0:
            row_properties.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def no_line_grid(section: Section) -> None:
    """A section without the body's line grid: a landscape table section, where every
    line of every cell would otherwise take 28.95 pt in LibreOffice, which does not
    read the paragraphs' ``snapToGrid`` off (measured: 146 pages for a plan)."""
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.attrib.clear()
        grid.set(qn("w:type"), "default")
