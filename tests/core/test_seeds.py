"""The five published bulletins parse into the structure their gold files record."""

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support import SAMPLES, gold, outline
from zhenggai.core.readers import parse_file
from zhenggai.core.structure.paragraphs import clean


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_it_parses_each_seed_as_its_gold_file_says(sample: Path) -> None:
    assert outline(parse_file(sample)) == gold(sample)


def test_gold_files_cover_every_seed() -> None:
    assert len(SAMPLES) == 5
    problems = sum(len(c["problems"]) for s in SAMPLES for c in gold(s)["categories"])
    assert problems == 31 + 17 + 4 + 9 + 11


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


# The document's grammar, which the model keeps as structure rather than text.
_STRUCTURAL = re.compile(
    r"[一二三四五六七八九十]+是|^[（(]?[一二三四五六七八九十\d]+[）)]?[、.．]?|关于|针对|的问题|问题的整改进展情况|问题"
    r"|方面|[“”]|(?:整改落实情况|整改进展情况|整改措施|主要做法|存在问题|未完成整改原因|下一步整改措施|整改时限)\s*[:：]?"
)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_text_of_every_paragraph_ends_up_in_the_model(sample: Path) -> None:
    model = "\n".join(_strings(parse_file(sample).to_dict()))
    for line in sample.read_text("utf-8").splitlines():
        for chunk in _STRUCTURAL.split(clean(line)):
            chunk = chunk.strip(" ；;，,。")
            assert len(chunk) < 2 or chunk in model, f"lost: {chunk!r} of {line[:40]!r}"


def test_masked_text_is_kept_verbatim() -> None:
    doc = parse_file(SAMPLES[0])
    assert doc.onsite_period.start is None and doc.feedback_date is None
    assert "“**声音”" in doc.categories[0].problems[6].measures[0].text
    assert "****-****三年重点宣传工作方案" in doc.regulations


def test_a_seed_reads_its_document_date_and_meta() -> None:
    doc = parse_file(SAMPLES[1])
    assert doc.date is not None and doc.date.isoformat() == "2019-12-27"
    assert doc.meta == ["2019-12-27 15:24", "来源: 区融媒体中心"]
