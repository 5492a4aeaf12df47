"""Hostile text is shown as text on every page it reaches, and a bad evidence file is
refused in Chinese with nothing saved, in a real Chromium against the running
application."""

import re
from pathlib import Path

from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.support import EVIDENCE_MAX_MB, ROOT, Server, Watch, login_as, shot

SEED = ROOT / "tests" / "samples" / "002_1385efacdcc48c67.txt"
# Script in a tag, script in an attribute, a right-to-left override.
TITLE = '<script>window.pwned=1</script>"><img src=x onerror="window.pwned=2">\u202e末尾'
PROGRESS = TITLE + "长" * 20_000


def _watch_for_script(page: Page) -> list[str]:
    """Every dialog a page opens; a hostile string that ran would open one or set
    window.pwned."""
    opened: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def _shown_as_text(page: Page, url: str, text: str) -> None:
    page.goto(url)
    expect(page.locator("main")).to_contain_text(text)
    assert page.evaluate("window.pwned") is None, url
    assert page.locator("main img[src='x']").count() == 0, url


def _count(server: Server, table: str) -> int:
    [(n,)] = server.query(f"SELECT COUNT(*) FROM {table}")
    return int(n)


def _evidence_files(server: Server) -> int:
    folder = server.data_dir / "evidence"
    return sum(1 for f in folder.rglob("*") if f.is_file()) if folder.exists() else 0


def _draft_with_hostile_title(office: Page, organisation: str) -> None:
    office.goto("/plans/new/")
    office.get_by_label("被巡察单位").select_option(label=organisation)
    office.get_by_label("反馈意见文件").set_input_files(SEED)
    office.get_by_role("button", name="上传并识别").click()
    office.get_by_role("link", name="查看整改方案").click(timeout=60_000)
    office.locator("#plan-tree li").first.get_by_role(
        "link", name=re.compile("^修改")
    ).first.click()
    office.get_by_label("问题标题").fill(TITLE)
    office.get_by_role("button", name="保存标题").click()
    expect(office.locator("#plan-tree")).to_contain_text(TITLE)


def test_hostile_text_is_shown_as_text_everywhere(server: Server, new_page: NewPage) -> None:
    organisation = server.organisations[0]
    office = new_page()
    dialogs = _watch_for_script(office)
    login_as(office, server.user("rectification_office", organisation))
    _draft_with_hostile_title(office, organisation)
    [(inspection, problem, measure)] = server.query(
        "SELECT p.inspection_id, p.id, m.id FROM inspections_problem p "
        "JOIN ledger_measure m ON m.problem_id = p.id WHERE p.title = ? "
        "ORDER BY m.position LIMIT 1",
        [TITLE],
    )
    office.goto(f"/measures/{measure}/")
    office.get_by_label("进展内容").fill(PROGRESS)
    office.get_by_role("button", name="提交进展").click()
    expect(office.locator(".messages")).to_contain_text("已填报整改进展")

    for url in (
        f"/inspections/{inspection}/plan/",
        f"/inspections/{inspection}/",
        f"/inspections/{inspection}/?q={TITLE[:8]}",
        f"/problems/{problem}/",
        f"/inspections/{inspection}/assign/",
    ):
        _shown_as_text(office, url, TITLE)
    _shown_as_text(office, f"/measures/{measure}/", PROGRESS[:200])
    _shown_as_text(office, f"/inspections/{inspection}/dispatch/", TITLE[:25])  # cut short there
    shot(office, "hostile-measure")
    assert dialogs == []


def test_bad_evidence_is_refused_in_chinese_and_nothing_is_saved(
    server: Server, new_page: NewPage, watch: Watch, tmp_path: Path
) -> None:
    watch.allow(r"status of (400|409)")  # the refusal is the page's answer
    organisation = server.busiest_organisation
    person = new_page()
    login_as(person, server.user("responsible_person", organisation))
    person.locator("main a[href^='/measures/']").first.click()
    files = {
        "可执行程序.pdf": b"MZ\x90\x00" + b"\x00" * 200,  # a Windows program named .pdf
        "照片.pdf": b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,  # a picture claiming to be a PDF
        "超大文件.txt": b"a" * (EVIDENCE_MAX_MB * 1024 * 1024 + 1),
    }
    before = (_count(server, "ledger_evidence"), _count(server, "ledger_progressentry"))
    stored = _evidence_files(server)
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        person.get_by_label("进展内容").fill(f"附上{name}")
        person.get_by_label("佐证材料（可选，可多选）").set_input_files(path)
        person.get_by_role("button", name="提交进展").click()
        refusal = person.locator("#refusal")
        expect(refusal).to_contain_text("未能保存")
        assert re.search("[\u4e00-\u9fff]", refusal.inner_text())
        # What was typed is still there; only the file must be chosen again.
        expect(person.get_by_label("进展内容")).to_have_value(f"附上{name}")
        shot(person, f"refused-{Path(name).stem}")
    after = (_count(server, "ledger_evidence"), _count(server, "ledger_progressentry"))
    assert after == before
    assert _evidence_files(server) == stored
