"""Production as README.md documents it (ZHENGGAI_ENV=production behind an HTTPS proxy):
`zhenggai check --deploy` finds nothing, a start without a secret key of its own is
stopped by zhenggai.E001, the proxy's HTTPS reaches the application (a sign-in from
an https Origin passes CSRF), static files have hashed names; development keeps
plain HTTP on 127.0.0.1. Files the application makes are private, and passwords
follow the rules, refused in Chinese.

The settings are read at start from the environment, so each case runs the
application's own settings (never tests.settings) in a process of its own.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "zhenggai.example.gov.cn"
START_SECONDS = 240  # check, migrate, collectstatic and gunicorn, on a machine other work shares


def _environment(data_dir: Path, **variables: str) -> dict[str, str]:
    """The test run's environment less what points at the tests' own settings and
    database, with ``variables``."""
    env = {**os.environ, "ZHENGGAI_DATA_DIR": str(data_dir), **variables}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ZHENGGAI_DEBUG"):
        env.pop(name, None)
    for name in [n for n in env if n.startswith("ZHENGGAI_") and n not in variables]:
        if name not in ("ZHENGGAI_DATA_DIR", "ZHENGGAI_CHROMIUM"):
            env.pop(name)
    return env


def _production(data_dir: Path, **variables: str) -> dict[str, str]:
    """README.md's production environment."""
    documented = {
        "ZHENGGAI_ENV": "production",
        "ZHENGGAI_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHENGGAI_ALLOWED_HOSTS": HOST,
        "ZHENGGAI_SITE_URL": f"https://{HOST}",
    }
    return _environment(data_dir, **{**documented, **variables})


def _zhenggai(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "zhenggai"), *args], env=env, capture_output=True, text=True, timeout=180
    )


def _settings(env: dict[str, str], *names: str) -> dict[str, object]:
    """The values of zhenggai.settings under ``env``, as JSON makes them."""
    script = (
        "import json, sys, zhenggai.settings as s; "
        "print(json.dumps({n: getattr(s, n, None) for n in sys.argv[1:]}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *names],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    values: dict[str, object] = json.loads(done.stdout)
    return values


# ---- the checks -------------------------------------------------------------------


def test_check_deploy_finds_nothing_in_the_documented_production(tmp_path: Path) -> None:
    done = _zhenggai(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("key", ["", "zhenggai-development-key-change-me"], ids=["none", "public"])
def test_a_production_start_without_a_key_of_its_own_is_stopped(tmp_path: Path, key: str) -> None:
    env = _production(tmp_path, ZHENGGAI_SECRET_KEY=key)

    started = subprocess.run(
        [str(ROOT / "scripts" / "run.sh")],
        env={**env, "ZHENGGAI_BIN": str(BIN), "ZHENGGAI_PORT": str(_free_port())},
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert started.returncode != 0
    assert "zhenggai.E001" in started.stderr
    assert not (tmp_path / "zhenggai.sqlite3").exists()  # stopped before migrate
    assert _zhenggai(env, "migrate").returncode != 0  # and any other command that checks


def test_a_mistyped_environment_is_an_error(tmp_path: Path) -> None:
    done = _zhenggai(_environment(tmp_path, ZHENGGAI_ENV="prod"), "check")

    assert done.returncode != 0
    assert "zhenggai.E002" in done.stderr


def test_development_needs_no_key(tmp_path: Path) -> None:
    done = _zhenggai(_environment(tmp_path), "check")

    assert done.returncode == 0, done.stderr


# ---- what the environment turns on --------------------------------------------------

HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "USE_X_FORWARDED_HOST",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "STORAGES",
]


def test_development_is_plain_http_on_127_0_0_1(tmp_path: Path) -> None:
    found = _settings(_environment(tmp_path), *HTTPS_SETTINGS)

    assert found["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]  # no "testserver"
    assert found["CSRF_TRUSTED_ORIGINS"] == []
    for name in HTTPS_SETTINGS[:6]:
        assert not found[name], name
    assert found["SECURE_PROXY_SSL_HEADER"] is None
    assert "Manifest" not in json.dumps(found["STORAGES"])


def test_production_turns_on_https_the_proxy_and_hashed_static_files(tmp_path: Path) -> None:
    found = _settings(_production(tmp_path), *HTTPS_SETTINGS)

    assert found["ALLOWED_HOSTS"] == [HOST]
    assert found["CSRF_TRUSTED_ORIGINS"] == [f"https://{HOST}"]
    for name in HTTPS_SETTINGS[:8]:
        assert found[name], name
    assert found["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in json.dumps(
        found["STORAGES"]
    )


def test_each_part_can_be_set_on_its_own(tmp_path: Path) -> None:
    env = _environment(
        tmp_path,
        ZHENGGAI_HTTPS="1",
        ZHENGGAI_HSTS_SECONDS="0",
        ZHENGGAI_ALLOWED_HOSTS="a.example, b.example",
        ZHENGGAI_CSRF_TRUSTED_ORIGINS="https://a.example",
    )

    found = _settings(env, *HTTPS_SETTINGS)

    assert found["SECURE_SSL_REDIRECT"] and found["SESSION_COOKIE_SECURE"]
    assert found["SECURE_HSTS_SECONDS"] == 0 and not found["SECURE_HSTS_PRELOAD"]
    assert found["SECURE_PROXY_SSL_HEADER"] is None  # ZHENGGAI_PROXY: only in production
    assert found["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://a.example"]


# ---- a production server behind the proxy -----------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Proxied:
    """The production server, asked as the HTTPS proxy forwards a request (or, with
    ``proxied=False``, as a client reaching it directly would)."""

    def __init__(self, port: int, data_dir: Path) -> None:
        self.port = port
        self.data_dir = data_dir

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: str | None = None,
        proxied: bool = True,
    ) -> tuple[http.client.HTTPResponse, str]:
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": HOST} if proxied else {}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers={**forwarded, **(headers or {})})
            response = connection.getresponse()
            return response, response.read().decode(errors="replace")
        finally:
            connection.close()


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    data_dir = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = {**_production(data_dir), "ZHENGGAI_BIN": str(BIN), "ZHENGGAI_PORT": str(port)}
    log = data_dir / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "run.sh")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Proxied(port, data_dir)
    try:
        _wait_for(server, process, log)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(server: Proxied, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"run.sh exited with {process.returncode}:\n{log.read_text()}")
        try:
            if server.request("GET", "/login/")[0].status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"no answer after {START_SECONDS} s:\n{log.read_text()}")


@pytest.mark.timeout(START_SECONDS + 60)
def test_behind_the_proxy_a_sign_in_over_https_passes_csrf(production: Proxied) -> None:
    response, page = production.request("GET", "/login/")
    cookies = response.headers.get_all("Set-Cookie") or []
    [csrf_cookie] = [c for c in cookies if c.startswith("csrftoken=")]
    assert "Secure" in csrf_cookie
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None

    signed, _page = production.request(
        "POST",
        "/login/",
        headers={
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/login/",
            "Cookie": csrf_cookie.split(";")[0],
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"csrfmiddlewaretoken={token[1]}&username=nobody&password=not-the-password",
    )

    assert signed.status == 200  # the form again, with its refusal: not 403 for CSRF


@pytest.mark.timeout(START_SECONDS + 60)
def test_plain_http_is_sent_to_https(production: Proxied) -> None:
    response, _page = production.request("GET", "/login/", headers={"Host": HOST}, proxied=False)

    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/login/"


@pytest.mark.timeout(START_SECONDS + 60)
def test_static_files_have_hashed_names_and_are_served(production: Proxied) -> None:
    _response, page = production.request("GET", "/login/")
    hashed = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', page)
    assert hashed is not None, page[:800]

    response, _body = production.request("GET", hashed[1])

    assert response.status == 200
    assert "immutable" in response.headers["Cache-Control"]


@pytest.mark.timeout(START_SECONDS + 60)
def test_production_loads_no_demo_and_keeps_its_files_private(production: Proxied) -> None:
    assert (production.data_dir / "zhenggai.sqlite3").exists()
    assert not (production.data_dir / "demo-passwords.json").exists()
    for made in [production.data_dir, *production.data_dir.rglob("*")]:
        assert made.stat().st_mode & 0o077 == 0, f"{made}: {oct(made.stat().st_mode)}"


# ---- private files ----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [[str(BIN / "zhenggai")], [sys.executable, "-m", "zhenggai"]],
    ids=["zhenggai", "python -m zhenggai"],
)
def test_the_database_and_its_folder_are_private(tmp_path: Path, command: list[str]) -> None:
    data_dir = tmp_path / "data"  # made by the application
    subprocess.run(
        [*command, "migrate", "--no-input", "--verbosity", "0"],
        env=_environment(data_dir),
        check=True,
        timeout=180,
        preexec_fn=lambda: os.umask(0o022),  # a usual login shell's: files readable by all
    )

    for made in (data_dir, data_dir / "zhenggai.sqlite3", data_dir / "static"):
        assert made.stat().st_mode & 0o077 == 0, f"{made}: {oct(made.stat().st_mode)}"


def test_gunicorns_workers_make_private_files(tmp_path: Path) -> None:
    script = "import os, zhenggai.wsgi; print(oct(os.umask(0)))"

    done = subprocess.run(
        [sys.executable, "-c", script],
        env=_environment(tmp_path / "data"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        preexec_fn=lambda: os.umask(0o022),
    )

    assert done.stdout.strip() == "0o77"


# ---- password rules ------------------------------------------------------------------


def _refusals(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as refused:
        return list(refused.messages)
    return []


@pytest.mark.django_db
def test_weak_passwords_are_refused_in_chinese() -> None:
    user = User.objects.create_user(username="zhang_xiaoming_2024", first_name="张小明")

    assert _refusals("a") == ["密码太短：至少要有 10 个字符。", "这个密码太常见了。"]
    assert _refusals("password123") == ["这个密码太常见了。"]
    assert _refusals("2024031512") == ["密码只包含数字。"]
    assert _refusals("zhang_xiaoming_2024", user) == ["密码跟 用户名 太相似了。"]
    assert _refusals("春眠不觉晓处处闻啼鸟", user) == []


@pytest.mark.django_db
def test_the_password_change_form_refuses_a_weak_password_in_chinese() -> None:
    user = User.objects.create_user(username="li_hua")
    form = SetPasswordForm(user, {"new_password1": "li_hua", "new_password2": "li_hua"})

    assert not form.is_valid()
    assert form.errors["new_password2"] == [
        "密码跟 用户名 太相似了。",
        "密码太短：至少要有 10 个字符。",
    ]
