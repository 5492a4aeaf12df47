"""`make run`'s server: scripts/run.sh migrates a fresh database, loads the demo, prints
its users and serves the application through gunicorn, every asset included."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the environment the tests run in
# The start (migrate, the demo, gunicorn) took 82 s on a loaded machine, so no fixed
# time is right: the wait goes on while the start makes progress (its log or its
# data folder changes), and fails when it stalls this long or exits.
STALL_SECONDS = 120


@dataclass
class Server:
    port: int
    env: dict[str, str]
    log: Path

    def get(self, path: str, token: str | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def get_json(self, path: str, token: str) -> Any:
        status, _, body = self.get(path, token)
        assert status == 200, body
        return json.loads(body)

    def token(self, username: str) -> str:
        made = subprocess.run(
            [BIN / "zhenggai", "token", "create", username],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return made.stdout.strip()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _last_change(data_dir: Path) -> float:
    """When the start last wrote anything: its log, the database, the evidence folder."""
    return max((_mtime(p) for p in [data_dir, *data_dir.rglob("*")]), default=0.0)


def _mtime(path: Path) -> float:
    """A file's last change; 0 for one gone since it was listed (a ``.part`` renamed
    into place while the folder was being walked)."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _wait_until_it_answers(server: Server, process: subprocess.Popen[bytes]) -> None:
    data_dir = server.log.parent
    while time.time() - _last_change(data_dir) < STALL_SECONDS:
        if process.poll() is not None:
            pytest.fail(f"run.sh exited with {process.returncode}:\n{server.log.read_text()}")
        try:
            server.get("/api/openapi.json")
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"no progress for {STALL_SECONDS} s:\n{server.log.read_text()}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    env = {
        **os.environ,
        "ZHENGGAI_DATA_DIR": str(tmp_path),
        "ZHENGGAI_PORT": str(_free_port()),
        "ZHENGGAI_BIN": str(BIN),
    }
    # Its own SQLite file under tmp_path and the application's own settings, never the
    # test run's database or tests.settings.
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    running = Server(int(env["ZHENGGAI_PORT"]), env, tmp_path / "run.log")
    with running.log.open("wb") as log:
        process = subprocess.Popen(
            [ROOT / "scripts" / "run.sh"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended whole below
        )
    try:
        _wait_until_it_answers(running, process)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.timeout(900)  # the start is bounded by its progress, above
def test_it_serves_the_pages_the_api_its_docs_and_their_assets_and_the_demo_users(
    server: Server,
) -> None:
    status, headers, _ = server.get("/")
    assert status == 302
    assert headers["Location"] == "/login/?next=/"
    status, _, login = server.get("/login/")
    assert status == 200 and "登录".encode() in login
    status, _, schema = server.get("/api/openapi.json")
    assert status == 200
    assert "/api/me" in json.loads(schema)["paths"]
    status, _, docs = server.get("/api/docs")
    assert status == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs
    assert b"cdn" not in docs.lower()  # deployments are offline
    status, _, bundle = server.get("/static/ninja/swagger-ui-bundle.js")
    assert status == 200 and len(bundle) > 100_000

    assert server.get("/api/me")[0] == 401
    rectification = server.token("org1_rectification_office")
    me = server.get_json("/api/me", rectification)
    assert [m["role"] for m in me["memberships"]] == ["rectification_office"]
    [own] = server.get_json("/api/inspections", rectification)
    office = server.token("office")
    assert server.get_json(f"/api/inspections/{own['id']}", office)["id"] == own["id"]

    printed = server.log.read_text()
    assert "http://127.0.0.1:" in printed
    assert "org5_discipline" in printed
    assert '"GET /api/docs HTTP/1.1" 200' in printed  # the access log, on stdout
