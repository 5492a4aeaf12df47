"""Shared test helpers: the seed samples, their gold files, LibreOffice conversions."""

import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import docx

from zhenggai.core.model import Document, Problem
from zhenggai.core.writers.text import full_width

HERE = Path(__file__).parent
SAMPLES = sorted((HERE / "samples").glob("*.txt"))
ARTIFACTS = HERE.parent / "test-artifacts"


def gold(sample: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / "gold" / f"{sample.stem}.json").read_text("utf-8"))
    return data


def _problem(problem: Problem, sub: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {"title": problem.title, "measures": len(problem.measures)}
    if not sub:
        result["subproblems"] = [_problem(s, True) for s in problem.subproblems]
    return result


def outline(doc: Document) -> dict[str, Any]:
    """The parts of a parse that the gold files pin down."""
    full = doc.to_dict()
    result = {
        key: full[key]
        for key in ("title", "org", "inspection_body", "level", "onsite_period", "feedback_date")
    }
    result["categories"] = [
        {
            "title": c.title,
            "measures": len(c.measures),
            "problems": [_problem(p) for p in c.problems],
        }
        for c in doc.categories
    ]
    for key in ("stated_totals", "accountability", "contact"):
        result[key] = full[key]
    for key in ("regulations", "sanctions", "funds", "work"):  # the registers' facts
        result[key] = full[key]
    result["unfinished"] = [
        {"problem": u["problem"], "deadline": u["deadline"]} for u in full["unfinished"]
    ]
    return result


def structure(doc: Document) -> dict[str, Any]:
    """Everything a reader of the ledger relies on: outline, measure texts, facts."""
    full = doc.to_dict()
    for key in ("preamble", "sections", "closing", "meta", "warnings", "date"):
        full.pop(key)
    return full


def as_written(doc: Document) -> dict[str, Any]:
    """What a bulletin written from ``doc`` states, read back: its structure as printed,
    and the count of the regulations it names (「建立完善制度N项（《…》…）」)."""
    expected: dict[str, Any] = as_printed(structure(doc))
    if doc.regulations:
        expected["stated_totals"]["regulations"] = len(doc.regulations)
    return expected


def as_printed(value: Any) -> Any:
    """What a written document prints for a parsed value: its strings' half-width
    punctuation beside Chinese made full-width (core/writers/text.py full_width)."""
    if isinstance(value, str):
        return full_width(value)
    if isinstance(value, dict):
        return {k: as_printed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_printed(v) for v in value]
    return value


def convert(source: Path, target: str, outdir: Path) -> Path:
    """Convert with LibreOffice (installed by `make test`), a private profile per call."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    assert program, "LibreOffice is required by the test suite; `make test` installs it"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    produced = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert produced.exists(), f"LibreOffice did not produce {produced}"
    return produced


def reworded(template: bytes, edits: dict[str, str]) -> bytes:
    """A .docx template with some wording changed run by run, as an office does in Word;
    every edit must find its words."""
    document = docx.Document(io.BytesIO(template))
    found = set()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            for old, new in edits.items():
                if old in run.text:
                    run.text = run.text.replace(old, new)
                    found.add(old)
    assert found == set(edits), f"not in the template: {set(edits) - found}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
