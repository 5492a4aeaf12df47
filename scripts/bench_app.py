"""The read API under load, on a county-scale synthetic ledger, served by gunicorn.

Steps: (1) migrate a fresh database — SQLite in a temporary data folder, or the
PostgreSQL of DATABASE_URL (``--postgres`` starts a throwaway one through
scripts/postgres.sh); (2) build the synthetic data set (300 inspections, 7,500
problems, 30,000 measures, 120,000 progress entries) and give an office user a
token; (3) start gunicorn with 2 workers; (4) for each case, request it at
concurrency 1 and 8 and print p50/p95 latency and requests per second, beside
the queries one request issues, the workers' CPU time per request (steadier than
latency on a busy machine), and the median time of the SQL the endpoint
essentially needs, run directly. An answer that disagrees with that SQL (a list
that counts fewer rows, say) is reported as WRONG ANSWER, not as a pass.

Targets (issue 3): p95 < 100 ms at concurrency 8 for the lists and the detail,
< 200 ms for the totals. A benchmark, not a test: it exits 0 whatever it measures.

Run: make bench-app, or scripts/postgres.sh run .venv/bin/python scripts/bench_app.py
"""

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench_common import (
    BIN,
    again_on_postgres,
    arguments,
    cpu_seconds,
    free_port,
    load,
    percentile,
    raise_exit,
    serve,
    size_of,
)

SQL_ROUNDS = 31


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    target_ms: float
    sql: list[tuple[str, list[Any]]]  # the statements the endpoint essentially needs
    # What the answer must agree with: a number taken from its JSON, and the statement
    # (by index) whose COUNT, or number of rows, it should equal.
    agree: tuple[Callable[[Any], int], int]


@dataclass
class Row:
    case: str
    path: str
    concurrency: int
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    rps: float
    queries: int
    server_cpu_ms: float  # the workers' CPU per request (SQLite's work included, PostgreSQL's not)
    sql_ms: float
    target_ms: float | None
    verdict: str = ""
    disagreement: str = ""
    statuses: dict[str, int] = field(default_factory=dict)


def main(argv: Sequence[str]) -> int:
    args = arguments(__doc__.split("\n\n")[0], argv, requests=200, warmup=20)
    if args.postgres and "DATABASE_URL" not in os.environ:
        return again_on_postgres(__file__, argv)
    # SIGTERM unwinds like Ctrl-C, so the finally blocks stop the server.
    signal.signal(signal.SIGTERM, raise_exit)
    with tempfile.TemporaryDirectory(prefix="zhenggai-bench-") as data_dir:
        os.environ["ZHENGGAI_DATA_DIR"] = data_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
        return _run(args, Path(data_dir))


def _run(args: argparse.Namespace, data_dir: Path) -> int:
    subprocess.run([str(BIN / "zhenggai"), "migrate", "--verbosity", "0"], check=True)
    import django

    django.setup()
    from django.db import connection

    meta, token = _prepare(args)
    meta["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    print(
        f"{connection.vendor}: built {meta['counts']} in {meta['build_seconds']:.1f} s; "
        f"{args.requests} requests per run after {args.warmup} warm-up"
    )
    cases = _cases()
    port = free_port()
    with serve(port, data_dir / "gunicorn.log", "/api/totals", _auth(token)) as server:
        rows = [row for case in cases for row in _measure(case, port, server, args, token)]
    meta["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    _print(rows)
    print(
        f"load average (1, 5, 15 min) before {meta['load_average_before']}, "
        f"after {meta['load_average_after']}, on {os.cpu_count()} CPUs: anything else "
        "running on the machine shows in the figures"
    )
    if args.json:
        args.json.write_text(json.dumps({**meta, "rows": [asdict(r) for r in rows]}, indent=2))
    return 0


def _prepare(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """Build the data set into an empty database; the office user's new token."""
    from django.db import connection

    from zhenggai.demo.synthetic import build
    from zhenggai.inspections.models import Inspection
    from zhenggai.orgs.tokens import token_create

    if Inspection.objects.exists():
        sys.exit("bench_app: the database is not empty; it needs a fresh one")
    started = time.perf_counter()
    built = build(**size_of(args.scale), seed=args.seed)
    seconds = time.perf_counter() - started
    token = token_create(user=built.office_user, label="bench_app")
    if connection.vendor == "postgresql":
        # Autovacuum vacuums and analyzes freshly loaded tables within a minute or so
        # (statistics for the planner, the visibility map for index-only scans): do it
        # now. SQLite gathers no statistics unless told to, and the application does not.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "database": connection.vendor,
        "scale": args.scale,
        "seed": args.seed,
        "counts": built.counts,
        "build_seconds": round(seconds, 2),
        "requests": args.requests,
        "warmup": args.warmup,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }, token


# -- load


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _measure(case: Case, port: int, server: int, args: argparse.Namespace, token: str) -> list[Row]:
    from django.db import connection

    queries, answer = _served_in_process(case.path, token)
    sql_ms, disagreement = _sql_ms(case.sql), _disagreement(case, answer)
    # Holding a connection open here would change how SQLite's WAL behaves for the server.
    connection.close()
    rows = []
    for concurrency in (1, 8):
        load(port, case.path, args.warmup, concurrency, _auth(token))
        cpu = cpu_seconds(server)
        latencies, statuses, wall = load(port, case.path, args.requests, concurrency, _auth(token))
        cpu_ms = (cpu_seconds(server) - cpu) * 1000 / max(1, len(latencies))
        errors = sum(n for status, n in statuses.items() if status != 200)
        p95 = percentile(latencies, 0.95) * 1000
        target = case.target_ms if concurrency == 8 else None
        verdict = "" if target is None else ("PASS" if p95 < target and not errors else "MISS")
        verdict = "WRONG ANSWER" if target and disagreement else verdict
        rows.append(
            Row(
                case.name, case.path, concurrency, len(latencies), errors,
                round(percentile(latencies, 0.50) * 1000, 1), round(p95, 1),
                round(len(latencies) / wall, 1), queries, round(cpu_ms, 1), round(sql_ms, 2),
                target, verdict,
                disagreement,
                {str(k): v for k, v in statuses.items()},
            )
        )  # fmt: skip
    return rows


# -- the database directly


def _served_in_process(path: str, token: str) -> tuple[int, Any]:
    """The queries one request issues, and its answer, served here by Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return len(captured), json.loads(response.content)


def _disagreement(case: Case, answer: Any) -> str:
    """Empty when the API found what the SQL finds, else both numbers: a fast answer
    that leaves rows out would otherwise look like a success."""
    from django.db import connection

    extract, index = case.agree
    sql, params = case.sql[index]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    expected = rows[0][0] if sql.startswith("SELECT COUNT(") else len(rows)
    got = extract(answer)
    return "" if got == expected else f"API answered {got}, SQL finds {expected}"


def _sql_ms(statements: list[tuple[str, list[Any]]]) -> float:
    """Median time (ms) of running the statements one after the other, rows fetched."""
    from django.db import connection

    def once() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        return time.perf_counter() - started

    for _ in range(3):
        once()
    return statistics.median(once() for _ in range(SQL_ROUNDS)) * 1000


def _cases() -> list[Case]:
    """The six cases, with the parameters and the raw SQL each one needs."""
    from django.db.models import Count

    from zhenggai.inspections.models import Problem
    from zhenggai.ledger.models import Measure
    from zhenggai.orgs.models import Organisation

    # What the office may see: everything under it, taken from the tree directly
    # rather than from zhenggai.access, so the SQL says what the API ought to do.
    office = Organisation.objects.get(kind=Organisation.Kind.OFFICE)
    inspected = list(office.children.values_list("pk", flat=True))
    departments = Organisation.objects.filter(parent__in=inspected).values_list("pk", flat=True)
    orgs = sorted([office.pk, *inspected, *departments])
    # The busiest department, and a top-level problem with sub-problems, half-way down.
    department = (
        Measure.objects.values("department").annotate(n=Count("pk")).order_by("-n", "department")
    )[0]["department"]
    parents = Problem.objects.filter(parent=None, subproblems__isnull=False).distinct()
    problem = parents.order_by("pk")[parents.count() // 2].pk
    today = dt.date.today()
    lists = _list_sql(orgs)
    count = (lambda answer: int(answer["count"]), 0)
    return [
        Case("ledger list", "/api/measures?page=1", 100, lists("", []), count),
        Case("filter: state", "/api/measures?state=in_progress", 100,
             lists("AND m.state = %s", ["in_progress"]), count),
        Case("filter: department", f"/api/measures?department={department}", 100,
             lists("AND m.department_id = %s", [department]), count),
        Case("filter: overdue", "/api/measures?overdue=true", 100,
             lists("AND m.deadline < %s AND m.state NOT IN (%s, %s)",
                   [today, "signed_off", "long_term"]), count),
        Case("problem detail", f"/api/problems/{problem}", 100, _detail_sql(problem),
             (lambda answer: len(answer["measures"]), 2)),
        Case("totals", "/api/totals", 200, _totals_sql(orgs, today),
             (lambda answer: len(answer["organisations"]), 0)),
    ]  # fmt: skip


def _scope(orgs: list[int], column: str) -> str:
    """The visible inspections as a subquery: no join needed to count or group."""
    ids = ", ".join(["%s"] * len(orgs))
    return f"{column} IN (SELECT id FROM inspections_inspection WHERE organisation_id IN ({ids}))"


def _list_sql(orgs: list[int]) -> Callable[[str, list[Any]], list[tuple[str, list[Any]]]]:
    """The count, then 50 measures in ledger order with their problem, category and
    organisation. As the ORM does, the page is chosen on the measure table (and the
    category, for its position) and only its 50 rows are joined to the rest."""
    scope = _scope(orgs, "m.inspection_id")
    order = "m.inspection_id, c.position, m.problem_id, m.position, m.id"

    def statements(where: str, params: list[Any]) -> list[tuple[str, list[Any]]]:
        count = f"SELECT COUNT(*) FROM ledger_measure m WHERE {scope} {where}"
        chosen = (
            "SELECT m.id FROM ledger_measure m JOIN inspections_category c ON c.id = m.category_id "
            f"WHERE {scope} {where} ORDER BY {order} LIMIT 50"
        )
        page = (
            "SELECT m.*, c.title, p.title, o.name FROM ledger_measure m "
            "JOIN inspections_inspection i ON i.id = m.inspection_id "
            "JOIN orgs_organisation o ON o.id = i.organisation_id "
            "JOIN inspections_category c ON c.id = m.category_id "
            "LEFT JOIN inspections_problem p ON p.id = m.problem_id "
            f"WHERE m.id IN ({chosen}) ORDER BY {order}"
        )
        return [(count, [*orgs, *params]), (page, [*orgs, *params])]

    return statements


def _detail_sql(problem: int) -> list[tuple[str, list[Any]]]:
    """The problem with its category and organisation, its sub-problems, its measures
    and their progress entries."""
    return [
        (
            "SELECT p.*, c.title, o.name FROM inspections_problem p "
            "JOIN inspections_category c ON c.id = p.category_id "
            "JOIN inspections_inspection i ON i.id = p.inspection_id "
            "JOIN orgs_organisation o ON o.id = i.organisation_id WHERE p.id = %s",
            [problem],
        ),
        ("SELECT * FROM inspections_problem WHERE parent_id = %s", [problem]),
        ("SELECT * FROM ledger_measure WHERE problem_id = %s", [problem]),
        (
            "SELECT e.* FROM ledger_progressentry e JOIN ledger_measure m ON m.id = e.measure_id "
            "WHERE m.problem_id = %s ORDER BY e.measure_id, e.date, e.id",
            [problem],
        ),
    ]


def _totals_sql(orgs: list[int], today: dt.date) -> list[tuple[str, list[Any]]]:
    """Per visible organisation: top-level problems, signed off, not done; overdue measures."""
    problems = (
        "SELECT i.organisation_id, COUNT(*), "
        "SUM(CASE WHEN p.state = %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN p.state NOT IN (%s, %s) THEN 1 ELSE 0 END) "
        "FROM inspections_problem p JOIN inspections_inspection i ON i.id = p.inspection_id "
        f"WHERE {_scope(orgs, 'p.inspection_id')} AND p.parent_id IS NULL "
        "GROUP BY i.organisation_id"
    )
    overdue = (
        "SELECT i.organisation_id, COUNT(*) "
        "FROM ledger_measure m JOIN inspections_inspection i ON i.id = m.inspection_id "
        f"WHERE {_scope(orgs, 'm.inspection_id')} AND m.deadline < %s "
        "AND m.state NOT IN (%s, %s) GROUP BY i.organisation_id"
    )
    done = ["signed_off", "long_term"]
    return [
        (problems, ["signed_off", *done, *orgs]),
        (overdue, [*orgs, today, *done]),
    ]


# -- the report


def _print(rows: list[Row]) -> None:
    header = (
        f"{'case':<20}{'c':>3}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}{'queries':>8}"
        f"{'CPU ms':>8}{'SQL ms':>8}  target"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        target = f"p95 < {r.target_ms:.0f} ms {r.verdict}" if r.target_ms else ""
        errors = f"  ({r.errors} errors: {r.statuses})" if r.errors else ""
        print(
            f"{r.case:<20}{r.concurrency:>3}{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}{r.rps:>8.1f}"
            f"{r.queries:>8}{r.server_cpu_ms:>8.1f}{r.sql_ms:>8.2f}  {target}{errors}"
        )
    for r in rows:
        if r.disagreement and r.concurrency == 1:
            print(f"WRONG ANSWER {r.case} ({r.path}): {r.disagreement}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
