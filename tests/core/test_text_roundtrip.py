"""A parsed seed written back as text, in its own style, parses to the same ledger."""

from pathlib import Path

import pytest

from tests.support import SAMPLES, structure
from zhenggai.core.readers import parse_bytes, parse_file
from zhenggai.core.writers.text import write_text

STYLE_OF = {
    "000": "against",
    "001": "aspect-in",
    "002": "numbered",
    "003": "quoted",
    "004": "aspect-focus",
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_seed_survives_writing_and_reading_back(sample: Path) -> None:
    original = parse_file(sample)
    written = write_text(original, STYLE_OF[sample.stem[:3]])
    again = parse_bytes(written.encode("utf-8"), "written.txt")
    expected = structure(original)
    actual = structure(again)
    # the writer computes its own wording around the figures; regulations come from measures
    assert actual == expected
    # Writing adds no warning; a contradiction of the source (seed 004's accountability
    # summary against its problems' figures) is carried, and found again.
    assert [w.why for w in again.warnings] == [w.why for w in original.warnings]
