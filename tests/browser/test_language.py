"""The language switch in the page header."""

import re

from playwright.sync_api import Page, expect

from tests.browser.support import Server, language_of, login_as, shot
from zhenggai.orgs.models import Role

HAN = re.compile(r"[\u3400-\u9fff]")  # a Chinese character


def _choose(page: Page, language: str) -> None:
    with page.expect_navigation():
        page.locator("#language").select_option(language)


def test_switching_to_english_and_back(page: Page, server: Server) -> None:
    login_as(page, server.user(Role.RECTIFICATION_OFFICE))
    assert language_of(page) == "zh-hans"

    _choose(page, "en")

    expect(page).to_have_url(f"{server.base_url}/")  # back where the switch was made
    assert language_of(page) == "en"
    expect(page.locator("#language")).to_have_value("en")
    # The page's own words read in English; the names in the ledger stay as written.
    expect(page.locator("header nav")).not_to_contain_text(HAN)
    expect(page.locator("header nav")).to_contain_text(re.compile(r"[A-Za-z]{3}"))
    expect(page.get_by_role("heading", level=1)).not_to_contain_text(HAN)
    expect(page.locator("a.skip")).not_to_contain_text(HAN)
    shot(page, "home-english")
    page.goto("/?again")
    assert language_of(page) == "en"  # it stays chosen

    _choose(page, "zh-hans")

    expect(page).to_have_url(re.compile(r"/\?again$"))
    assert language_of(page) == "zh-hans"
    expect(page.locator("header nav")).to_contain_text("首页")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")
