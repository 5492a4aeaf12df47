"""Legacy .doc files go through LibreOffice; without it, a clear error says so."""

from pathlib import Path

import pytest

from tests.builders import text_to_docx
from tests.support import SAMPLES, convert, structure
from zhenggai.core.errors import ParseError
from zhenggai.core.readers import office, parse_file


def test_a_doc_file_is_converted_and_parses_like_the_text(tmp_path: Path) -> None:
    sample = SAMPLES[2]
    source = text_to_docx(sample.read_text("utf-8"), tmp_path / f"{sample.stem}.docx")
    legacy = convert(source, "doc:MS Word 97", tmp_path / "out")
    assert legacy.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # a real OLE .doc
    assert structure(parse_file(legacy)) == structure(parse_file(sample))


def test_without_libreoffice_a_doc_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "plan.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(ParseError, match="需要 LibreOffice") as error:
        parse_file(path)
    assert "\n" not in str(error.value)
