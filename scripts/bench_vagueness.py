"""Precision and recall of the vagueness check on the labelled measures.

The set is tests/quality/measures.tsv (see the README beside it): the measures
of the five seed bulletins, labelled by hand, and written ones. One row per
split, then the whole set:

- ``dev``: what the word lists of zhenggai.core.quality are tuned on (it holds
  the spent ``held_out`` and ``held_out2`` rows too: see the README's history);
- ``held_out3``: THE CLEAN ESTIMATE — measures written and labelled by someone
  who never read the classifier or the other rows, scored once. Its errors are
  counted but not listed, so that reading this output does not spend it as well.

Target: precision ≥ 0.9 at recall ≥ 0.8, "vague" being the positive class.
Run: make bench-vagueness
"""

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from zhenggai.core.quality import vagueness

LABELLED = Path(__file__).parent.parent / "tests" / "quality" / "measures.tsv"
TARGET_PRECISION = 0.9
TARGET_RECALL = 0.8
TUNED = "dev"  # the only split whose misclassified texts are printed
CLEAN = "held_out3"  # the clean estimate


@dataclass(frozen=True)
class Row:
    label: str
    source: str
    split: str
    text: str


@dataclass(frozen=True)
class Score:
    rows: int
    vague: int
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.vague if self.vague else 1.0


def _rows() -> list[Row]:
    with LABELLED.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Row(r["label"], r["source"], r["split"], r["text"]) for r in reader]


def _score(rows: list[Row]) -> Score:
    flagged = [vagueness(row.text) is not None for row in rows]
    vague = [row.label == "vague" for row in rows]
    pairs = list(zip(flagged, vague, strict=True))
    return Score(
        rows=len(rows),
        vague=sum(vague),
        true_positive=sum(f and v for f, v in pairs),
        false_positive=sum(f and not v for f, v in pairs),
        false_negative=sum(v and not f for f, v in pairs),
    )


def _line(name: str, score: Score) -> str:
    met = score.precision >= TARGET_PRECISION and score.recall >= TARGET_RECALL
    return (
        f"{name:<10}{score.rows:>6}{score.vague:>7}{score.true_positive:>6}"
        f"{score.false_positive:>6}{score.false_negative:>6}"
        f"{score.precision:>11.3f}{score.recall:>8.3f}   {'met' if met else 'NOT met'}"
    )


def main() -> int:
    rows = _rows()
    splits = sorted({row.split for row in rows}, key=lambda split: (split != TUNED, split))
    print(
        f"{'set':<10}{'rows':>6}{'vague':>7}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}"
    )
    for split in splits:
        print(_line(split, _score([row for row in rows if row.split == split])))
    print(_line("all", _score(rows)))
    print(f"target: precision ≥ {TARGET_PRECISION} at recall ≥ {TARGET_RECALL}")
    print(f"clean estimate: {CLEAN} (written and labelled without sight of the classifier)")
    wrong = [
        row
        for row in rows
        if row.split == TUNED and (vagueness(row.text) is not None) != (row.label == "vague")
    ]
    print(
        f"\nmisclassified in {TUNED} ({len(wrong)}; other splits are not listed): label, source, text"
    )
    for row in wrong:
        print(f"  {row.label:<9}{row.source:<8}{row.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
