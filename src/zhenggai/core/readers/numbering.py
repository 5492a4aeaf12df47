"""Word's automatic numbering, turned back into the text it shows (一、 （1） 1.).

Word keeps list numbers out of the text: a paragraph points to a numbering
definition and a level, and the number is counted at display time. Counting
the same way here lets the parser see the headings a reader sees.
"""

from typing import cast

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from zhenggai.core.numerals import circled, int_to_cn

_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _roman(number: int) -> str:
    values = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = ""
    for value, letters in values:
        while number >= value:
            out, number = out + letters, number - value
    return out


def format_number(number: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "taiwanese", "japanese")):
        return int_to_cn(number)
    if fmt.startswith("decimalEnclosedCircle"):
        return circled(number)
    if fmt == "decimalFullWidth":
        return str(number).translate(_FULLWIDTH)
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (number - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(number) if fmt == "upperRoman" else _roman(number).lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(number)


def _val(element: etree._Element, path: str) -> str | None:
    # lxml's own xpath: python-docx overrides it with a signature of its own
    found = etree._Element.xpath(element, path + "/@w:val", namespaces=_W)
    return str(found[0]) if isinstance(found, list) and found else None


class Numbering:
    """Counts list numbers through a document, paragraph by paragraph, in order."""

    def __init__(self, document: DocxDocument) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = {s.style_id: s.element for s in document.styles}
        try:
            # asked for by relationship: python-docx's numbering_part would try to
            # create a part for documents that have none
            part = cast(XmlPart, document.part.part_related_by(RT.NUMBERING))
            root = part.element
        except KeyError:
            return
        for abstract in root.findall(qn("w:abstractNum")):
            for lvl in abstract.findall(qn("w:lvl")):
                key = (abstract.get(qn("w:abstractNumId")) or "", int(lvl.get(qn("w:ilvl")) or 0))
                self.levels[key] = (
                    _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or "",
                    int(_val(lvl, "w:start") or 1),
                )
        for num in root.findall(qn("w:num")):
            overrides = {
                int(o.get(qn("w:ilvl")) or 0): int(_val(o, "w:startOverride") or 1)
                for o in num.findall(qn("w:lvlOverride"))
            }
            self.nums[num.get(qn("w:numId")) or ""] = (
                _val(num, "w:abstractNumId") or "",
                overrides,
            )

    def _num_props(self, paragraph: Paragraph) -> tuple[str, int] | None:
        element: etree._Element | None = paragraph._p
        for _ in range(10):  # the paragraph, then its style and the styles it is based on
            if element is None:
                return None
            num_id = _val(element, "./w:pPr/w:numPr/w:numId")
            if num_id is not None:
                return num_id, int(_val(element, "./w:pPr/w:numPr/w:ilvl") or 0)
            style_id = _val(element, "./w:pPr/w:pStyle") or _val(element, "./w:basedOn")
            element = self.styles.get(style_id) if style_id else None
        return None

    def label(self, paragraph: Paragraph) -> str:
        """The number Word would show before this paragraph, counted; '' if none."""
        props = self._num_props(paragraph)
        if props is None or props[0] not in self.nums:
            return ""
        num_id, ilvl = props
        abstract_id, overrides = self.nums[num_id]
        key = f"num{num_id}" if overrides else f"abs{abstract_id}"
        counters = self.counters.setdefault(key, {})

        def start(level: int) -> int:
            return overrides.get(level, self.levels.get((abstract_id, level), ("", "", 1))[2])

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        _, text, _ = self.levels.get((abstract_id, ilvl), ("decimal", "", 1))
        for level in range(ilvl, -1, -1):
            fmt = self.levels.get((abstract_id, level), ("decimal", "", 1))[0]
            text = text.replace(
                f"%{level + 1}", format_number(counters.get(level, start(level)), fmt)
            )
        return text
