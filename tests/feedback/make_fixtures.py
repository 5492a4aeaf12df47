"""The Word and PDF fixtures of tests/feedback, written from their text.

``python tests/feedback/make_fixtures.py`` writes
- e_word_numbering.docx from sources/e_word_numbering.txt: every number (一、
  （一） 1. （1） ①) taken out of the text and given back by Word's automatic
  numbering, one multi-level list in numbering.xml, as offices set headings up;
- f_formats.docx from f_formats.txt, numbers typed, and f_formats.pdf printed
  from it by LibreOffice (the tests read the committed PDF, not LibreOffice).

``feedback_docx(problems)`` writes a synthetic feedback of that many problems the
same way, for scripts/bench_feedback_import.py.
"""

import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from zhenggai.core.numerals import int_to_cn

HERE = Path(__file__).resolve().parent
LIST_ID = "7"  # the one numbering definition the generated documents use

# A typed number, its level in the list, Word's format for it and the text shown.
_LEVELS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^[一二三四五六七八九十]+、"), "chineseCounting", "%1、"),
    (re.compile(r"^（[一二三四五六七八九十]+）"), "chineseCounting", "（%2）"),
    (re.compile(r"^\d{1,2}\."), "decimal", "%3."),
    (re.compile(r"^（\d{1,2}）"), "decimal", "（%4）"),
    (re.compile(r"^[①-⑳]"), "decimalEnclosedCircle", "%5"),
)
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _level_xml(ilvl: int, fmt: str, text: str) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
    )


def _define_list(document: DocxDocument) -> None:
    """One abstract list with the five heading levels of GB/T 9704 and its variants."""
    root = document.part.numbering_part.element
    levels = "".join(_level_xml(i, fmt, text) for i, (_, fmt, text) in enumerate(_LEVELS))
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{LIST_ID}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = root.find(qn("w:num"))
    if first_num is None:
        root.append(abstract)
    else:  # the schema wants every abstractNum before the nums
        first_num.addprevious(abstract)
    root.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{LIST_ID}">'
            f'<w:abstractNumId w:val="{LIST_ID}"/></w:num>'
        )
    )


def _numbered(document: DocxDocument, line: str) -> Paragraph | None:
    """The line as a list paragraph with its typed number removed, if it has one."""
    for ilvl, (pattern, _, _) in enumerate(_LEVELS):
        match = pattern.match(line)
        if match:
            paragraph = document.add_paragraph(line[match.end() :])
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/>'
                    f'<w:numId w:val="{LIST_ID}"/></w:numPr>'
                )
            )
            return paragraph
    return None


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")


def _signature_start(lines: list[str]) -> int:
    """Index of the signer's line when the text ends on a date, else len(lines)."""
    if lines and _DATE_LINE.match(lines[-1]):
        return len(lines) - 2
    return len(lines)


def text_docx(text: str, *, auto_number: bool) -> bytes:
    """A .docx of the text, a paragraph per line: title centred, addressee flush
    left, signer and date flush right, the rest indented two characters."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    document = docx.Document()
    _page(document)
    if auto_number:
        _define_list(document)
    signed = _signature_start(lines)
    for index, line in enumerate(lines):
        paragraph = (_numbered(document, line) if auto_number else None) or (
            document.add_paragraph(line)
        )
        if index == 0:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif index >= signed:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif not (index == 1 and line.endswith("：") and len(line) <= 30):
            paragraph.paragraph_format.first_line_indent = Pt(32)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The synthetic feedback: the four aspects of a county inspection, and problems
# made of a subject, a shortcoming and a finding with figures.
_ASPECTS = (
    "贯彻落实党的路线方针政策和党中央决策部署方面",
    "落实全面从严治党战略部署方面",
    "落实新时代党的组织路线方面",
    "落实巡察、审计等监督发现问题整改方面",
)
_SUBJECTS = (
    "理论学习中心组学习",
    "意识形态工作责任制",
    "重点项目推进",
    "专项资金管理",
    "政府采购管理",
    "公务接待管理",
    "公务用车管理",
    "干部日常监督",
    "基层党支部建设",
    "党员教育管理",
    "干部选拔任用",
    "审计整改",
)
_SHORTCOMINGS = ("落实不到位", "不够规范", "存在薄弱环节", "统筹不够", "执行不严格")


def _problem(number: int, serial: int) -> list[str]:
    subject = _SUBJECTS[serial % len(_SUBJECTS)]
    shortcoming = _SHORTCOMINGS[serial % len(_SHORTCOMINGS)]
    lines = [
        f"{number}.{subject}{shortcoming}。巡察组抽查{serial + 3}项相关资料，"
        f"发现有{serial % 7 + 1}项存在程序不完整、记录不规范的情况，涉及金额{serial * 1.5:.1f}万元。"
    ]
    if serial % 3 == 0:
        lines += [
            f"（1）制度执行打折扣。2023年有{serial % 5 + 2}次未按规定集体研究。",
            f"（2）跟踪问效不够。对第{serial}项任务的推进情况督促检查不经常。",
        ]
    return lines


def feedback_text(problems: int, variant: int = 0) -> str:
    """A feedback of ``problems`` problems over four categories, with sub-problems,
    recommendations and case leads; ``variant`` numbers its team (第一巡察组,
    第二…), so that each variant is another file."""
    team = int_to_cn(variant + 1)
    lines = [
        f"县委第{team}巡察组关于巡察县发展和改革局党组的反馈意见",
        "县发展和改革局党组：",
        f"根据县委统一部署，2024年3月5日至5月10日，县委第{team}巡察组对县发展和改革局党组"
        "开展了常规巡察。2024年6月12日，巡察组向县发展和改革局党组反馈了巡察情况。现将巡察情况反馈如下。",
        "一、巡察发现的主要问题",
    ]
    per_aspect = -(-problems // len(_ASPECTS))
    for index, aspect in enumerate(_ASPECTS):
        serials = range(index * per_aspect, min(problems, (index + 1) * per_aspect))
        if serials:
            lines.append(f"（{'一二三四'[index]}）{aspect}")
        for number, serial in enumerate(serials, 1):
            lines += _problem(number, serial)
    lines += [
        "二、整改意见建议",
        "（一）提高政治站位，严格落实“第一议题”制度。",
        "（二）压实全面从严治党责任，加强重点领域监督。",
        "（三）加强干部队伍建设，严格干部日常管理监督。",
        "三、问题线索移交",
        "巡察组向县纪委监委移交问题线索3件。",
        f"县委第{team}巡察组",
        "2024年6月12日",
    ]
    return "\n".join(lines) + "\n"


def feedback_docx(problems: int, variant: int = 0) -> bytes:
    """The synthetic feedback as Word writes it, numbered automatically."""
    return text_docx(feedback_text(problems, variant), auto_number=True)


def print_pdf(source: Path) -> Path:
    """LibreOffice prints ``source`` to a PDF beside it, in a private profile."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise SystemExit("LibreOffice (soffice) is needed to print the PDF fixture")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(source.parent),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return source.with_suffix(".pdf")


def main() -> int:
    numbered = (HERE / "sources" / "e_word_numbering.txt").read_text("utf-8")
    (HERE / "e_word_numbering.docx").write_bytes(text_docx(numbered, auto_number=True))
    typed = HERE / "f_formats.docx"
    typed.write_bytes(text_docx((HERE / "f_formats.txt").read_text("utf-8"), auto_number=False))
    print_pdf(typed)
    for name in ("e_word_numbering.docx", "f_formats.docx", "f_formats.pdf"):
        print(f"wrote tests/feedback/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
