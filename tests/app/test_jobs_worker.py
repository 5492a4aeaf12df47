"""The job worker, a real process on a database of its own, killed in the middle of its
jobs and started again: each job ends run again from its start (its attempts
counted) or failed with its reason, never "running"."""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from zhenggai.jobs.models import Job

# CREATE DATABASE runs outside a transaction; the worker reads only what is committed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Each wait below ends as soon as the rows say so; this bounds it on a loaded machine.
WAIT_SECONDS = 120
# Two jobs whose first run sleeps long enough to be killed, and whose later runs do not.
START = """
import json
from django.contrib.auth.models import User
from zhenggai.jobs.runner import job_start
owner = User.objects.create_user(username="clerk")
nap = {"first": 3600, "then": 0}
print(json.dumps([job_start(owner=owner, kind=k, arguments=nap).pk
                  for k in ("test_nap", "test_nap_once")]))
"""


@dataclass
class Installation:
    """A data folder and a database of their own, migrated, as a worker is given them."""

    env: dict[str, str]
    database: BaseDatabaseWrapper  # the test's own connection to it, to read rows
    log: Path

    def zhenggai(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "zhenggai"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def worker(self) -> subprocess.Popen[bytes]:
        """`zhenggai worker`, in a process group of its own (its cluster's processes)."""
        with self.log.open("ab") as log:
            return subprocess.Popen(
                [str(BIN / "zhenggai"), "worker"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def jobs(self, pks: list[int]) -> list[dict[str, Any]]:
        with self.database.cursor() as cursor:
            cursor.execute(
                "SELECT id, state, attempts, error, result FROM jobs_job ORDER BY id", []
            )
            rows = cursor.fetchall()
        self.database.close()  # no snapshot or lock kept between two reads
        names = ("id", "state", "attempts", "error", "result")
        found = [dict(zip(names, row, strict=True)) for row in rows if row[0] in pks]
        for job in found:
            job["result"] = (
                json.loads(job["result"]) if isinstance(job["result"], str) else job["result"]
            )
        return found


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[Installation]:
    folder = tmp_path / "data"
    env = os.environ | {
        "ZHENGGAI_DATA_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "tests.settings",  # for its kinds of job test_nap…
        "PYTHONPATH": str(ROOT),
        "ZHENGGAI_JOB_WORKERS": "2",
    }
    with _database(folder) as (name, url):
        if url:
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
        test = connections["default"]
        with closing(type(test)({**test.settings_dict, "NAME": name}, "worker")) as database:
            made = Installation(env, database, tmp_path / "worker.log")
            made.zhenggai("migrate", "--no-input", "--verbosity", "0")
            yield made


@contextmanager
def _database(folder: Path) -> Iterator[tuple[str, str]]:
    """Its name and URL: SQLite, a file in the data folder (the default URL); PostgreSQL,
    a database on the test run's server, dropped after."""
    if connection.vendor == "sqlite":
        folder.mkdir()
        yield str(folder / "zhenggai.sqlite3"), ""
        return
    name = f"zhenggai_worker_{secrets.token_hex(6)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _until(
    installation: Installation,
    worker: subprocess.Popen[bytes],
    pks: list[int],
    done: Callable[[list[dict[str, Any]]], bool],
) -> list[dict[str, Any]]:
    """The jobs' rows, polled until ``done`` says yes; fails if the worker exits or the
    wait passes its bound."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        jobs = installation.jobs(pks)
        if done(jobs):
            return jobs
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}):\n{installation.log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"still {jobs} after {WAIT_SECONDS} s:\n{installation.log.read_text()}")


def _kill(worker: subprocess.Popen[bytes], how: signal.Signals) -> None:
    """The worker's whole process group, waited for until none of it is left."""
    try:
        os.killpg(worker.pid, how)
    except ProcessLookupError:
        return
    worker.wait(timeout=WAIT_SECONDS)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            os.killpg(worker.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(worker.pid, signal.SIGKILL)


def test_a_worker_killed_mid_job_and_started_again_ends_each_job_never_running(
    installation: Installation,
) -> None:
    pks: list[int] = json.loads(installation.zhenggai("shell", "--no-imports", "-c", START))
    worker = installation.worker()
    try:
        running = _until(
            installation, worker, pks, lambda jobs: all(j["state"] == "running" for j in jobs)
        )
        os.killpg(worker.pid, signal.SIGKILL)  # the machine, say, going down
        worker.wait(timeout=WAIT_SECONDS)
    finally:
        _kill(worker, signal.SIGKILL)
    assert [(j["state"], j["attempts"]) for j in running] == [("running", 1)] * 2
    # As the kill left them: "running", with no worker at all.
    assert [j["state"] for j in installation.jobs(pks)] == ["running"] * 2

    worker = installation.worker()
    try:
        over = _until(
            installation,
            worker,
            pks,
            lambda jobs: all(j["state"] in ("done", "failed") for j in jobs),
        )
    finally:
        _kill(worker, signal.SIGTERM)

    again, once = over
    # test_nap may run again: its second run finished, and the row says it was the second.
    assert (again["state"], again["attempts"], again["result"]) == (
        Job.State.DONE,
        2,
        {"attempt": 2},
    )
    # test_nap_once may not: it failed, saying why.
    assert (once["state"], once["attempts"]) == (Job.State.FAILED, 1)
    assert once["error"] == "任务执行中服务重启，已中断；请重新提交。"
    assert "jobs: 2 handed out again, 0 failed" in installation.log.read_text()
