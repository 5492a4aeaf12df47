"""The watch every browser test runs under (conftest.py): what it catches. A test it
catches fails; this one reads what was caught and then forgives it."""

from playwright.sync_api import Page

from tests.browser.support import Watch


def test_it_catches_javascript_errors_and_refuses_requests_off_the_machine(
    page: Page, watch: Watch
) -> None:
    page.goto("/login/")

    page.evaluate("() => console.error('logged')")
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('thrown') }, 0)")
    loaded = page.evaluate(
        """() => new Promise(done => {
            const script = document.createElement('script');
            script.src = 'https://cdn.example.com/library.js';
            script.onload = () => done('loaded');
            script.onerror = () => done('refused');
            document.head.append(script);
        })"""
    )

    assert loaded == "refused"
    assert watch.foreign == ["GET https://cdn.example.com/library.js"]
    problems = "\n".join(watch.problems())
    assert "JavaScript error: logged" in problems
    assert "JavaScript error: thrown" in problems
    watch.allow("logged|thrown|ERR_BLOCKED_BY_CLIENT")
    watch.foreign.clear()
    assert watch.problems() == []


def test_an_expected_error_can_be_allowed(page: Page, watch: Watch) -> None:
    watch.allow(r"status of 404")

    answer = page.goto("/no-such-page/")

    assert answer is not None and answer.status == 404
    assert watch.errors and watch.problems() == []
