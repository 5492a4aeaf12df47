"""The inspection office's cockpit in Chromium: its charts draw (ECharts, served by the
application, under the Content-Security-Policy), and a click on a bar of the overdue
chart lands on the list of exactly the overdue measures it counts. The ``watch``
fixture fails the test on any JavaScript error or CSP violation."""

import json
import re

from playwright.sync_api import Page, expect

from tests.browser.support import Server, Watch, login_as, shot


def _bar(page: Page, chart: str) -> tuple[float, float, int, str]:
    """The middle of the first bar of ``chart`` that links somewhere, as a pixel of the
    page, with the figure it shows and its link, from the chart instance's own
    coordinates (window.zhenggaiCharts, static/web/cockpit.js)."""
    spec = json.loads(page.locator(f"#chart-{chart}-data").text_content() or "{}")
    series = spec["series"][0]
    index = next(k for k, url in enumerate(series["urls"]) if url)
    value = series["data"][index]
    page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
    x, y = page.evaluate(
        "([id, point]) => window.zhenggaiCharts[id].convertToPixel({seriesIndex: 0}, point)",
        [f"chart-{chart}", [value / 2, index]],
    )
    box = page.locator(f"#chart-{chart}").bounding_box()
    assert box is not None
    return box["x"] + x, box["y"] + y, value, series["urls"][index]


def test_the_office_clicks_an_overdue_bar_and_lands_on_those_measures(
    page: Page, server: Server, watch: Watch
) -> None:
    login_as(page, server.user("inspection_office"))
    page.get_by_role("link", name="巡察整改驾驶舱").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("巡察整改驾驶舱")
    for chart in ("completion", "overdue-organisations", "overdue-departments", "types", "trend"):
        expect(page.locator(f"#chart-{chart} canvas")).to_have_count(1)
    shot(page, "cockpit-01-charts")
    x, y, value, url = _bar(page, "overdue-organisations")
    assert value > 0 and "overdue=1" in url
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(re.escape(url) + "$"))
    expect(page.get_by_text(f"共 {value} 条整改措施")).to_be_visible()
    expect(page.locator("table.ledger .mark.overdue")).to_have_count(value)
    shot(page, "cockpit-02-overdue")
    assert not watch.problems()
