"""The progress bulletin published from the ledger page and read by the public: the
rectification office presses 「发布整改进展情况的通报」, then a visitor who never
signed in opens the public address on a phone, reads the title and the date, and
downloads the PDF."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.support import PHONE, Server, Watch, login_as, no_horizontal_scroll, shot
from zhenggai.orgs.models import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _inspection_of(server: Server, organisation: str) -> int:
    [(pk,)] = server.query(
        "SELECT i.id FROM inspections_inspection i "
        "JOIN orgs_organisation o ON o.id = i.organisation_id WHERE o.name = ? "
        "ORDER BY i.id LIMIT 1",
        (organisation,),
    )
    return int(pk)


def _published(server: Server, inspection: int) -> tuple[int, str, dt.date]:
    """The newest version of the inspection's bulletin: its number, title and the day
    it was published (stored in UTC, shown in the server's time zone)."""
    [(version, title, at)] = server.query(
        "SELECT version, title, published_at FROM publications_publication "
        "WHERE inspection_id = ? ORDER BY version DESC LIMIT 1",
        (inspection,),
    )
    published = dt.datetime.fromisoformat(str(at)).replace(tzinfo=dt.UTC)
    return int(version), str(title), published.astimezone(SHANGHAI).date()


def _publish(office: Page, inspection: int) -> str:
    """Press the button on the ledger page; the public address the message gives."""
    office.goto(f"/inspections/{inspection}/")
    office.get_by_role("button", name="发布整改进展情况的通报").click()
    message = office.locator(".messages li", has_text="整改进展情况的通报")
    expect(message).to_contain_text(re.compile(r"已发布第 \d+ 版"))
    found = re.search(r"公开地址：(\S+?/public/[\w-]+/)", message.inner_text())
    assert found, message.inner_text()
    return found[1]


def test_the_office_publishes_and_anyone_reads_and_downloads_it(
    new_page: NewPage, server: Server, watch: Watch, tmp_path: Path
) -> None:
    organisation = server.organisations[0]
    inspection = _inspection_of(server, organisation)
    office = new_page()
    login_as(office, server.user(Role.RECTIFICATION_OFFICE, organisation))

    address = _publish(office, inspection)
    version, title, day = _published(server, inspection)
    # The ledger page lists the version it just published, with its date.
    listed = office.locator("#publications tr", has_text=f"第 {version} 版")
    expect(listed).to_contain_text(day.isoformat())
    shot(office, "public-bulletin-ledger")

    reader = new_page(viewport=PHONE)  # a context of its own: never signed in
    reader.goto(address)
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    expect(reader.locator(".meta")).to_contain_text(
        f"发布日期：{day.year}年{day.month}月{day.day}日"
    )
    expect(reader.get_by_role("button", name="退出")).to_have_count(0)
    no_horizontal_scroll(reader)
    shot(reader, "public-bulletin-phone")

    with reader.expect_download() as started:
        reader.locator(".meta").get_by_role("link", name="下载 PDF").click()
    download = started.value
    saved = tmp_path / "bulletin.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename == f"{title}（第{version}版）.pdf"
