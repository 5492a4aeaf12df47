"""Median time to import a 60-problem feedback (.docx, Word's automatic numbering)
through ``services.sources.feedback_import``, as the upload page does: check,
parse, keep the original and its lines, write the inspection and its ledger.

Steps: (1) migrate a fresh SQLite database in a temporary data folder; (2) make an
inspection office, an inspected organisation under it and a user of its
rectification office; (3) import the synthetic feedback of
tests/feedback/make_fixtures.py once to warm up, then once per round, each round
a new copy (the team's number in its title changes) so that it is not recognised
as a file imported before; the parse alone is timed beside it.

Target: median ≤ 1 s. A benchmark, not a test: it exits 0 whatever it measures,
unless an import fails. Run: make bench-feedback
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zhenggai.core.readers import parse_bytes

ROOT = Path(__file__).resolve().parent.parent

TARGET_S = 1.0
PROBLEMS = 60
NAME = "反馈意见.docx"


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11, help="measured imports (at least 9)")
    parser.add_argument("--problems", type=int, default=PROBLEMS)
    args = parser.parse_args(argv)
    args.rounds = max(args.rounds, 9)
    return args


def _setup() -> tuple[Any, int]:
    """Migrate and make the office, the organisation and its rectification office user."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from zhenggai.orgs.models import Membership, Organisation, Role

    office = Organisation.objects.create(name="县委巡察办", kind=Organisation.Kind.OFFICE)
    organisation = Organisation.objects.create(
        name="县发展和改革局", kind=Organisation.Kind.INSPECTED, parent=office
    )
    user = User.objects.create_user(username="bench_feedback", password=None)
    Membership.objects.create(user=user, organisation=organisation, role=Role.RECTIFICATION_OFFICE)
    return user, organisation.pk


def _import_once(user: Any, organisation_id: int, content: bytes, problems: int) -> float:
    """Seconds one import takes; stops the benchmark if it did not import them all."""
    from zhenggai.inspections.models import Problem
    from zhenggai.services.sources import feedback_import

    started = time.perf_counter()
    result = feedback_import(
        actor=user, organisation_id=organisation_id, name=NAME, content=content
    )
    seconds = time.perf_counter() - started
    inspection = result.inspection
    if inspection is None or not result.created:
        raise SystemExit(f"bench_feedback_import: the feedback was not imported ({result})")
    top = Problem.objects.filter(inspection=inspection, parent=None).count()
    if top != problems:
        raise SystemExit(f"bench_feedback_import: {top} problems imported, not {problems}")
    return seconds


def _parse_median(content: bytes, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        parse_bytes(content, NAME)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))  # the generator lives with the fixtures, in tests/feedback
    from tests.feedback.make_fixtures import feedback_docx

    user, organisation_id = _setup()
    copies = [feedback_docx(args.problems, variant) for variant in range(args.rounds + 1)]
    # the first import warms up: module imports, templates, caches
    _import_once(user, organisation_id, copies[0], args.problems)
    times = [_import_once(user, organisation_id, c, args.problems) for c in copies[1:]]
    median = statistics.median(times)
    print(
        f"feedback import, {args.problems} problems (.docx, {len(copies[1]) // 1024} KB), "
        f"{args.rounds} rounds on SQLite"
    )
    print(
        f"median {median * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms; parse alone: median "
        f"{_parse_median(copies[1], args.rounds) * 1000:.0f} ms"
    )
    print(
        f"target: median ≤ {TARGET_S * 1000:.0f} ms: {'met' if median <= TARGET_S else 'NOT met'}"
    )
    return 0


def main(argv: Sequence[str]) -> int:
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="zhenggai-bench-") as data_dir:
        os.environ["ZHENGGAI_DATA_DIR"] = data_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
        os.environ.pop("DATABASE_URL", None)  # SQLite in the temporary folder, always
        return _run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
