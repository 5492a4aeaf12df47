"""Word documents made from text, as an office would type them: GB/T 9704-like
layout, with some headings numbered by Word's automatic numbering."""

import re
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from zhenggai.core.numerals import cn_to_int

_L1 = re.compile(r"^([一二三四五六七八九十]+)([、.])")
_L3 = re.compile(r"^(\d{1,2})([、.．])\s*(?=\D)")


class _Lists:
    """New numbering definitions as the text needs them: one per run of numbers."""

    def __init__(self, document: DocxDocument) -> None:
        self.root = document.part.numbering_part.element
        self.next_id = 100
        self.current: dict[str, str] = {}

    def _define(self, fmt: str, text: str) -> str:
        self.next_id += 1
        ident = str(self.next_id)
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ident}">'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl></w:abstractNum>'
        )
        first_num = self.root.find(qn("w:num"))
        if first_num is None:
            self.root.append(abstract)
        else:
            first_num.addprevious(abstract)
        self.root.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{ident}"><w:abstractNumId w:val="{ident}"/></w:num>'
            )
        )
        return ident

    def number(self, kind: str, value: int, fmt: str, text: str) -> str:
        if value == 1 or kind not in self.current:
            self.current[kind] = self._define(fmt, text)
        return self.current[kind]


def _attach(paragraph: Paragraph, num_id: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def _layout(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "Times New Roman"
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "仿宋_GB2312")


def text_to_docx(text: str, path: Path, auto_number: bool = True) -> Path:
    """One paragraph per line; 一、 and 1. headings numbered by Word when asked."""
    document = docx.Document()
    _layout(document)
    lists = _Lists(document)
    for index, line in enumerate(line.strip() for line in text.splitlines()):
        if not line:
            continue
        l1, l3 = _L1.match(line), _L3.match(line)
        if auto_number and l1:
            paragraph = document.add_paragraph(line[l1.end() :])
            _attach(
                paragraph,
                lists.number(
                    "L1", cn_to_int(l1.group(1)) or 1, "chineseCounting", f"%1{l1.group(2)}"
                ),
            )
        elif auto_number and l3:
            paragraph = document.add_paragraph(line[l3.end() :])
            _attach(paragraph, lists.number("L3", int(l3.group(1)), "decimal", f"%1{l3.group(2)}"))
        else:
            paragraph = document.add_paragraph(line)
            paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if index == 0 and len(line) < 40 and "。" not in line:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = None
    document.save(str(path))
    return path
