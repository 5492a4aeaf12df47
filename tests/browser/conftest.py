"""Fixtures of the browser tests: the real application on SQLite with the demo
loaded, Debian's Chromium driven by Playwright, and a watched page per test.

- ``server`` (session): a `Server` — ``base_url``, ``data_dir``, ``users`` (every
  demo user with password, role and organisation), ``user(role, organisation=None)``,
  ``organisations``, ``query(sql, params)`` (read-only, on its database) and
  ``manage(*args)`` (a `zhenggai` command on its database).
- ``browser``: the Chromium of the whole package.
- ``page`` / ``phone``: a fresh context and page, desktop (1280×800) or 375×812,
  with the base URL set (``page.goto("/")``) and Chinese as the browser's language.
- ``new_page(**context_options)``: more pages, each its own context (a second user).
- ``empty_server`` (module) and ``new_empty_page``: a second server with no data and
  no demo, and pages of it (tests/browser/test_office_setup.py).
- ``own_server`` (module) and ``new_own_page``: a demo server of the module's own, for
  a test whose writes would change what the tests on ``server`` count.
- ``watch``: the test fails if any of its pages logs a JavaScript error or asks for
  anything off 127.0.0.1 (``watch.allow(regex)`` for an error the test expects).
"""

import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser import support
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, PHONE, Server, Watch

DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 30_000  # a navigation or a click; signing in hashes a password on a shared machine

NewPage = Callable[..., Page]
Environment = Callable[[Path, int], dict[str, str]]  # of a data folder and a port


def _serve(data_dir: Path, environment: Environment, demo: bool) -> Iterator[Server]:
    """scripts/run.sh on ``data_dir`` until the fixture is done; ``demo``: its users read."""
    port = support.free_port()
    running = Server(
        base_url=f"http://{support.LOCAL_HOST}:{port}",
        data_dir=data_dir,
        log=data_dir / "run.log",
        env=environment(data_dir, port),
    )
    process = support.start(running)
    try:
        support.wait_until_it_answers(running, process)
        if demo:
            running.users = support.demo_users(running)
        yield running
    finally:
        support.stop(process)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("server")
    yield from _serve(data_dir, support.server_environment, demo=True)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo server of the module's own, on its own data folder: for a test that
    changes the demo's figures (rounds, letters, relapses), which the tests on the
    shared ``server`` count (tests/browser/test_office_journey.py)."""
    data_dir = tmp_path_factory.mktemp("own-server")
    yield from _serve(data_dir, support.server_environment, demo=True)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Package-scoped rather than session-scoped: while Playwright's synchronous API is
    running it leaves an asyncio loop running in this thread, and Django refuses
    database access from there (SynchronousOnlyOperation), so the browser is closed
    before the tests of the other folders run."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing ({CHROMIUM}): the browser tests need it. "
            "Install it with `scripts/bootstrap.sh test` (`make test` does), "
            "or point ZHENGGAI_CHROMIUM at another build.",
            pytrace=False,
        )
    expect.set_options(timeout=TIMEOUT_MS)
    for stale in support.SCREENS.glob("FAILED-*.png"):  # from an earlier run
        stale.unlink()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second server, on an empty data folder and without the demo: a production
    start (scripts/run.sh with ZHENGGAI_ENV=production loads no demo) as an office
    installs it, over plain HTTP on 127.0.0.1 for the test. Module-scoped: the test
    that uses it fills it."""
    data_dir = tmp_path_factory.mktemp("empty-server")
    yield from _serve(data_dir, support.empty_server_environment, demo=False)


def _pages(browser: Browser, base_url: str, watch: Watch) -> Iterator[NewPage]:
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(
            **{
                "base_url": base_url,
                "locale": "zh-CN",
                "timezone_id": "Asia/Shanghai",
                "viewport": DESKTOP,
                "service_workers": "block",  # so the route below sees every request
                **options,
            }
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", watch.route)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        context.on("page", watch.attach)  # pages it opens later (a popup, a new tab)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(browser: Browser, server: Server, watch: Watch) -> Iterator[NewPage]:
    yield from _pages(browser, server.base_url, watch)


@pytest.fixture
def new_empty_page(browser: Browser, empty_server: Server, watch: Watch) -> Iterator[NewPage]:
    """Pages of ``empty_server``, watched as every page is."""
    yield from _pages(browser, empty_server.base_url, watch)


@pytest.fixture
def new_own_page(browser: Browser, own_server: Server, watch: Watch) -> Iterator[NewPage]:
    """Pages of ``own_server``, watched as every page is."""
    yield from _pages(browser, own_server.base_url, watch)


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


@pytest.fixture
def phone(new_page: NewPage) -> Page:
    return new_page(viewport=PHONE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After the test body: fail it for what its pages did wrong (see ``Watch``); when it
    failed, keep a screenshot of each of its pages to see why."""
    try:
        result = yield
    except (Exception, pytest.fail.Exception):
        _shoot_failure(item)
        raise
    watch = _fixtures(item).get("watch")
    if isinstance(watch, Watch) and watch.problems():
        _shoot_failure(item)
        pytest.fail("\n".join(watch.problems()), pytrace=False)
    return result


def _fixtures(item: pytest.Item) -> dict[str, Any]:
    return item.funcargs if isinstance(item, pytest.Function) else {}


def _shoot_failure(item: pytest.Item) -> None:
    browser = _fixtures(item).get("browser")
    if not isinstance(browser, Browser):
        return
    name = re.sub(r"[^\w.-]+", "_", item.name)
    pages = [p for context in browser.contexts for p in context.pages]
    for number, page in enumerate(pages, 1):
        try:
            support.shot(page, f"FAILED-{name}-{number}")
        except Exception:  # a page that died: its screenshot is not worth a second error
            continue
