"""Seeds typed into Word and printed to PDF by LibreOffice read as the text does.

A PDF keeps glyphs and positions, not the spaces between them, so the two
parses are compared with whitespace removed from every string.
"""

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.builders import text_to_docx
from tests.support import ARTIFACTS, SAMPLES, convert, structure
from zhenggai.core.errors import ParseError
from zhenggai.core.readers import parse_bytes, parse_file


def _squeeze(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", "", value)
    if isinstance(value, dict):
        return {key: _squeeze(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_squeeze(item) for item in value]
    return value


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    made = {}
    for sample in SAMPLES:
        source = text_to_docx(sample.read_text("utf-8"), folder / f"{sample.stem}.docx")
        made[sample.stem] = convert(source, "pdf", folder)
    ARTIFACTS.mkdir(exist_ok=True)
    for path in made.values():
        shutil.copy(path, ARTIFACTS / path.name)
    return made


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_pdf_printed_by_libreoffice_parses_like_the_text(
    sample: Path, pdfs: dict[str, Path]
) -> None:
    from_pdf = parse_file(pdfs[sample.stem])
    assert _squeeze(structure(from_pdf)) == _squeeze(structure(parse_file(sample)))


def test_it_refuses_a_pdf_without_a_text_layer(tmp_path: Path) -> None:
    # a page with nothing drawn on it: what a scan looks like to a text extractor
    blank = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with pytest.raises(ParseError, match="没有文字层"):
        parse_bytes(blank, "scan.pdf")
