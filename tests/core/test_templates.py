"""The documents' wording lives in .docx templates: an office's edits change the words
and leave every computed part right; a broken or hostile template is refused."""

import importlib.util
import io
import zipfile
from pathlib import Path

import docx
import pytest

from tests.support import SAMPLES, as_written, reworded, structure
from zhenggai.core.errors import ParseError
from zhenggai.core.model import Document
from zhenggai.core.readers import parse_bytes, parse_file
from zhenggai.core.writers.context import SAMPLE, SAMPLE_EXTRAS, document_context
from zhenggai.core.writers.docx import write_bulletin_docx, write_docx
from zhenggai.core.writers.templating import (
    KINDS,
    MAX_TEMPLATE_BYTES,
    MAX_UNPACKED_BYTES,
    default_template,
)


def _edited(kind: str, edits: dict[str, str]) -> bytes:
    return reworded(default_template(kind), edits)


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


EDITS = {
    "一、组织整改工作情况": "一、加强组织领导、压实整改责任情况",
    "现将整改进展情况通报如下。": "现将有关情况通报如下。",
    "欢迎广大干部群众对": "诚恳欢迎社会各界对",
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_an_edited_template_changes_the_words_and_keeps_the_figures(sample: Path) -> None:
    original = parse_file(sample)
    written = write_bulletin_docx(original, template=_edited("bulletin", EDITS))
    text = _text(written)
    for old, new in EDITS.items():
        if old.startswith("欢迎") and not original.contact.phone and not original.contact.email:
            continue  # no contact block in this seed
        assert new in text and old not in text
    again = parse_bytes(written, "edited.docx")
    expected, actual = as_written(original), structure(again)
    if original.title is None:  # the bulletin gets a title of its own
        expected.pop("title"), actual.pop("title")
    assert actual == expected  # categories, problems, measures, totals, accountability, contact
    # Writing adds no warning; a contradiction of the source (seed 004's accountability
    # summary against its problems' figures) is carried, and found again.
    assert [w.why for w in again.warnings] == [w.why for w in original.warnings]


def test_the_edited_plan_keeps_its_computed_table() -> None:
    edited = _edited("plan", {"一、总体要求": "一、指导思想和目标任务"})
    plan = docx.Document(io.BytesIO(write_docx("plan", SAMPLE, template=edited)))
    assert plan.paragraphs[2].text == "一、指导思想和目标任务"
    rows = [[cell.text for cell in row.cells] for row in plan.tables[0].rows]
    assert [row[4] for row in rows[1:]] == [
        "开展专题研讨",
        "修订学习制度",
        "每月集中学习",
        "补齐记录",
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_every_part_of_the_sample_ledger_is_written(kind: str) -> None:
    text = _text(write_docx(kind, SAMPLE, extras=SAMPLE_EXTRAS))
    expected = {
        "bulletin": [
            "问题线索2件",
            "已办结1件",
            "批评教育1人",
            "整改涉及资金合计7.132万元",
            "0000-1234567",
        ],
        "report": [
            "问题线索2件",
            "建立完善制度1项（《学习制度》）",
            "整改时限：长期坚持",
            "特此报告。",
            "主要负责人组织落实情况：张书记作为整改第一责任人",
        ],
        "plan": ["组　长：张书记", "成　员：办公室、组织科", "2025年6月5日至2025年6月12日"],
    }[kind]
    assert [part for part in expected if part not in text] == []


def _with_body_text(kind: str, text: str) -> bytes:
    """The default template with one more paragraph of the office's own text."""
    template = docx.Document(io.BytesIO(default_template(kind)))
    template.add_paragraph(text)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{{ org ", "语法错误"),
        ("{% for x in %}", "语法错误"),
        ("{{ no_such_name }}", "未知的名称"),
        ("{{ ''.__class__.__mro__ }}", "不允许"),
        ("{{ cycler.__init__.__globals__ }}", "不允许|未知的名称"),
    ],
)
def test_a_broken_or_hostile_template_is_refused_in_chinese(text: str, why: str) -> None:
    with pytest.raises(ParseError, match=why):
        write_bulletin_docx(SAMPLE, template=_with_body_text("bulletin", text))


def test_a_file_that_is_not_a_docx_is_refused() -> None:
    with pytest.raises(ParseError, match=r"不是 \.docx 文件"):
        write_bulletin_docx(SAMPLE, template=b"%PDF-1.7 not a template")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "一个压缩包")
    with pytest.raises(ParseError, match="无法打开"):
        write_bulletin_docx(SAMPLE, template=archive.getvalue())
    with pytest.raises(ParseError, match="过大"):
        write_bulletin_docx(SAMPLE, template=b"PK" + b"\0" * MAX_TEMPLATE_BYTES)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert len(bomb.getvalue()) < MAX_TEMPLATE_BYTES
    with pytest.raises(ParseError, match="解压后过大"):
        write_bulletin_docx(SAMPLE, template=bomb.getvalue())


def test_hostile_ledger_text_is_written_as_text() -> None:
    hostile = "</w:t></w:r><w:r><w:t>注入{{ 7*7 }}{% if 1 %}<script>&amp;\x07"
    doc = Document(**{**SAMPLE.__dict__})
    doc.categories = [
        type(c)(hostile, [type(p)(hostile, measures=p.measures) for p in c.problems])
        for c in SAMPLE.categories
    ]
    text = _text(write_bulletin_docx(doc))
    shown = hostile.replace("\x07", "")  # a control character XML cannot carry
    assert f"（一）{shown}" in text
    assert f"1.关于{shown}的问题" in text
    assert "注入49" not in text


def test_the_shipped_templates_are_what_the_build_script_makes(tmp_path: Path) -> None:
    """scripts/build_templates.py is where the default wording is changed."""
    script = Path(__file__).parents[2] / "scripts" / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", script)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.main(tmp_path)
    for kind in KINDS:
        assert (tmp_path / f"{kind}.docx").read_bytes() == default_template(kind), kind


def test_the_task_table_names_a_category_and_a_problem_on_their_first_row() -> None:
    rows = document_context(SAMPLE, SAMPLE_EXTRAS)["plan_rows"]
    assert [(r["category"], r["problem"]) for r in rows] == [
        ("政治建设方面", ""),  # the category's own measure
        ("", "理论学习不深入"),
        ("", ""),
        ("", ""),  # the sub-problem's measure, under its problem
    ]
    assert [r["measure"] for r in rows] == [
        "开展专题研讨",
        "修订学习制度",
        "每月集中学习",
        "补齐记录",
    ]
