"""What the benchmarks through the real server share (bench_app.py for the API,
bench_pages.py for the pages): gunicorn with 2 workers on a free port, requests
from threads on kept-alive connections, percentiles and the workers' CPU time.
"""

import argparse
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def arguments(
    description: str,
    argv: Sequence[str],
    *,
    requests: int,
    warmup: int,
    more: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """The options every server benchmark takes, and any ``more`` adds."""
    parser = argparse.ArgumentParser(description=description)
    if more is not None:
        more(parser)
    parser.add_argument(
        "--scale",
        type=_scale,
        default="county",
        help="data set size: county (60 organisations, 30,000 measures), office (300 "
        "organisations, 30,000 measures) or a factor of county",
    )
    parser.add_argument("--requests", type=int, default=requests, help="measured requests per run")
    parser.add_argument("--warmup", type=int, default=warmup, help="unmeasured requests first")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    return parser.parse_args(argv)


def _scale(text: str) -> str:
    if text in ("county", "office"):
        return text
    try:
        float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"county, office or a number, not {text!r}") from None
    return text


def size_of(scale: str) -> dict[str, Any]:
    """The arguments of ``zhenggai.demo.synthetic.build`` that ``--scale`` names."""
    from zhenggai.demo.synthetic import SCALES

    factor, organisations = SCALES.get(scale) or (float(scale), None)
    return {"scale": factor, "organisations": organisations}


def again_on_postgres(script: str, argv: Sequence[str]) -> int:
    """Run the benchmark again inside scripts/postgres.sh, which sets DATABASE_URL."""
    runner = ROOT / "scripts" / "postgres.sh"
    return subprocess.call([str(runner), "run", sys.executable, script, *argv])


def raise_exit(signum: int, frame: FrameType | None) -> None:
    """A signal handler: SIGTERM unwinds like Ctrl-C, so the finally blocks stop the server."""
    raise SystemExit(128 + signum)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(port: int, log: Path, probe: str, headers: Mapping[str, str]) -> Iterator[int]:
    """gunicorn with 2 workers in its own process group (its id is given), ready once
    ``probe`` answers 200, stopped whatever happens."""
    command = [str(BIN / "gunicorn"), "zhenggai.wsgi:application", "-w", "2"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "-b", f"127.0.0.1:{port}"],
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_ready(process, port, log, probe, headers)
            yield process.pid
        finally:
            _stop(process)


def _wait_ready(
    process: subprocess.Popen[bytes],
    port: int,
    log: Path,
    probe: str,
    headers: Mapping[str, str],
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(errors='replace')}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            status, _ = get(connection, probe, headers)
            connection.close()
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        raise RuntimeError(f"{probe} answered {status}:\n{log.read_text(errors='replace')}")
    raise RuntimeError("gunicorn did not answer within 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def get(
    conn: http.client.HTTPConnection, path: str, headers: Mapping[str, str]
) -> tuple[int, bytes]:
    """One request on a kept-alive connection; http.client reopens it if the server closed it."""
    conn.request("GET", path, headers=dict(headers))
    response = conn.getresponse()
    return response.status, response.read()


def load(
    port: int, path: str, total: int, concurrency: int, headers: Mapping[str, str]
) -> tuple[list[float], dict[int, int], float]:
    """``total`` requests from ``concurrency`` threads: latencies (s), statuses, wall time (s)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    left = [total]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if left[0] == 0:
                    break
                left[0] -= 1
            started = time.perf_counter()
            try:
                status, _ = get(conn, path, headers)
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # a timed join lets Ctrl-C through
            thread.join(0.5)
    return latencies, statuses, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def cpu_seconds(group: int) -> float:
    """User and system CPU time of the processes in a process group, from /proc (Linux)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp; utime and stime are fields 14 and 15
                total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
