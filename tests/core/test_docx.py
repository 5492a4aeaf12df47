"""Seeds typed into Word (with automatic numbering) read as the text does."""

from pathlib import Path

import docx
import pytest

from tests.builders import text_to_docx
from tests.support import SAMPLES, structure
from zhenggai.core.readers import parse_file


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_docx_with_word_numbering_parses_like_the_text(sample: Path, tmp_path: Path) -> None:
    path = text_to_docx(sample.read_text("utf-8"), tmp_path / f"{sample.stem}.docx")
    assert structure(parse_file(path)) == structure(parse_file(sample))


def test_the_builder_really_uses_automatic_numbering(tmp_path: Path) -> None:
    path = text_to_docx(SAMPLES[4].read_text("utf-8"), tmp_path / "004.docx")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "二、巡察反馈问题的整改进展情况" not in texts
    assert "巡察反馈问题的整改进展情况" in texts
    assert not any(t.startswith("1.关于") for t in texts)


def test_a_plan_table_in_a_docx_is_read_as_a_ledger(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("某县文化馆巡察整改方案")
    table = document.add_table(rows=3, cols=5)
    rows = [
        ("序号", "问题类别", "具体问题", "整改措施", "责任部门"),
        (
            "1",
            "党的建设方面",
            "三会一课制度落实不严格",
            "1.制定年度学习计划\n2.建立考勤台账",
            "办公室",
        ),
        ("2", "党的建设方面", "党费收缴不规范", "一是补缴党费；二是按月公示", "财务室"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "plan.docx"
    document.save(str(path))
    doc = parse_file(path)
    assert doc.title == "某县文化馆巡察整改方案"
    assert [c.title for c in doc.categories] == ["党的建设方面"]
    problems = doc.categories[0].problems
    assert [p.title for p in problems] == ["三会一课制度落实不严格", "党费收缴不规范"]
    assert [m.text for m in problems[0].measures] == ["制定年度学习计划", "建立考勤台账"]
    assert [m.department for m in problems[1].measures] == ["财务室", "财务室"]


def test_a_docx_without_a_numbering_part_reads(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("根据县委统一部署，县委第一巡察组对县档案馆开展了巡察。")
    document.add_paragraph("1.贯彻落实不够有力。")
    document.add_paragraph("一是加强学习；二是建立台账。")
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/numbering"):
            del part.rels[rel_id]
    path = tmp_path / "plain.docx"
    document.save(str(path))
    assert len(parse_file(path).problems()[0].measures) == 2
