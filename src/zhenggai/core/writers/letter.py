"""A letter of the escalation ladder (通知书, 提醒书, 告诫书, 问责书) as a GB/T 9704
.docx: the layout of ``gbt9704`` (page, grid, fonts, page numbers), then the
document number centred under the top, the title, the addressee, the body and the
signature with its date. Written with python-docx directly: the letter's words
are fixed when it is issued, there is no wording for an office to change."""

import datetime as dt
import io
from dataclasses import dataclass

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from zhenggai.core.writers import gbt9704
from zhenggai.core.writers.text import cn_date


@dataclass(frozen=True)
class LetterText:
    number: str  # 县巡办〔2026〕3号
    title: str
    addressee: str
    paragraphs: list[str]
    signature: str
    date: dt.date


def write_letter_docx(letter: LetterText) -> bytes:
    out = docx.Document()
    gbt9704.set_up(out)
    number = gbt9704.paragraph(out, "GBAddressee", letter.number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gbt9704.paragraph(out, "GBAddressee", "")
    title = out.add_paragraph(style=out.styles[gbt9704.LOOKS["GBTitle"].name])
    for index, line in enumerate(gbt9704.title_lines(letter.title)):
        for text in ([None] if index else []) + [line]:
            run = title.add_run(text or "")
            gbt9704.set_fonts(run._r.get_or_add_rPr(), gbt9704.TITLE_FONT, gbt9704.TITLE_PT)
            if text is None:
                run.add_break()
    gbt9704.paragraph(out, "GBAddressee", letter.addressee + "：")
    for text in letter.paragraphs:
        gbt9704.paragraph(out, "GBBody", text)
    gbt9704.paragraph(out, "GBBody", "")
    gbt9704.paragraph(out, "GBSignature", letter.signature)
    gbt9704.paragraph(out, "GBSignature", cn_date(letter.date))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
