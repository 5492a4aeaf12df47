"""An office rewords its bulletin in the browser: from the ledger page to 文书模板, the
default template downloaded, edited as Word would, uploaded, and the next bulletin
carries the new wording with the ledger's figures; a broken upload is refused."""

from pathlib import Path

import docx
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.support import Server, Watch, login_as, shot
from tests.browser.test_public_bulletin import _inspection_of
from tests.support import reworded
from zhenggai.orgs.models import Role

OLD, NEW = "一、组织整改工作情况", "一、加强组织领导、压实整改责任情况"


def _reworded(template: Path, target: Path) -> Path:
    target.write_bytes(reworded(template.read_bytes(), {OLD: NEW}))
    return target


def _bulletin_text(page: Page, inspection: int) -> str:
    page.goto(f"/inspections/{inspection}/")
    with page.expect_download() as started:
        page.get_by_role("link", name="整改进展情况的通报（Word）").click()
    path = started.value.path()
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_an_office_rewords_its_bulletin_through_the_templates_page(
    new_page: NewPage, server: Server, watch: Watch, tmp_path: Path
) -> None:
    organisation = server.organisations[1]
    inspection = _inspection_of(server, organisation)
    office = new_page()
    login_as(office, server.user(Role.RECTIFICATION_OFFICE, organisation))
    office.goto(f"/inspections/{inspection}/")
    office.get_by_role("link", name="文书模板").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("文书模板")

    section = office.locator(
        "section", has=office.get_by_role("heading", name="整改进展情况的通报")
    )
    with office.expect_download() as started:
        section.get_by_role("link", name="下载默认模板").click()
    default = tmp_path / "default.docx"
    started.value.save_as(default)

    (tmp_path / "x.txt").write_text("不是模板", encoding="utf-8")
    watch.allow(r"status of 400")  # the refusal is the page's answer
    section.get_by_label("模板文件（.docx）").set_input_files(str(tmp_path / "x.txt"))
    section.get_by_role("button", name="上传并启用").click()
    expect(office.locator(".error[role=alert]")).to_contain_text("不是 .docx 文件")

    section = office.locator(
        "section", has=office.get_by_role("heading", name="整改进展情况的通报")
    )
    section.get_by_label("模板文件（.docx）").set_input_files(
        str(_reworded(default, tmp_path / "我们的通报模板.docx"))
    )
    section.get_by_role("button", name="上传并启用").click()
    expect(office.locator(".messages")).to_contain_text("新模板已启用")
    expect(office.locator("section", has_text="整改进展情况的通报")).to_contain_text(
        "正在使用：我们的通报模板.docx"
    )
    shot(office, "templates-page")

    text = _bulletin_text(office, inspection)
    assert NEW in text and OLD not in text
    assert "二、巡察反馈问题的整改进展情况" in text  # the rest of the wording is the default's

    office.goto(f"/inspections/{inspection}/templates/")
    office.locator("section", has_text="整改进展情况的通报").get_by_role(
        "button", name="恢复默认模板"
    ).click()
    expect(office.locator(".messages")).to_contain_text("已恢复使用默认模板")
    assert OLD in _bulletin_text(office, inspection)
