"""Signing in and out in a real Chromium, and the home page each role lands on."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import Server, login_as, shot, submit_login
from zhenggai.orgs.models import Role

# The parts of the home page each role is given, by their heading.
SECTIONS = {
    Role.INSPECTION_OFFICE: ["各被巡察单位整改情况"],
    Role.RECTIFICATION_OFFICE: ["整改台账"],
    Role.RESPONSIBLE_PERSON: ["我负责的整改措施"],
    Role.RESPONSIBLE_LEADER: ["待我销号", "整改台账"],
    Role.FIRST_RESPONSIBLE: ["待我销号", "整改台账"],
    Role.DISCIPLINE: ["整改台账"],
}
# Parts that only some roles have.
ONLY_FOR_SOME = {"各被巡察单位整改情况", "我负责的整改措施", "待我销号"}


def _organisation_of(server: Server, role: Role) -> str | None:
    """Where the demo gives the role the most to see: the inspection office has one
    organisation of its own; every other role, the busiest inspected one."""
    return None if role == Role.INSPECTION_OFFICE else server.busiest_organisation


def _last_login(server: Server, username: str) -> str | None:
    [(when,)] = server.query("SELECT last_login FROM auth_user WHERE username = ?", [username])
    return str(when) if when else None


def _sessions(server: Server) -> int:
    [(count,)] = server.query("SELECT COUNT(*) FROM django_session")
    return int(count)


def test_a_signed_out_visitor_is_sent_to_sign_in(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    expect(page.get_by_label("用户名")).to_be_focused()
    shot(page, "login")


def test_a_wrong_password_is_refused_in_chinese(page: Page, server: Server) -> None:
    user = server.user(Role.RESPONSIBLE_PERSON)
    sessions, last_login = _sessions(server), _last_login(server, user.username)

    submit_login(page, user.username, user.password + "x")

    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确，请重新输入。")
    expect(page.get_by_label("用户名")).to_have_value(user.username)  # kept, not retyped
    expect(page.get_by_label("密码")).to_have_value("")
    expect(page.locator("header .user")).to_have_count(0)
    assert _sessions(server) == sessions
    assert _last_login(server, user.username) == last_login
    shot(page, "login-refused")


@pytest.mark.parametrize("role", list(SECTIONS), ids=[r.value for r in SECTIONS])
def test_each_role_signs_in_to_its_home_page(page: Page, server: Server, role: Role) -> None:
    user = server.user(role, _organisation_of(server, role))

    login_as(page, user)

    expect(page).to_have_url(f"{server.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")
    expect(page.locator("header .user")).to_contain_text(user.organisation)
    for heading in SECTIONS[role]:
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    for heading in ONLY_FOR_SOME - set(SECTIONS[role]):
        expect(page.get_by_role("heading", level=2, name=heading)).to_have_count(0)
    assert _last_login(server, user.username) is not None
    shot(page, f"home-{role.value}")


def test_a_responsible_person_sees_their_open_measures_with_their_warning(
    page: Page, server: Server
) -> None:
    login_as(page, server.user(Role.RESPONSIBLE_PERSON, server.busiest_organisation))

    mine = page.locator("section").filter(has=page.get_by_role("heading", name="我负责的整改措施"))
    expect(mine.locator("tbody tr").first).to_be_visible()
    expect(mine.locator("tbody tr a[href^='/measures/']").first).to_be_visible()
    expect(mine.locator("tbody tr .mark").first).to_be_visible()


def test_the_inspection_office_sees_every_organisation_side_by_side(
    page: Page, server: Server
) -> None:
    login_as(page, server.user(Role.INSPECTION_OFFICE))

    # Each inspection its own row, its organisation's name the link to its ledger.
    table = page.get_by_role("table").filter(has_text="完成率")
    for organisation in server.organisations:
        expect(table.get_by_role("link", name=organisation, exact=True).first).to_be_visible()
    table.get_by_role("link", name=server.organisations[0], exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/inspections/\d+/$"))


def test_signing_out_ends_the_session(page: Page, server: Server) -> None:
    login_as(page, server.user(Role.DISCIPLINE))
    sessions = _sessions(server)

    page.get_by_role("button", name="退出").click()

    expect(page).to_have_url(re.compile(r"/login/$"))
    assert _sessions(server) == sessions - 1
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
