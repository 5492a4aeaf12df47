"""Plain text saved in any of the encodings Chinese offices use reads the same."""

from pathlib import Path

import pytest

from tests.support import SAMPLES, structure
from zhenggai.core.errors import ParseError
from zhenggai.core.readers import parse_bytes, parse_file

ENCODINGS = ["utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_reads_like_utf8(encoding: str) -> None:
    for sample in SAMPLES:
        # GBK has no no-break space; the parser reads it as a space anyway
        text = sample.read_text("utf-8").replace("\xa0", " ")
        data = text.encode(encoding)
        assert structure(parse_bytes(data, "x.txt")) == structure(parse_file(sample)), sample.name


def test_windows_line_endings_are_paragraph_ends(tmp_path: Path) -> None:
    sample = SAMPLES[1]
    path = tmp_path / "crlf.txt"
    path.write_bytes(sample.read_text("utf-8").replace("\n", "\r\n").encode("gb18030"))
    assert structure(parse_file(path)) == structure(parse_file(sample))


def test_binary_data_is_not_taken_for_text() -> None:
    with pytest.raises(ParseError, match="无法识别的文本"):
        parse_bytes(bytes(range(256)) * 8, "x.txt")


def test_whitespace_only_is_an_empty_document() -> None:
    with pytest.raises(ParseError, match="没有可读的文字"):
        parse_bytes("  \n\t\n　\n".encode(), "x.txt")
