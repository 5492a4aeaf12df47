"""Build the default .docx templates of the plan, the report and the bulletin.

Run after changing their wording: ``.venv/bin/python scripts/build_templates.py``.
The files land in src/zhenggai/core/writers/templates/ and ship with the
package; an office downloads one, edits it in Word or WPS and uploads it back.

Each entry is (style id, text). Jinja tags are typed whole into one run, as
docxtpl needs; a paragraph holding only a ``{%p … %}`` tag disappears when the
document is filled.
"""

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from zhenggai.core.writers.font_table import declare_fonts
from zhenggai.core.writers.gbt9704 import (
    BODY_FONT,
    LOOKS,
    TABLE_PT,
    fixed_table,
    no_line_grid,
    paragraph,
    set_fonts,
    set_up,
    title_paragraph,
)

TARGET = Path(__file__).resolve().parent.parent / "src/zhenggai/core/writers/templates"
B, H1, H2, H3, H4 = "GBBody", "GBHeading1", "GBHeading2", "GBHeading3", "GBHeading4"
Entries = list[tuple[str, str]]


def tag(text: str) -> tuple[str, str]:
    return (B, "{%p " + text + " %}")


def when(condition: str, *entries: tuple[str, str]) -> Entries:
    return [tag(f"if {condition}"), *entries, tag("endif")]


def each(loop: str, *entries: tuple[str, str]) -> Entries:
    return [tag(f"for {loop}"), *entries, tag("endfor")]


OPENING = (
    "根据统一部署，{% if onsite_start and onsite_end %}{{ onsite_start }}至{{ onsite_end }}，"
    "{% endif %}{{ inspection_body }}对{{ org }}开展了{{ inspection_kind }}{{ level }}。"
    "{% if feedback_date %}{{ feedback_date }}，{% endif %}{{ inspection_body }}向{{ org }}"
    "反馈了{{ level }}意见。{% if totals.known %}{{ level }}组反馈的"
    "{% if totals.categories %}{{ totals.categories }}大类{% endif %}"
    "{{ totals.problems }}项问题{% if totals.completed is not none %}已整改完成{{ totals.completed }}项"
    "{% else %}正在整改{% endif %}。{% endif %}"
)

ORGANISATION: Entries = [
    (H1, "一、组织整改工作情况"),
    (
        B,
        "{{ org }}高度重视{{ level }}反馈意见整改工作，成立整改工作领导小组，对反馈问题逐项"
        "制定整改措施{{ measures_count }}条，明确责任领导、责任部门、责任人和整改时限，"
        "实行台账管理、对账销号。",
    ),
    *when("work", (B, "整改期间，{{ work }}，研究部署、推进落实整改工作。")),
    *each("text in organisation", (B, "{{ text }}")),
]

# The report's part on the principal leader (主要负责人组织落实情况), which a report to
# the inspection office must have.
PRINCIPAL: Entries = when(
    "leadership.head",
    (
        B,
        "主要负责人组织落实情况：{{ leadership.head }}作为整改第一责任人，担任整改工作领导小组"
        "组长，主持研究整改方案，对重点问题亲自部署、亲自协调、亲自督办"
        "{% if work %}；整改期间{{ work }}{% endif %}。",
    ),
)

FEEDBACK: Entries = [
    (H1, "二、{{ level }}反馈问题的整改进展情况"),
    *each(
        "c in categories",
        *when("c.title", (H2, "（{{ c.number }}）{{ c.title }}")),
        *when("c.measures", (B, "整改进展情况：{{ c.measures }}")),
        *each(
            "p in c.problems",
            (H3, "{{ p.number }}.关于{{ p.title }}的问题"),
            *when("p.measures", (B, "整改进展情况：{{ p.measures }}")),
            *each(
                "s in p.subproblems",
                (H4, "（{{ s.number }}）针对{{ s.title }}的问题"),
                *when("s.measures", (B, "整改进展情况：{{ s.measures }}")),
            ),
        ),
    ),
]

CASE_LEADS: Entries = when(
    "parts.case_leads",
    (
        H1,
        "{{ parts.case_leads }}、{% if case_leads or accountability or actions %}"
        "{{ level }}反馈问题线索的处理和建章立制情况{% else %}建章立制情况{% endif %}",
    ),
    *when(
        "case_leads",
        (
            B,
            "对{{ level }}移交的问题线索{{ case_leads.total }}件逐件登记、跟踪办理"
            "{% if case_leads.by %}（{{ case_leads.by }}）{% endif %}，"
            "已办结{{ case_leads.closed }}件。",
        ),
    ),
    *when(
        "accountability",
        (B, "针对{{ level }}反馈问题、移交问题线索，{{ accountability }}。"),
    ),
    *each(
        "a in actions",
        (
            B,
            "{% if a.person %}{{ a.person }}{% if a.post %}（{{ a.post }}）{% endif %}："
            "{{ a.decided }}给予{{ a.measure }}{% if a.reason %}。事由：{{ a.reason }}{% endif %}"
            "{% else %}{{ a.sentence }}{% endif %}。",
        ),
    ),
    *when(
        "regulations",
        (
            B,
            "通过整改，建立完善制度{{ regulations }}项"
            "{% if regulation_names %}（{{ regulation_names }}）{% endif %}。",
        ),
    ),
    # The total first, without a verb, then each sum as the register words it: a
    # reader finds each sum once (「追缴资金N万元」 would read as one more).
    *when(
        "funds or funds_items",
        (
            B,
            "整改涉及资金{% if funds %}合计{{ funds }}万元{% endif %}"
            "{% if funds_items %}：{{ funds_items }}{% endif %}。",
        ),
    ),
)

UNFINISHED: Entries = when(
    "unfinished",
    (H1, "{{ parts.unfinished }}、需要进一步整改的事项及措施"),
    *each(
        "u in unfinished",
        (H2, "（{{ u.number }}）关于“{{ u.problem }}”的问题"),
        *when("u.situation", (B, "存在问题：{{ u.situation }}")),
        *when("u.reason", (B, "未完成整改原因：{{ u.reason }}")),
        *when("u.next_steps", (B, "下一步整改措施：{{ u.next_steps }}")),
        *when("u.deadline", (B, "整改时限：{{ u.deadline }}")),
    ),
)

NEXT_STEPS: Entries = [
    (H1, "{{ parts.next_steps }}、下一步工作打算"),
    *each("text in next_steps", (B, "{{ text }}")),
    # The office's own words say what it will do next; the general sentence only
    # stands in when it has none.
    *when(
        "not next_steps",
        (
            B,
            "下一步，{{ org }}将坚持目标不变、标准不降、力度不减，对已完成的整改事项定期检查、"
            "巩固成果，对尚未完成的整改事项紧盯不放、持续推进，确保件件有着落、事事有回音。",
        ),
    ),
]

SIGNATURE: Entries = [(B, ""), ("GBSignature", "{{ org }}"), ("GBSignature", "{{ date }}")]

BULLETIN: Entries = [
    ("GBTitle", 'title or org ~ "关于" ~ level ~ "整改进展情况的通报"'),
    (B, OPENING + "现将整改进展情况通报如下。"),
    *ORGANISATION,
    *FEEDBACK,
    *CASE_LEADS,
    *UNFINISHED,
    *NEXT_STEPS,
    *when(
        "contact",
        (
            B,
            "欢迎广大干部群众对{{ level }}整改落实情况进行监督。"
            "如有意见建议，请及时向我们反映。{{ contact }}。",
        ),
    ),
    *SIGNATURE,
]

REPORT: Entries = [
    ("GBTitle", 'org ~ "关于" ~ level ~ "整改情况的报告"'),
    ("GBAddressee", "{{ superior }}："),
    (B, OPENING + "现将整改情况报告如下。"),
    *ORGANISATION,
    *PRINCIPAL,
    *FEEDBACK,
    *CASE_LEADS,
    *UNFINISHED,
    *NEXT_STEPS,
    (B, "特此报告。"),
    *SIGNATURE,
]

PLAN: Entries = [
    ("GBTitle", 'org ~ "关于落实" ~ inspection_body ~ "反馈意见的整改方案"'),
    (
        B,
        "{% if feedback_date %}{{ feedback_date }}，{% endif %}{{ inspection_body }}向{{ org }}"
        "反馈了{{ level }}意见{% if totals.known %}，指出了"
        "{% if totals.categories %}{{ totals.categories }}个方面{% endif %}"
        "{{ totals.problems }}个问题"
        "{% endif %}。为切实抓好{{ level }}反馈意见的整改落实，制定本方案。",
    ),
    (H1, "一、总体要求"),
    (
        B,
        "坚持以问题为导向，把{{ level }}整改作为重大政治任务，坚持边查边改、立行立改，"
        "做到问题不查清不放过、整改不到位不放过、责任不落实不放过，确保反馈问题条条有整改、"
        "件件有着落。",
    ),
    (H1, "二、组织领导"),
    (B, "成立{{ org }}{{ level }}整改工作领导小组，统筹推进整改工作。"),
    *when("leadership.head", (B, "组　长：{{ leadership.head }}")),
    *when("leadership.deputies", (B, "副组长：{{ leadership.deputies }}")),
    *when("leadership.members", (B, "成　员：{{ leadership.members }}")),
    (B, "领导小组下设整改办公室，负责整改工作的日常调度、督促检查和台账管理。"),
    (H1, "三、整改任务"),
    (
        B,
        "对照{{ level }}反馈的问题，逐项明确整改目标、整改措施、责任领导、责任部门、责任人"
        "和整改时限，共制定整改措施{{ measures_count }}条，见附件整改任务清单。",
    ),
    (H1, "四、工作安排"),
    *when(
        "stages",
        (H2, "（一）动员部署阶段（{{ stages.mobilise }}）"),
        (B, "召开整改工作动员部署会，研究制定整改方案，细化分解整改任务。"),
        (H2, "（二）集中整改阶段（{{ stages.focused }}）"),
        (
            B,
            "各责任部门对照整改任务清单逐项整改，立行立改事项即知即改，限期整改事项按时完成，"
            "整改办公室每周调度整改进展。",
        ),
        (H2, "（三）巩固提升阶段（{{ stages.lasting }}）"),
        (
            B,
            "对需长期坚持的事项持续推进，对已完成的整改事项检查验收、对账销号，建立健全长效机制。",
        ),
    ),
    (H1, "五、工作要求"),
    (
        B,
        "各责任领导、责任部门要切实履行整改责任，按时报送整改进展和佐证材料；"
        "对整改不力、敷衍整改的，严肃追责问责。",
    ),
    (B, "附件：整改任务清单"),
    *SIGNATURE,
]

# (header, field, width in mm): 225 mm, the landscape text area, shared out by
# what a column holds at 五号 (3.6 mm a character condensed, 0.9 mm cell margins):
# 17 characters a line for the measures, the longest text of a row, and 7 for the
# category, repeated on each of its rows, so that rows stay short and four or
# five fit a page (seed 004: 90 rows on 24 pages); 6 for the problem, 4 for
# 立行立改 and every four-character header, 3 for a name. The widths are the
# template's, so an office may change them in Word.
PLAN_COLUMNS = (
    ("序号", "number", 10),
    ("问题类别", "category", 28),
    ("具体问题", "problem", 24),
    ("整改目标", "target", 18),
    ("整改措施", "measure", 64),
    ("整改类型", "kind", 17),
    ("责任领导", "leader", 17),
    ("责任部门", "department", 17),
    ("责任人", "person", 13),
    ("整改时限", "deadline", 17),
)
CELL_MARGIN_MM = 0.9
CLOSING_PARAGRAPHS = 2  # of text kept on the signature's page


def build(entries: Entries) -> DocxDocument:
    out = docx.Document()
    set_up(out)
    declare_fonts(out)  # Word and WPS without 仿宋_GB2312 fall back to 仿宋, and so on
    body = out.element.body
    for paragraph_element in list(body.iterchildren(docx.oxml.ns.qn("w:p"))):
        body.remove(paragraph_element)  # python-docx's template starts with an empty one
    for style_id, text in entries:
        if style_id == "GBTitle":  # a Jinja expression, set on balanced lines
            title_paragraph(out, text)
        else:
            paragraph(out, style_id, text)
    _keep_with_signature(out)
    return out


def _keep_with_signature(out: DocxDocument) -> None:
    """The last paragraphs of text kept on the page of the signature and date, so
    that neither is left alone on the last page (clause 7.3.5 puts them under the
    text). Paragraphs of ``{%p`` tags in between vanish when the document is
    filled, so the chain runs through them to the text above."""
    paragraphs = out.paragraphs
    styles = [p.style.style_id if p.style is not None else "" for p in paragraphs]
    if "GBSignature" not in styles:
        return
    last = len(styles) - 1 - styles[::-1].index("GBSignature")
    texts = 0
    for index in range(last - 1, -1, -1):
        paragraphs[index].paragraph_format.keep_with_next = True
        text = paragraphs[index].text
        if text and not text.startswith("{%p") and styles[index] != "GBSignature":
            texts += 1
            if texts == CLOSING_PARAGRAPHS:
                return


def add_task_table(out: DocxDocument) -> None:
    """整改任务清单 on landscape pages of their own, one row per measure."""
    section = out.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)
    no_line_grid(section)
    paragraph(out, "GBHeading1", "附件")
    paragraph(out, "GBTitle", "整改任务清单")
    table = out.add_table(rows=4, cols=len(PLAN_COLUMNS))
    table.style = out.styles["Table Grid"]
    rows = table.rows
    for index, (header, name, _) in enumerate(PLAN_COLUMNS):
        for row, text in (
            (0, header),
            (1, "{%tr for r in plan_rows %}" if index == 0 else ""),
            (2, "{{ r." + name + " }}"),
            (3, "{%tr endfor %}" if index == 0 else ""),
        ):
            cell = rows[row].cells[index]
            cell.paragraphs[0].style = out.styles[LOOKS["GBTable"].name]
            if row == 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = cell.paragraphs[0].add_run(text)
            set_fonts(run._r.get_or_add_rPr(), BODY_FONT, TABLE_PT, bold=row == 0)
    fixed_table(table, [width for _, _, width in PLAN_COLUMNS], CELL_MARGIN_MM)


def save(out: DocxDocument, path: Path) -> None:
    buffer = io.BytesIO()
    out.save(buffer)
    # fixed timestamps, so rebuilding an unchanged template changes no byte
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))


def main(target: Path = TARGET) -> None:
    target.mkdir(parents=True, exist_ok=True)
    save(build(BULLETIN), target / "bulletin.docx")
    save(build(REPORT), target / "report.docx")
    plan = build(PLAN)
    add_task_table(plan)
    save(plan, target / "plan.docx")
    print(f"wrote bulletin.docx, report.docx and plan.docx to {target}")


if __name__ == "__main__":
    main()
