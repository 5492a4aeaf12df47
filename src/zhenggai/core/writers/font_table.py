"""The GB/T 9704 fonts declared in a .docx's font table (word/fontTable.xml).

Word and WPS read the table when a run names a font the machine lacks: the
alternative name is tried first, and the character set (GB2312), family and
pitch steer their own substitution towards a Chinese face of the same kind.
Without an entry, a machine with no 仿宋_GB2312 picks whatever it likes.
"""

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

GB2312_CHARSET = "86"  # hex, as Word writes it: 134, GB2312_CHARSET


@dataclass(frozen=True)
class FontEntry:
    name: str
    alt_name: str  # what Windows ships under another name, or the nearest face
    family: str  # roman: variable-width serif; modern: fixed pitch
    pitch: str


GBT9704_FONTS = (
    # no free or bundled 小标宋: the nearest face every Windows has
    FontEntry("方正小标宋简体", "宋体", "roman", "variable"),
    # Windows since Vista ships 仿宋 and 楷体, not the older _GB2312 fonts
    FontEntry("仿宋_GB2312", "仿宋", "modern", "fixed"),
    FontEntry("楷体_GB2312", "楷体", "modern", "fixed"),
    FontEntry("黑体", "SimHei", "modern", "fixed"),
    FontEntry("宋体", "SimSun", "roman", "variable"),
)


def declare_fonts(document: DocxDocument, fonts: tuple[FontEntry, ...] = GBT9704_FONTS) -> None:
    """Add (or replace) one font-table entry per font, keeping the others."""
    part = _font_table_part(document)
    table = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    for font in fonts:
        for old in table.findall(qn("w:font")):
            if old.get(qn("w:name")) == font.name:
                table.remove(old)
        table.append(_entry(font))
    if not isinstance(part, XmlPart):
        # python-docx loads the font table as an opaque part: its bytes are
        # what gets saved, so they are replaced.
        part._blob = serialize_part_xml(table)


def _font_table_part(document: DocxDocument) -> Part:
    try:
        return document.part.part_related_by(RT.FONT_TABLE)
    except KeyError:  # a document from elsewhere may have none
        part = XmlPart(
            PackURI("/word/fontTable.xml"),
            CT.WML_FONT_TABLE,
            parse_xml(f"<w:fonts {nsdecls('w')}/>"),
            document.part.package,
        )
        document.part.relate_to(part, RT.FONT_TABLE)
        return part


def _entry(font: FontEntry) -> etree._Element:
    """``<w:font>``, its children in the order the schema requires."""
    entry = OxmlElement("w:font", {qn("w:name"): font.name})
    for tag, value in (
        ("w:altName", font.alt_name),
        ("w:charset", GB2312_CHARSET),
        ("w:family", font.family),
        ("w:pitch", font.pitch),
    ):
        entry.append(OxmlElement(tag, {qn("w:val"): value}))
    return entry
