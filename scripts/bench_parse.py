"""Median time to parse each demo document, after start-up, and the throughput.

Target (issue 2): the largest seed parses in under 20 ms. Run: make bench-parse
"""

import statistics
import sys
import time
from pathlib import Path

from zhenggai.core.readers import parse_bytes

SAMPLES = sorted((Path(__file__).parent.parent / "tests" / "samples").glob("*.txt"))
ROUNDS = 51
TARGET_MS = 20.0


def _median_seconds(data: bytes, name: str) -> float:
    parse_bytes(data, name)  # warm-up: imports, compiled patterns
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        parse_bytes(data, name)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    print(f"{'document':<28}{'chars':>8}{'median ms':>12}{'chars/s':>14}")
    results = []
    for path in SAMPLES:
        data = path.read_bytes()
        chars = len(data.decode("utf-8"))
        seconds = _median_seconds(data, path.name)
        results.append((chars, seconds, path.name))
        print(f"{path.name:<28}{chars:>8}{seconds * 1000:>12.2f}{chars / seconds:>14,.0f}")
    chars, seconds, name = max(results)
    verdict = "met" if seconds * 1000 < TARGET_MS else "NOT met"
    print(
        f"largest: {name} ({chars} chars) median {seconds * 1000:.2f} ms; target < {TARGET_MS:.0f} ms {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
