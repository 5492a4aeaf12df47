"""The discipline group's registers in Chromium (issue 15): it records a person held
accountable with the 事由, registers a case lead handed over and records its
disposal, and finds both on the problem's page, in the report and in the bulletin
it downloads from the ledger page.

On a demo server of its own (``own_server``): the records it adds would change what
the tests on the shared demo server count."""

import io

import docx
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.support import Server, Watch, login_as, shot

REASON = "违规发放津贴补贴，造成不良影响"
LEAD = "反映某科室违规发放津贴补贴的问题线索"
OUTCOME = "经初核属实，已立案审查"


def _said(page: Page) -> Locator:
    return page.get_by_role("status").first


def _problem_of(server: Server, organisation: str) -> tuple[int, int]:
    """A top-level problem of the organisation's inspection, and that inspection."""
    rows = server.query(
        "SELECT p.id, p.inspection_id FROM inspections_problem p "
        "JOIN inspections_inspection i ON i.id = p.inspection_id "
        "JOIN orgs_organisation o ON o.id = i.organisation_id "
        "WHERE o.name = ? AND p.parent_id IS NULL ORDER BY p.id LIMIT 1",
        [organisation],
    )
    return rows[0][0], rows[0][1]


def _record_action(page: Page, problem: int) -> None:
    form = page.locator("#form-action")
    form.get_by_label("被处理人", exact=True).fill("王某")
    form.get_by_label("职务", exact=True).fill("财务科科长")
    form.get_by_label("处理方式", exact=True).select_option(label="党纪处分")
    form.get_by_label("处分档次", exact=True).select_option(label="警告")
    form.get_by_label("事由", exact=True).fill(REASON)
    form.get_by_label("涉及问题", exact=True).select_option(value=str(problem))
    form.get_by_label("处理日期", exact=True).fill("2025-05-06")
    form.get_by_label("决定机关", exact=True).fill("县纪委")
    form.get_by_label("文号", exact=True).fill("县纪发〔2025〕6号")
    form.get_by_role("button", name="记录").click()
    expect(_said(page)).to_contain_text("已记录问责处理")


def _register_and_dispose(page: Page, server: Server, problem: int) -> None:
    form = page.locator("#form-lead")
    form.get_by_label("线索", exact=True).fill(LEAD)
    form.get_by_label("移交单位", exact=True).fill("县纪委监委")
    form.get_by_label("接收日期", exact=True).fill("2025-04-20")
    form.get_by_role("button", name="登记").click()
    expect(_said(page)).to_contain_text("已登记问题线索")
    lead = server.query("SELECT id FROM inspections_caselead WHERE description = ?", [LEAD])[0][0]
    form = page.locator("#form-dispose")
    form.get_by_label("问题线索", exact=True).select_option(value=str(lead))
    form.get_by_label("处置方式", exact=True).select_option(label="拟立案")
    form.get_by_label("办结时限", exact=True).fill("2025-07-20")
    form.get_by_label("办理结果", exact=True).fill(OUTCOME)
    form.get_by_label("涉及问题", exact=True).select_option(value=str(problem))
    form.get_by_role("button", name="保存").click()
    expect(_said(page)).to_contain_text("已记录问题线索处置情况")


def _downloaded_text(page: Page, link: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    content = download.value.path().read_bytes()
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_the_discipline_group_records_an_action_and_a_disposal_seen_on_the_problem(
    own_server: Server, new_own_page: NewPage, watch: Watch
) -> None:
    user = own_server.user("discipline")
    problem, inspection = _problem_of(own_server, user.organisation)
    page = new_own_page()
    login_as(page, user)
    page.goto(f"/inspections/{inspection}/")
    page.get_by_role("link", name="问责与整改成果台账").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("问责与整改成果台账")
    # The discipline group records outcomes and leads, not the office's regulations.
    expect(page.locator("#form-regulation")).to_have_count(0)
    _record_action(page, problem)
    expect(page.locator("#register-actions")).to_contain_text(REASON)
    _register_and_dispose(page, own_server, problem)
    page.goto(f"/problems/{problem}/")
    actions = page.locator("#problem-actions")
    for text in ("王某", "财务科科长", "党纪处分", "警告", REASON, "县纪发〔2025〕6号"):
        expect(actions).to_contain_text(text)
    leads = page.locator("#problem-leads")
    for text in (LEAD, "拟立案", "2025-07-20", OUTCOME):
        expect(leads).to_contain_text(text)
    shot(page, "registers-problem")
    page.goto(f"/inspections/{inspection}/")
    for link in ("整改情况报告（Word）", "整改进展情况的通报（Word）"):
        text = _downloaded_text(page, link)
        assert "王某（财务科科长）：经县纪委决定（县纪发〔2025〕6号）给予党纪处分（警告）" in text
        assert f"事由：{REASON}" in text and "拟立案" in text, link
