"""zhenggai report: an inspection's ledger written out as a document, in the format of
the output file's suffix; a refused request writes nothing."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pdfminer.high_level import extract_text

from tests.support import ARTIFACTS, SAMPLES
from zhenggai.core.readers import office, parse_bytes
from zhenggai.inspections.models import Problem

pytestmark = pytest.mark.django_db

SEED = SAMPLES[4]


@pytest.fixture
def inspection(capsys: pytest.CaptureFixture[str]) -> int:
    call_command("import", str(SEED), "--org", "晋江市融媒体中心", "--json")
    result: dict[str, int] = json.loads(capsys.readouterr().out)
    return result["inspection"]


def _titles(inspection: int) -> list[str]:
    titles = Problem.objects.filter(inspection_id=inspection).order_by("pk")
    return [title or "" for title in titles.values_list("title", flat=True)]


def _report(inspection: int, kind: str, out: Path) -> None:
    call_command("report", str(inspection), "--kind", kind, "--out", str(out))


def test_it_writes_the_bulletin_docx_that_parses_back_to_the_ledger(
    inspection: int, tmp_path: Path
) -> None:
    out = tmp_path / "通报.docx"
    _report(inspection, "bulletin", out)
    again = parse_bytes(out.read_bytes(), out.name)
    titles = [p.title for p in again.problems()] + [
        s.title for p in again.problems() for s in p.subproblems
    ]
    assert sorted(t or "" for t in titles) == sorted(_titles(inspection))
    assert again.warnings == []


def test_it_writes_the_bulletin_as_text(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "通报.txt"
    _report(inspection, "bulletin", out)
    text = out.read_text("utf-8")
    assert all(title in text for title in _titles(inspection))
    assert parse_bytes(out.read_bytes(), out.name).warnings == []


def test_it_prints_the_bulletin_to_pdf_through_libreoffice(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "report-bulletin.pdf"
    _report(inspection, "bulletin", out)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(out, ARTIFACTS / out.name)
    # a PDF keeps glyphs, not line breaks; page numbers sit between the pages' text
    text = re.sub(r"—\d+—", "", re.sub(r"\s+", "", extract_text(str(out))))
    missing = [t for t in _titles(inspection) if re.sub(r"\s+", "", t) not in text]
    assert missing == []
    # Its pages as pictures, to look at (poppler's pdftoppm, from scripts/bootstrap.sh).
    for old in ARTIFACTS.glob("report-bulletin-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(out), str(ARTIFACTS / "report-bulletin")],
        check=True,
        timeout=120,
    )
    assert sorted(ARTIFACTS.glob("report-bulletin-*.png"))


def test_it_refuses_an_unknown_inspection_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    with pytest.raises(CommandError, match="找不到编号为 999 的巡察"):
        _report(999, "bulletin", out)
    assert not out.exists()


def test_it_refuses_a_suffix_that_does_not_fit_the_kind(inspection: int, tmp_path: Path) -> None:
    out = tmp_path / "通报.xlsx"
    with pytest.raises(CommandError, match=re.escape("不能输出为“.xlsx”文件")) as refused:
        _report(inspection, "bulletin", out)
    assert ".docx" in str(refused.value)
    assert not out.exists()


@pytest.mark.parametrize("kind", ["plan", "report"])
def test_it_names_what_is_supported_for_a_kind_not_yet_written(
    inspection: int, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "文书.docx"
    with pytest.raises(CommandError, match="尚未支持") as refused:
        _report(inspection, kind, out)
    assert "整改进展情况的通报（.docx、.txt、.pdf）" in str(refused.value)
    assert not out.exists()


def test_it_writes_the_ledger_xlsx_when_the_writer_is_installed(
    inspection: int, tmp_path: Path
) -> None:
    pytest.importorskip("zhenggai.core.writers.xlsx_ledger")
    out = tmp_path / "台账.xlsx"
    _report(inspection, "ledger", out)
    again = parse_bytes(out.read_bytes(), out.name)
    assert {p.title for p in again.problems()} <= set(_titles(inspection))
    assert again.problems()


def test_it_asks_for_libreoffice_when_a_pdf_cannot_be_made(
    inspection: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    out = tmp_path / "通报.pdf"
    with pytest.raises(CommandError, match="需要 LibreOffice"):
        _report(inspection, "bulletin", out)
    assert not out.exists()
