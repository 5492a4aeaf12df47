"""What the browser tests share: the running application and its demo users, signing
in, screenshots, and the watch that fails a test on a JavaScript error or on a
request that leaves the machine.

The fixtures that hand these out are in conftest.py; the journey tests import the
helpers from here.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, Request, Route, WebSocket

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the environment the tests run in
SCREENS = ROOT / "test-artifacts" / "screens"
# Debian's, installed by `scripts/bootstrap.sh test`; Playwright never downloads one.
CHROMIUM = Path(os.environ.get("ZHENGGAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Offline deployments: every request stays on the machine.
LOCAL_HOST = "127.0.0.1"
STARTUP_SECONDS = 120  # migrate, the demo and gunicorn, on a machine other work shares
PHONE = {"width": 375, "height": 812}
EVIDENCE_MAX_MB = 1


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str  # a zhenggai.orgs.models.Role value
    organisation: str


@dataclass
class Server:
    """The application as `make run` serves it, on its own SQLite file in ``data_dir``."""

    base_url: str
    data_dir: Path
    log: Path
    env: dict[str, str]
    users: list[DemoUser] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.data_dir / "zhenggai.sqlite3"

    @property
    def organisations(self) -> list[str]:
        """The inspected organisations, in the demo's order (the office's is not one)."""
        names = [u.organisation for u in self.users if u.role != "inspection_office"]
        return list(dict.fromkeys(names))

    @property
    def busiest_organisation(self) -> str:
        """The inspected organisation with the most measures still open: the one whose
        people have the most on their pages."""
        [(name,)] = self.query(
            "SELECT o.name FROM ledger_measure m "
            "JOIN inspections_inspection i ON i.id = m.inspection_id "
            "JOIN orgs_organisation o ON o.id = i.organisation_id "
            "WHERE m.state NOT IN ('signed_off', 'long_term') "
            "GROUP BY o.id ORDER BY COUNT(*) DESC, o.id LIMIT 1"
        )
        return str(name)

    def user(self, role: str, organisation: str | None = None) -> DemoUser:
        """The demo user with ``role`` in ``organisation`` (default: the first that has one)."""
        for candidate in self.users:
            if candidate.role == role and organisation in (None, candidate.organisation):
                return candidate
        raise LookupError(f"no demo user with role {role} in {organisation or 'any organisation'}")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows from the server's database, read-only: to check what a page wrote."""
        db = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=20)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def manage(self, *args: str) -> str:
        """`zhenggai <args>` against the server's database (``remind``, ``token create``…);
        its output."""
        done = subprocess.run(
            [str(BIN / "zhenggai"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"zhenggai {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL_HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def server_environment(data_dir: Path, port: int) -> dict[str, str]:
    """The test run's environment, pointed at its own data folder and the application's
    settings: never the test database, tests.settings or a DATABASE_URL."""
    env = {
        **os.environ,
        "ZHENGGAI_DATA_DIR": str(data_dir),
        "ZHENGGAI_PORT": str(port),
        "ZHENGGAI_BIN": str(BIN),
        # Small enough that a test can send a file over it (the hostile-input tests).
        "ZHENGGAI_EVIDENCE_MAX_MB": str(EVIDENCE_MAX_MB),
    }
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ZHENGGAI_DEBUG"):
        env.pop(name, None)
    return env


def empty_server_environment(data_dir: Path, port: int) -> dict[str, str]:
    """A production start (scripts/run.sh: checks, migrate, collectstatic, no demo) on
    an empty data folder, over plain HTTP on 127.0.0.1 as the test reaches it: a secret
    key of its own, and neither HTTPS nor the proxy's headers."""
    return {
        **server_environment(data_dir, port),
        "ZHENGGAI_ENV": "production",
        "ZHENGGAI_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHENGGAI_HTTPS": "0",
        "ZHENGGAI_PROXY": "0",
        "ZHENGGAI_WORKERS": "1",
    }


def start(server: Server) -> subprocess.Popen[bytes]:
    """scripts/run.sh, `make run`'s own script, in a process group of its own."""
    with server.log.open("wb") as log:
        return subprocess.Popen(
            [str(ROOT / "scripts" / "run.sh")],
            env=server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_it_answers(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"run.sh exited with {process.returncode}:\n{_tail(server.log)}", pytrace=False
            )
        if _status(server, "/login/") == 200:
            return
        time.sleep(0.3)
    pytest.fail(f"no answer after {STARTUP_SECONDS} s:\n{_tail(server.log)}", pytrace=False)


def _status(server: Server, path: str) -> int | None:
    """The status of a GET, straight to the server (no proxy from the environment);
    None while nothing listens."""
    parts = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(parts.hostname or LOCAL_HOST, parts.port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    """The whole group: run.sh, gunicorn and its workers, the job worker and its
    processes."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def demo_users(server: Server) -> list[DemoUser]:
    """Every demo account with the password the demo gave it (demo-passwords.json) and
    its role and organisation as the database holds them, in the order they were made."""
    passwords = json.loads((server.data_dir / "demo-passwords.json").read_text("utf-8"))
    rows = server.query(
        "SELECT u.username, m.role, o.name FROM orgs_membership m "
        "JOIN auth_user u ON u.id = m.user_id "
        "JOIN orgs_organisation o ON o.id = m.organisation_id ORDER BY m.id"
    )
    return [
        DemoUser(username, passwords[username]["password"], role, organisation)
        for username, role, organisation in rows
        if username in passwords
    ]


def _tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text("utf-8", errors="replace").splitlines()[-lines:])


# -- in the browser


def login(page: Page, username: str, password: str) -> None:
    """Sign in through the form and wait for the page it leads to; fails with the
    page's own message when the sign-in is refused."""
    submit_login(page, username, password)
    refused = page.locator("form #id_password")
    if refused.count():
        alert = page.get_by_role("alert")
        said = alert.inner_text() if alert.count() else "no message"
        raise AssertionError(f"signing in as {username} was refused: {said}")


def login_as(page: Page, user: DemoUser) -> None:
    login(page, user.username, user.password)


def submit_login(page: Page, username: str, password: str) -> None:
    """Fill the sign-in form and send it, whatever the answer."""
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form:has(#id_password) button").click()


def shot(page: Page, name: str) -> Path:
    """The whole page as test-artifacts/screens/<name>.png (kept out of git)."""
    if not re.fullmatch(r"[\w.-]+", name):
        raise ValueError(f"screenshot name {name!r}: letters, digits, '.', '-' and '_' only")
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def no_horizontal_scroll(page: Page) -> None:
    """Nothing sticks out sideways: the document is no wider than the window, and the
    window is as wide as the viewport asked for (a phone that zooms out to fit wide
    content would hide it, hence no ``is_mobile`` on the phone's page)."""
    scroll_width, inner_width = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    asked = page.viewport_size
    assert asked is None or inner_width == asked["width"], f"window {inner_width} px, not {asked}"
    assert scroll_width <= inner_width, (
        f"{page.url} scrolls sideways: {scroll_width} px of content in {inner_width} px"
    )


def language_of(page: Page) -> str:
    lang: str = page.evaluate("document.documentElement.lang")
    return lang


# -- the watch


@dataclass
class Watch:
    """What went wrong in a test's pages: JavaScript errors (uncaught, or logged with
    console.error, failed loads and Content-Security-Policy violations included) and
    requests to any host but 127.0.0.1, which are refused before they leave (by the
    route below, or already by the page's policy). The test fails on either, unless a
    pattern passed to ``allow`` matches the message."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """An error the test expects (a 404 it asks for, say), by regular expression."""
        self.allowed.append(re.compile(pattern))

    def attach(self, page: Page) -> None:
        page.on("pageerror", self._uncaught)
        page.on("console", self._console)
        page.on("websocket", self._websocket)

    def route(self, route: Route, request: Request) -> None:
        if _is_local(request.url):
            route.continue_()
        else:
            self.foreign.append(f"{request.method} {request.url}")
            route.abort("blockedbyclient")

    def problems(self) -> list[str]:
        errors = [e for e in self.errors if not any(p.search(e) for p in self.allowed)]
        return [
            *(f"JavaScript error: {e}" for e in errors),
            *(f"request off the machine (refused): {f}" for f in self.foreign),
        ]

    def _uncaught(self, error: Error) -> None:
        self.errors.append(f"{error.message}\n{error.stack or ''}".strip())

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        refused = _CSP_REFUSED.match(message.text)
        if refused and not _is_local(refused["url"]):
            # The page's Content-Security-Policy stopped it before the route saw it.
            method = "connect" if "connect" in refused[0].lower() else "GET"
            self.foreign.append(f"{method} {refused['url']}")
            return
        where = message.location
        self.errors.append(f"{message.text} ({where.get('url')}:{where.get('lineNumber')})")

    def _websocket(self, socket: WebSocket) -> None:
        if not _is_local(socket.url):
            self.foreign.append(f"WebSocket {socket.url}")


# How Chromium words a load or connection the Content-Security-Policy refused (older
# versions: "Refused to load the script '…' because it violates …").
_CSP_REFUSED = re.compile(
    r"(?:Loading the [\w ]+|Connecting to|Framing|Refused to (?:load the [\w ]+|connect to|frame))"
    r" '(?P<url>[^']+)'"
)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == LOCAL_HOST


def png_file(path: Path) -> Path:
    """A real 2×2 PNG: evidence whose content matches its name."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = zlib.compress(b"\x00\xff\x00\x00\xff\x00\x00" * 2)
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path
