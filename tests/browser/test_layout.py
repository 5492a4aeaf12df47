"""The home page on a phone's width and from the keyboard."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import PHONE, Server, login_as, no_horizontal_scroll, shot
from zhenggai.orgs.models import Role


def test_the_sign_in_page_fits_a_phone(phone: Page) -> None:
    phone.goto("/login/")

    assert phone.viewport_size == PHONE
    no_horizontal_scroll(phone)
    shot(phone, "login-phone")


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_the_home_page_fits_a_phone_without_sideways_scrolling(
    phone: Page, server: Server, role: Role
) -> None:
    organisation = None if role == Role.INSPECTION_OFFICE else server.busiest_organisation
    login_as(phone, server.user(role, organisation))

    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    no_horizontal_scroll(phone)
    shot(phone, f"home-{role.value}-phone")


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(
    page: Page, server: Server
) -> None:
    login_as(page, server.user(Role.RECTIFICATION_OFFICE))
    page.goto("/")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # it shows itself when focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
