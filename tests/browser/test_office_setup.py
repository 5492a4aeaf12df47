"""Setting up an office from nothing, in a real Chromium against an empty installation
(issue 13): the sign-in page says to run `zhenggai setup`; the operator runs it; the
first administrator signs in, makes two organisations with departments, downloads the
import template, fills it with 20 people and imports them (after a wrong file is
refused whole), moves one person to the other organisation and deactivates another.
Then people set their passwords with their one-time codes and sign in, each seeing
only what their role allows: organisation A's person not B's ledger, the moved
person B's, the inspection office both, the deactivated person nothing."""

import re
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.support import Server, Watch, login, shot, submit_login
from tests.support import SAMPLES

OFFICE, A, B = "某县委巡察办", "县融媒体中心", "县文旅局"
ADMIN_PASSWORD = "Xun-cha-ban-2024!"
DEPARTMENTS = {A: ["新闻部", "技术部"], B: ["办公室"]}
MOVED, DEACTIVATED = "rm05", "rm10"


def _people() -> list[tuple[str, str, str, str, str]]:
    """20 rows: the inspection office's person, 10 of A and 9 of B."""
    rows = [("周巡察", "xcb01", OFFICE, "", "巡察办")]
    a_roles = ["整改办公室", "第一责任人", "责任领导", "派驻纪检监察组"]
    for n in range(1, 11):
        department = "" if n <= 4 else DEPARTMENTS[A][n % 2]
        rows.append(
            (f"融媒{n:02}", f"rm{n:02}", A, department, a_roles[n - 1] if n <= 4 else "责任人")
        )
    b_roles = ["整改办公室", "第一责任人", "责任领导"]
    for n in range(1, 10):
        department = "" if n <= 3 else "办公室"
        rows.append(
            (f"文旅{n:02}", f"wl{n:02}", B, department, b_roles[n - 1] if n <= 3 else "责任人")
        )
    return rows


def _first_administrator(page: Page, server: Server, tmp_path: Path) -> None:
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("尚未初始化")
    expect(page.locator("pre")).to_contain_text("zhenggai setup --office")
    shot(page, "office-setup-01-empty")
    secret = tmp_path / "password.txt"
    secret.write_text(ADMIN_PASSWORD + "\n", "utf-8")
    said = server.manage(
        "setup",
        "--office",
        OFFICE,
        "--username",
        "admin",
        "--name",
        "张主任",
        "--password-file",
        str(secret),
    )
    assert "admin" in said
    login(page, "admin", ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="系统管理")).to_be_visible()


def _unit(page: Page, name: str) -> Locator:
    return page.locator("section.card", has=page.get_by_role("heading", name=name, exact=True))


def _tree(page: Page) -> None:
    page.get_by_role("main").get_by_role("link", name="单位和部门").click()
    for name in (A, "县文化旅游局"):
        page.get_by_label("新增被巡察单位").fill(name)
        page.get_by_role("button", name="新增单位").click()
        expect(page.get_by_role("status")).to_contain_text(f"已新增「{name}」")
    page.get_by_text("改名（县文化旅游局）").click()
    renaming = page.locator("details[open] form")
    renaming.get_by_label("新名称").fill(B)
    renaming.get_by_role("button", name="保存名称").click()
    expect(page.get_by_role("heading", name=B, exact=True)).to_be_visible()
    for unit, departments in DEPARTMENTS.items():
        for department in departments:
            section = _unit(page, unit)
            section.get_by_label("新增部门").fill(department)
            section.get_by_role("button", name="新增部门").click()
            expect(_unit(page, unit).locator(".department", has_text=department)).to_be_visible()
    shot(page, "office-setup-02-tree")


def _filled_template(page: Page, tmp_path: Path, rows: Sequence[Sequence[str]]) -> Path:
    """The template the page offers, downloaded and filled as an office would."""
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["姓名", "登录名", "单位", "部门", "角色"]
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / f"people-{len(rows)}.xlsx"
    book.save(path)
    return path


def _import(page: Page, tmp_path: Path) -> dict[str, str]:
    """The 20 people imported (a file with a wrong row refused first); their codes."""
    page.get_by_role("link", name="批量导入人员").first.click()
    wrong = [*_people()[:2], ("错人", "wrong", A, "", "组长")]
    page.get_by_label("人员名单（.xlsx）").set_input_files(_filled_template(page, tmp_path, wrong))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_role("alert").first).to_contain_text("未导入任何人员")
    expect(page.locator(".row-errors li")).to_have_count(1)
    expect(page.locator(".row-errors li")).to_contain_text("第 4 行：角色「组长」不存在")
    page.get_by_label("人员名单（.xlsx）").set_input_files(
        _filled_template(page, tmp_path, _people())
    )
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导入人员的一次性登录码")
    shot(page, "office-setup-03-codes")
    rows = page.locator("table.codes tbody tr")
    expect(rows).to_have_count(20)
    codes = {}
    for row in rows.all():
        cells = row.locator("td").all_inner_texts()
        codes[cells[1]] = cells[2]
    return codes


def _person_page(page: Page, name: str) -> None:
    page.get_by_role("link", name="人员", exact=True).first.click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def _move(page: Page) -> None:
    """rm05, 责任人 of A's 技术部, becomes B's 整改办公室."""
    _person_page(page, "融媒05")
    page.get_by_role("button", name="撤销").click()
    expect(page.get_by_role("status")).to_contain_text("已撤销角色")
    page.get_by_role("combobox", name="单位或部门").select_option(label=B)
    page.get_by_role("combobox", name="角色").select_option(label="整改办公室")
    page.get_by_role("button", name="授予", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已授予角色")
    roles = page.locator("table.rows tbody tr")
    expect(roles).to_have_count(1)
    expect(roles).to_contain_text(B)
    expect(roles).to_contain_text("整改办公室")
    shot(page, "office-setup-04-person")


def _deactivate(page: Page) -> None:
    _person_page(page, "融媒10")
    page.get_by_role("button", name="停用账号").click()
    expect(page.get_by_role("status")).to_contain_text("已停用账号")
    expect(page.get_by_role("button", name="恢复账号")).to_be_visible()


def _welcome(new_page: NewPage, username: str, code: str, password: str) -> Page:
    """The person's first sign-in: their password set with their code."""
    page = new_page()
    page.goto("/welcome/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("一次性登录码").fill(code)
    page.get_by_label("新密码", exact=True).fill(password)
    page.get_by_label("再次输入新密码").fill(password)
    page.get_by_role("button", name="设置密码并登录").click()
    expect(page.get_by_role("status")).to_contain_text("密码已设置")
    return page


def _password(username: str) -> str:
    return f"Zheng-gai-{username}-2024"


def _ledgers(page: Page) -> Locator:
    return page.locator("section", has=page.get_by_role("heading", name="整改台账")).locator(
        "tbody"
    )


def _sees_only(new_page: NewPage, username: str, mine: str, other: str) -> Page:
    page = new_page()
    login(page, username, _password(username))
    expect(_ledgers(page)).to_contain_text(mine)
    expect(_ledgers(page)).not_to_contain_text(other)
    expect(page.get_by_role("heading", name="系统管理")).to_have_count(0)
    return page


def _inspection_of(server: Server, organisation: str) -> int:
    [(pk,)] = server.query(
        "SELECT i.id FROM inspections_inspection i JOIN orgs_organisation o "
        "ON o.id = i.organisation_id WHERE o.name = ?",
        [organisation],
    )
    return int(pk)


def _what_each_sees(new_page: NewPage, server: Server, watch: Watch, gone: Page) -> None:
    office = new_page()
    login(office, "xcb01", _password("xcb01"))
    overview = office.locator(
        "section", has=office.get_by_role("heading", name="各被巡察单位整改情况")
    )
    expect(overview).to_contain_text(A)
    expect(overview).to_contain_text(B)
    of_a = _sees_only(new_page, "rm01", A, B)
    shot(of_a, "office-setup-05-home-of-a")
    watch.allow(r"status of 404 .*/inspections/")
    of_a.goto(f"/inspections/{_inspection_of(server, B)}/")
    expect(of_a.get_by_role("heading", level=1)).to_have_text("未找到")
    _sees_only(new_page, "wl01", B, A)
    _sees_only(new_page, MOVED, B, A)
    # The deactivated person: the session they had ends, and they cannot sign in again.
    gone.reload()
    expect(gone).to_have_url(re.compile(r"/login/"))
    refused = new_page()
    submit_login(refused, DEACTIVATED, _password(DEACTIVATED))
    expect(refused.get_by_role("alert")).to_have_text("用户名或密码不正确，请重新输入。")


def test_an_office_is_set_up_from_nothing(
    new_empty_page: NewPage, empty_server: Server, watch: Watch, tmp_path: Path
) -> None:
    admin = new_empty_page()
    _first_administrator(admin, empty_server, tmp_path)
    _tree(admin)
    watch.allow(r"status of 400 .*/office-admin/import/")  # the wrong file, refused
    codes = _import(admin, tmp_path)
    # The operator loads a ledger into each organisation, as `zhenggai import` does.
    for sample, organisation in ((SAMPLES[0], A), (SAMPLES[1], B)):
        empty_server.manage("import", str(sample), "--org", organisation)
    pages = {
        username: _welcome(new_empty_page, username, codes[username], _password(username))
        for username in ("xcb01", "rm01", "wl01", MOVED, DEACTIVATED)
    }
    _move(admin)
    _deactivate(admin)
    _what_each_sees(new_empty_page, empty_server, watch, pages[DEACTIVATED])
    [(people,)] = empty_server.query("SELECT COUNT(*) FROM orgs_account")
    assert people == 21  # the administrator and the 20 imported
