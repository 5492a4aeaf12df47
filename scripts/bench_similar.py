"""举一反三: how well and how fast similar problems are found, and topics suggested.

The labelled set is tests/similar/problems.json (the problems of the five seed
bulletins, parsed from src/zhenggai/demo_data/, and problems written for the
set, hard negatives among them). Every problem whose main label is shared by a
problem of another organisation is a query; its relevant problems are those.

- precision@5: of the first five hits (other organisations only), the share that
  is relevant; a query with fewer than five relevant problems is divided by that
  number instead (R-precision-style: min(5, relevant)), so a perfect ranking
  scores 1 whatever the query.
- MRR: the mean of 1 / the rank of the first relevant hit.
- held out: the queries whose id hashes to 0 mod 4, fixed before any tuning and
  never looked at while choosing the tokenizer or the word lists.

The tokenizers are compared (jieba words or character bigrams, with and without
the boilerplate words), then the chosen one is timed on a pool of 30,000
problems made by repeating the set. Last, the topic suggestion's accuracy on
tests/similar/topics.json: keyword rules, and the nearest labelled problem.

Target: precision@5 ≥ 0.8.  Run: make bench-similar
"""

import hashlib
import json
import operator
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from zhenggai.core import similar, topics
from zhenggai.core.model import Problem
from zhenggai.core.readers import parse_file

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "similar" / "problems.json"
TOPICS = ROOT / "tests" / "similar" / "topics.json"
SEEDS = ROOT / "src" / "zhenggai" / "demo_data"
TARGET = 0.8
POOL = 30_000


@dataclass(frozen=True)
class Labelled:
    id: str
    organisation: str
    labels: tuple[str, ...]
    text: str
    category: str  # its category's heading, measured apart

    @property
    def held_out(self) -> bool:
        return int(hashlib.sha1(self.id.encode()).hexdigest(), 16) % 4 == 0


def _seed_texts() -> dict[str, tuple[str, str]]:
    """Each seed problem's text and category heading by its id:
    seed-<file>:c<category>p<problem>[.<sub>]."""
    found: dict[str, tuple[str, str]] = {}

    def walk(file: str, c: int, category: str | None, problems: list[Problem], up: str) -> None:
        for p, problem in enumerate(problems):
            path = f"{up}{p}"
            text = similar.problem_text(problem.title, problem.description)
            found[f"seed-{file}:c{c}p{path}"] = (text, category or "")
            walk(file, c, category, problem.subproblems, f"{path}.")

    for source in sorted(SEEDS.glob("*.txt")):
        for c, category in enumerate(parse_file(source).categories):
            walk(source.name[:3], c, category.title, category.problems, "")
    return found


def load() -> list[Labelled]:
    seeds = _seed_texts()
    rows = json.loads(LABELLED.read_text(encoding="utf-8"))["problems"]
    return [
        Labelled(
            row["id"],
            row["organisation"],
            tuple(row["labels"]),
            *(
                seeds[row["id"]]
                if row["id"] in seeds
                else (similar.problem_text(row["title"], row["description"]), row["category"])
            ),
        )
        for row in rows
    ]


def relevant(query: Labelled, pool: Sequence[Labelled]) -> set[str]:
    return {
        p.id for p in pool if p.organisation != query.organisation and query.labels[0] in p.labels
    }


@dataclass(frozen=True)
class Scores:
    precision: float
    mrr: float
    queries: int


def evaluate(
    pool: Sequence[Labelled],
    tokenizer: similar.Tokenizer,
    held_out: bool | None,
    feedback: bool = True,
) -> Scores:
    """precision@5 and MRR over the queries (all of them when ``held_out`` is None),
    the queries expanded by their first hits (``similar.FEEDBACK_*``) or not."""
    index: similar.Index[int] = similar.Index(tokenizer)
    for i, p in enumerate(pool):
        index.add(i, p.text)
    precisions, ranks = [], []
    for query in pool:
        wanted = relevant(query, pool)
        if not wanted or (held_out is not None and query.held_out != held_out):
            continue

        def elsewhere(i: int, q: Labelled = query) -> bool:
            return pool[i].organisation != q.organisation

        hits = index.rank(query.text, 5, elsewhere, feedback)
        found = [pool[h.key].id in wanted for h in hits]
        precisions.append(sum(found) / min(5, len(wanted)))
        ranks.append(next((1 / (r + 1) for r, ok in enumerate(found) if ok), 0.0))
    return Scores(statistics.mean(precisions), statistics.mean(ranks), len(precisions))


NOTHING: frozenset[str] = frozenset()
TOKENIZERS: dict[str, similar.Tokenizer] = {
    "words + concepts, boilerplate dropped": similar.words,
    "words + concepts counted once": lambda text: similar.words(text, weight=1),
    "words, boilerplate dropped": lambda text: similar.words(text, weight=0),
    "words, all kept": lambda text: similar.words(text, NOTHING, 0),
    "bigrams + concepts, boilerplate dropped": similar.bigrams,
    "bigrams, boilerplate dropped": lambda text: similar.bigrams(text, weight=0),
    "bigrams, all kept": lambda text: similar.bigrams(text, NOTHING, 0),
    "concepts alone": similar.concepts,
}


def _with_category(pool: Sequence[Labelled]) -> list[Labelled]:
    return [replace(p, text=similar.problem_text(p.text, None, p.category)) for p in pool]


def compare(pool: Sequence[Labelled]) -> bool:
    """Every tokenizer on the problems' text, with and without the query's feedback
    expansion; the chosen one (the first) again with the category's heading added.
    True when the chosen one meets the target."""
    print(f"{'tokenizer':56} {'P@5 all':>8} {'MRR all':>8} {'P@5 held':>9} {'MRR held':>9}")
    runs = [
        (f"{name}{'' if feedback else ', no feedback'}", tokenizer, pool, feedback)
        for name, tokenizer in TOKENIZERS.items()
        for feedback in (True, False)
    ]
    runs.append(
        ("words + concepts, with the category heading", similar.words, _with_category(pool), True)
    )
    for name, tokenizer, texts, feedback in runs:
        whole = evaluate(texts, tokenizer, None, feedback)
        held = evaluate(texts, tokenizer, True, feedback)
        print(
            f"{name:56} {whole.precision:8.3f} {whole.mrr:8.3f} {held.precision:9.3f} {held.mrr:9.3f}"
        )
    chosen = (evaluate(pool, similar.words, None), evaluate(pool, similar.words, True))
    print(
        f"chosen: the first. {chosen[0].queries} queries ({chosen[1].queries} held out), pool of {len(pool)}"
    )
    return chosen[0].precision >= TARGET and chosen[1].precision >= TARGET


def timing(pool: Sequence[Labelled]) -> None:
    """Index 30,000 problems (the set repeated) and rank each labelled query in them."""
    texts = [pool[i % len(pool)].text for i in range(POOL)]
    started = time.perf_counter()
    terms = [similar.words(t) for t in texts]
    cut = time.perf_counter() - started
    index: similar.Index[int] = similar.Index()
    started = time.perf_counter()
    for i, t in enumerate(terms):
        index.add_terms(i, t)
    built = time.perf_counter() - started
    times = []
    for query in pool:
        started = time.perf_counter()
        index.rank(query.text, 5)
        times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"pool of {POOL:,}: segmenting {cut:.1f} s (once, then cached), indexing {built:.2f} s; "
        f"per query median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms"
    )


def topic_accuracy(pool: Sequence[Labelled]) -> None:
    """Keyword rules, and the topic of the nearest other labelled problem (BM25)."""
    of_label = json.loads(TOPICS.read_text(encoding="utf-8"))["labels"]
    truth = [of_label[p.labels[0]] for p in pool]
    rules = [topics.suggest(p.text) == t for p, t in zip(pool, truth, strict=True)]
    index: similar.Index[int] = similar.Index()
    for i, p in enumerate(pool):
        index.add(i, p.text)
    nearest = []
    for i, p in enumerate(pool):
        hits = index.rank(p.text, 1, partial(operator.ne, i))
        nearest.append(bool(hits) and truth[hits[0].key] == truth[i])
    held = [i for i, p in enumerate(pool) if p.held_out]
    for name, right in (("keyword rules", rules), ("nearest labelled (BM25)", nearest)):

        def share(ids: Sequence[int], r: list[bool] = right) -> float:
            return sum(r[i] for i in ids) / len(ids)

        print(
            f"topic by {name:24} accuracy {share(range(len(pool))):.3f} "
            f"(held out {share(held):.3f}, {len(held)} problems)"
        )


def main() -> int:
    pool = load()
    met = compare(pool)
    timing(pool)
    topic_accuracy(pool)
    print(f"target precision@5 ≥ {TARGET}: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
