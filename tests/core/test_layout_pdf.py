"""The written documents as a clerk prints them: each .docx converted once by
LibreOffice (with the project's font mapping, as the application does) and its
pages read back with pdfminer.

Page images of every kind land in test-artifacts/layout/ to be looked at.
"""

import io
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.shared import Emu
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTPage

from tests.support import ARTIFACTS, SAMPLES
from zhenggai.core.readers import office, parse_file
from zhenggai.core.writers.context import SAMPLE_EXTRAS
from zhenggai.core.writers.docx import write_docx

pytestmark = pytest.mark.skipif(office.soffice() is None, reason="needs LibreOffice")

SEED_004 = next(s for s in SAMPLES if s.stem.startswith("004"))
HEADINGS = ("GBHeading1", "GBHeading2", "GBHeading3", "GBHeading4")
PT_PER_MM = 72 / 25.4
# the plan's landscape text area starts 37 mm in; the measures column follows
# 序号, 问题类别, 具体问题 and 整改目标 (scripts/build_templates.py)
MEASURES_MM = (37 + 10 + 28 + 24 + 18, 37 + 10 + 28 + 24 + 18 + 64)
IMAGES = ARTIFACTS / "layout"
OVERHANG_PT = 1  # what a glyph's box may stand past the text block


@dataclass
class Written:
    docx: bytes
    pages: list[LTPage]


def _chars(item: LTComponent) -> Iterator[LTChar]:
    if isinstance(item, LTChar):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _chars(child)


def lines(page: LTPage) -> list[tuple[float, str]]:
    """The page's lines of text, top first: characters grouped by their baseline
    (pdfminer's own lines may join the cells of a table row)."""
    rows: dict[int, list[LTChar]] = defaultdict(list)
    for char in _chars(page):
        rows[round(char.y0)].append(char)
    return [
        (y, "".join(c.get_text() for c in sorted(chars, key=lambda c: c.x0)).strip())
        for y, chars in sorted(rows.items(), reverse=True)
    ]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _body_lines(page: LTPage) -> list[str]:
    """Lines without the page number 「— 1 —」."""
    return [t for _, t in lines(page) if t and not re.fullmatch(r"—\s*\d+\s*—", t)]


def _save_images(name: str, pdf: Path, count: int) -> None:
    program = shutil.which("pdftoppm")
    if program is None:
        return
    IMAGES.mkdir(parents=True, exist_ok=True)
    for stale in IMAGES.glob(f"{name}-p*.png"):  # a last page of an earlier, longer run
        stale.unlink()
    for page in sorted({1, min(3, count), count}):
        target = IMAGES / f"{name}-p{page}"
        arguments = ["-r", "60", "-png", "-f", str(page), "-l", str(page), str(pdf), str(target)]
        subprocess.run(
            [program, *arguments],
            check=True,
            timeout=60,
        )


def _write(name: str, data: bytes, folder: Path) -> Written:
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(office.convert(data, ".docx", "pdf"))
    pages = list(extract_pages(pdf))
    _save_images(name, pdf, len(pages))
    return Written(data, pages)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Written]:
    """Seed 004's three documents and every other seed's bulletin, converted once."""
    folder = tmp_path_factory.mktemp("layout")
    made = {}
    doc = parse_file(SEED_004)
    for kind in ("plan", "report", "bulletin"):
        made[f"{kind}-004"] = _write(
            f"{kind}-004", write_docx(kind, doc, extras=SAMPLE_EXTRAS), folder
        )
    for sample in SAMPLES:
        if sample != SEED_004:
            name = f"bulletin-{sample.stem[:3]}"
            made[name] = _write(name, write_docx("bulletin", parse_file(sample)), folder)
    return made


def _styled(data: bytes, style_ids: tuple[str, ...]) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [
        _squeeze(p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.style_id in style_ids and p.text.strip()
    ]


def test_no_page_ends_with_a_heading(written: dict[str, Written]) -> None:
    ending = []
    for name, document in written.items():
        headings = _styled(document.docx, HEADINGS)
        for number, page in enumerate(document.pages[:-1], start=1):
            last = _squeeze(_body_lines(page)[-1]) if _body_lines(page) else ""
            if len(last) >= 4 and any(h.endswith(last) for h in headings):
                ending.append(f"{name} p{number}: {last}")
    assert ending == []


def test_the_signature_has_body_text_above_it_on_its_page(written: dict[str, Written]) -> None:
    for name, document in written.items():
        signature = _styled(document.docx, ("GBSignature",))
        assert signature, name
        # the last line that names the office: the title may begin with its name too
        page = next(
            p
            for p in reversed(document.pages)
            if signature[0] in [_squeeze(t) for t in _body_lines(p)]
        )
        above = [_squeeze(t) for t in _body_lines(page)]
        above = above[: len(above) - 1 - above[::-1].index(signature[0])]
        assert any(len(t) >= 4 for t in above), f"{name}: the signature stands alone"


def _landscape(document: Written) -> list[LTPage]:
    return [p for p in document.pages if p.width > p.height]


def test_the_plans_task_table_repeats_its_header_on_every_page(
    written: dict[str, Written],
) -> None:
    pages = _landscape(written["plan-004"])
    assert len(pages) > 1
    for page in pages:
        assert any(_squeeze(t).startswith("序号问题类别具体问题") for _, t in lines(page))


def test_the_plans_measures_column_holds_twelve_characters_a_line(
    written: dict[str, Written],
) -> None:
    left, right = (mm * PT_PER_MM for mm in MEASURES_MM)
    widest = 0
    for page in _landscape(written["plan-004"]):
        per_line: dict[int, int] = defaultdict(int)
        for char in _chars(page):
            if left <= char.x0 and char.x1 <= right and "\u4e00" <= char.get_text() <= "\u9fff":
                per_line[round(char.y0)] += 1
        widest = max([widest, *per_line.values()])
    assert widest >= 12


def _right_edges(data: bytes) -> dict[bool, float]:
    """The text block's right edge in points, by whether the page is landscape, from
    the written document's own sections (GB/T 9704: 210 mm less a 26 mm margin)."""
    edges = {}
    for section in docx.Document(io.BytesIO(data)).sections:
        width, right = section.page_width, section.right_margin
        assert width is not None and right is not None
        edges[width > (section.page_height or 0)] = Emu(width - right).pt
    return edges


def test_no_character_hangs_past_the_right_margin(written: dict[str, Written]) -> None:
    """Line-end punctuation stays inside the text block (版心), not hung into the margin."""
    hanging: dict[str, list[str]] = {}
    for name, document in written.items():
        edges = _right_edges(document.docx)
        for number, page in enumerate(document.pages, start=1):
            edge = edges[page.width > page.height] + OVERHANG_PT
            past = [c.get_text() for c in _chars(page) if c.x1 > edge and c.get_text().strip()]
            if past:
                hanging[f"{name} p{number}"] = past
    assert hanging == {}, f"{sum(map(len, hanging.values()))} characters on {len(hanging)} pages"


def test_the_plan_of_seed_004_stays_short(written: dict[str, Written]) -> None:
    # 146 pages before its table had widths and left the line grid, 26 with each row
    # repeating its category; 23 with a category and a problem named once.
    assert len(written["plan-004"].pages) < 25
