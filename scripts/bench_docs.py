"""Median time to write each document, for the largest seed and for a synthetic
60-problem inspection; the PDF conversion (LibreOffice) is timed apart. The .docx
documents are filled from the shipped templates, as an office without its own gets.

Target (issue 5): the bulletin .docx in under 0.3 s. Run: make bench-docs
"""

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from zhenggai.core.model import Category, Document, Measure, Problem
from zhenggai.core.readers import office, parse_bytes
from zhenggai.core.writers.context import SAMPLE_EXTRAS
from zhenggai.core.writers.docx import write_bulletin_docx, write_docx
from zhenggai.core.writers.text import write_text
from zhenggai.core.writers.xlsx_ledger import write_ledger_xlsx

SAMPLES = Path(__file__).parent.parent / "tests" / "samples"
ROUNDS = 21
PDF_ROUNDS = 3  # LibreOffice takes seconds a run
TARGET_S = 0.3

WRITERS: dict[str, Callable[[Document], bytes]] = {
    "bulletin .txt": lambda doc: write_text(doc).encode("utf-8"),
    "bulletin .docx": write_bulletin_docx,
    "report .docx": lambda doc: write_docx("report", doc, extras=SAMPLE_EXTRAS),
    "plan .docx": lambda doc: write_docx("plan", doc, extras=SAMPLE_EXTRAS),
    "ledger .xlsx": write_ledger_xlsx,
}


def _largest_seed() -> tuple[str, Document]:
    path = max(SAMPLES.glob("*.txt"), key=lambda p: len(p.read_text(encoding="utf-8")))
    return path.name, parse_bytes(path.read_bytes(), path.name)


def _synthetic(problems: int = 60, per_category: int = 12, measures: int = 4) -> Document:
    """A large county inspection: five categories of twelve problems, four measures each."""
    deadline = dt.date(2026, 6, 30)
    categories = []
    for c in range(problems // per_category):
        found = [
            Problem(
                f"第{c + 1}方面第{p + 1}个问题：制度执行不严格，台账记录不完整",
                measures=[
                    Measure(
                        f"组织专题学习并修订第{m + 1}项制度，建立月度检查台账，逐项对账销号。",
                        leader="李明",
                        department="办公室",
                        person="王芳",
                        deadline=deadline,
                    )
                    for m in range(measures)
                ],
            )
            for p in range(per_category)
        ]
        categories.append(Category(f"在落实第{c + 1}项重点任务方面", problems=found))
    return Document(title="某县融媒体中心关于巡察整改进展情况的通报", categories=categories)


def _median(write: Callable[[Document], bytes], doc: Document, rounds: int) -> float:
    write(doc)  # warm-up: imports, templates
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        write(doc)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _pdf(doc: Document) -> bytes:
    """The bulletin's conversion alone: its .docx is written once, in the warm-up."""
    if id(doc) not in _DOCX:
        _DOCX[id(doc)] = write_bulletin_docx(doc)
    return office.convert(_DOCX[id(doc)], ".docx", "pdf")


_DOCX: dict[int, bytes] = {}


def main() -> int:
    cases = [_largest_seed(), ("synthetic, 60 problems", _synthetic())]
    print(f"{'document':<26}{'writing':<18}{'median ms':>11}")
    met = True
    for name, doc in cases:
        for kind, write in WRITERS.items():
            seconds = _median(write, doc, ROUNDS)
            print(f"{name:<26}{kind:<18}{seconds * 1000:>11.1f}")
            if kind == "bulletin .docx":
                met = met and seconds < TARGET_S
    print(f"target: bulletin .docx < {TARGET_S * 1000:.0f} ms: {'met' if met else 'NOT met'}")
    if office.soffice() is None:
        print("PDF: LibreOffice is not installed; not measured")
        return 0
    for name, doc in cases:
        seconds = _median(_pdf, doc, PDF_ROUNDS)
        print(f"{name:<26}{'.docx → .pdf':<18}{seconds * 1000:>11.1f}  (LibreOffice, apart)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
