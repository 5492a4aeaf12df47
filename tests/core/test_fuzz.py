"""Random and truncated input: the parser answers with a document or its own clear
error, never another exception, and within a bounded time."""

import io
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import text_to_docx
from tests.support import SAMPLES, convert
from zhenggai.core.errors import ParseError
from zhenggai.core.readers import parse_bytes

SECONDS_PER_INPUT = 5.0
SUFFIXES = [".txt", ".docx", ".pdf", ".xlsx", ""]


def _parse_bounded(data: bytes, name: str) -> None:
    started = time.monotonic()
    try:
        parse_bytes(data, name)
    except ParseError as error:
        message = str(error)
        assert message and "\n" not in message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS_PER_INPUT, f"{name}: {elapsed:.1f} s"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_random_bytes(data: bytes, suffix: str) -> None:
    _parse_bounded(data, f"input{suffix}")


GRAMMAR = [
    "一、",
    "（一）",
    "(二)",
    "1.",
    "2、",
    "（1）",
    "①",
    "关于“",
    "”的问题",
    "针对",
    "问题",
    "方面",
    "聚焦",
    "一是",
    "二是",
    "整改进展情况：",
    "主要做法:",
    "存在问题：",
    "未完成整改原因：",
    "整改时限：",
    "2025年2月24日",
    "****年*月**日",
    "20191227",
    "5大类17项问题",
    "已有16项整改完毕",
    "批评教育2人",
    "对涉及该问题的1名人员进行谈话提醒",
    "《制度》",
    "电话：0595-1234567",
    "“",
    "”",
    "‘",
    "\n",
    "。",
    "，",
    "*",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(GRAMMAR), st.text(max_size=20)), max_size=200))
def test_random_text_in_the_documents_grammar(pieces: list[str]) -> None:
    _parse_bounded("".join(pieces).encode("utf-8"), "input.txt")


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("fuzz")
    text = SAMPLES[4].read_text("utf-8")
    docx_path = text_to_docx(text, folder / "seed.docx")
    book = openpyxl.Workbook()
    book.worksheets[0].append(["序号", "问题类别", "具体问题", "整改措施", "责任部门"])
    book.worksheets[0].append([1, "党建方面", "制度不健全", "一是建立制度；二是督促执行", "办公室"])
    buffer = io.BytesIO()
    book.save(buffer)
    return {
        ".txt": text.encode("utf-8"),
        ".docx": docx_path.read_bytes(),
        ".pdf": convert(docx_path, "pdf", folder).read_bytes(),
        ".xlsx": buffer.getvalue(),
    }


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf", ".xlsx"])
def test_truncated_and_corrupted_files(suffix: str, valid_files: dict[str, bytes]) -> None:
    data = valid_files[suffix]
    for fraction in (0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99):
        _parse_bounded(data[: int(len(data) * fraction)], f"cut{suffix}")
    for position in range(0, len(data), max(1, len(data) // 25)):
        flipped = bytearray(data)
        flipped[position] ^= 0xFF
        _parse_bounded(bytes(flipped), f"flipped{suffix}")
    _parse_bounded(data, f"whole{suffix}")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * (250 * 1024 * 1024))
    with pytest.raises(ParseError, match="解压后过大"):
        parse_bytes(buffer.getvalue(), "bomb.docx")
