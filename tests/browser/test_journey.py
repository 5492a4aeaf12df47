"""One problem carried from the feedback to the follow-up review, by every role in
turn, in a real Chromium against the running application (issue 4's journey).

The rectification office uploads a seed's feedback, corrects a problem's title and
records the plan as approved on paper (the seed is a bulletin of 2019); the office
assigns the problem's measure; the responsible person records progress with an
evidence file (which starts the measure) and asks for sign-off; the office accepts the evidence; the responsible leader signs
the measure off; the office submits the problem and the first responsible person
signs it off; the totals change; the inspection office's follow-up review finds a
relapse and reopens it; the discipline group reads it all in the history. On the
way, the reminder job tells the leader what waits for them.
Each main page is saved as a screenshot.
"""

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.support import ROOT, Server, login_as, png_file, shot

SEED = ROOT / "tests" / "samples" / "001_2c543929d3ae0399.txt"
PROBLEM = "未严格履行退休免职程序"  # the seed's one problem with a single measure
CORRECTED = PROBLEM + "的问题"


def _signed_in(new_page: NewPage, server: Server, role: str, organisation: str | None) -> Page:
    page = new_page()
    login_as(page, server.user(role, organisation))
    return page


def _one(server: Server, sql: str, *params: object) -> int:
    [(value,)] = server.query(sql, params)
    return int(value)


def _total(page: Page, label: str) -> str:
    return page.locator(".totals li", has_text=label).locator("b").inner_text()


def _upload_and_correct(office: Page, organisation: str) -> None:
    office.get_by_role("link", name="导入反馈意见").click()
    office.get_by_label("被巡察单位").select_option(label=organisation)
    office.get_by_label("反馈意见文件").set_input_files(SEED)
    # The seed names its own media centre, not the demo organisation it is filed under.
    office.get_by_label("文件中写的单位与所选单位不同，仍然导入").check()
    shot(office, "journey-01-upload")
    office.get_by_role("button", name="上传并识别").click()
    # The import runs in the background; the page polls it and links to the plan.
    office.get_by_role("link", name="查看整改方案").click(timeout=60_000)
    expect(office.locator("h2", has_text="原文")).to_be_visible()
    shot(office, "journey-02-plan")
    heading = office.locator("strong", has_text=PROBLEM)
    office.locator("#plan-tree li", has=heading).last.get_by_role(
        "link", name=re.compile("^修改")
    ).first.click()
    office.get_by_label("问题标题").fill(CORRECTED)
    office.get_by_role("button", name="保存标题").click()
    expect(office.locator("#plan-tree")).to_contain_text(CORRECTED)
    # A bulletin of 2019: its plan was approved on paper long ago, and is recorded so.
    office.get_by_text("整改方案已在线下审批？").click()
    office.get_by_label("线下审批情况（如批复文号和日期）").fill("2019年党组会议审定")
    office.get_by_role("button", name="登记为已审批").click()
    expect(office.locator(".messages")).to_be_visible()


def _assign(office: Page, inspection: int, measure: int, server: Server, org: str) -> None:
    person, leader = (
        _one(server, "SELECT id FROM auth_user WHERE username = ?", server.user(role, org).username)
        for role in ("responsible_person", "responsible_leader")
    )
    office.goto(f"/inspections/{inspection}/assign/")
    office.locator(f"#m-{measure}").check()
    form = office.locator("form", has=office.locator(f"#m-{measure}"))
    form.get_by_label("责任部门").select_option(index=1)
    form.get_by_label("责任人").select_option(value=str(person))
    form.get_by_label("责任领导").select_option(value=str(leader))
    deadline = dt.date.today() + dt.timedelta(days=30)
    form.get_by_label("首次整改时限").fill(deadline.isoformat())
    shot(office, "journey-04-assign")
    form.get_by_role("button", name="分配给勾选的措施").first.click()
    expect(office.locator(".messages")).to_be_visible()


def _work_the_measure(person: Page, measure: int, evidence: Path) -> None:
    person.get_by_role("link", name=re.compile("措施|整改")).first.wait_for()
    person.goto(f"/measures/{measure}/")
    person.get_by_label("进展内容").fill("已按规定补办退休免职手续，档案已归档。")
    person.get_by_label("佐证材料（可选，可多选）").set_input_files(evidence)
    expect(person.locator("#progress-files-preview img")).to_be_visible()
    shot(person, "journey-05-progress")
    person.get_by_role("button", name="提交进展").click()
    expect(person.locator(".messages")).to_contain_text("已填报整改进展")
    person.get_by_role("button", name="申请销号", exact=True).click()
    expect(person.locator(".messages")).to_contain_text("申请销号")


def _plan_is_approved(server: Server, inspection: int) -> None:
    assert server.query(
        "SELECT plan_state FROM inspections_inspection WHERE id = ?", [inspection]
    ) == [("approved",)]


def _accept_the_evidence(office: Page, measure: int) -> None:
    office.goto(f"/measures/{measure}/")
    office.locator("[id^=form-review-]").get_by_role("button", name="认可", exact=True).click()
    expect(office.locator(".messages")).to_contain_text("认可")


def _sign_off_the_measure(leader: Page, measure: int) -> None:
    expect(leader.locator("main")).to_contain_text("待我销号")
    leader.get_by_role("link", name="消息").click()
    shot(leader, "journey-05-inbox")
    leader.locator(f"main a[href='/measures/{measure}/']").first.click()
    leader.get_by_role("button", name="销号", exact=True).click()
    expect(leader.locator(".messages")).to_be_visible()
    shot(leader, "journey-06-measure")


def _sign_off_the_problem(office: Page, first: Page, server: Server, problem: int) -> None:
    office.goto(f"/problems/{problem}/")  # under way since its measure started
    office.get_by_role("button", name="申请销号", exact=True).click()
    first.goto(f"/problems/{problem}/")
    first.get_by_role("button", name="销号", exact=True).click()
    expect(first.locator(".messages")).to_be_visible()
    shot(first, "journey-07-problem")
    assert server.query("SELECT state FROM inspections_problem WHERE id = ?", [problem]) == [
        ("signed_off",)
    ]


def _find_a_relapse(inspector: Page, server: Server, problem: int) -> None:
    inspector.goto(f"/problems/{problem}/")
    inspector.get_by_label("检查情况").fill("回头看发现新提拔干部仍未按规定办理，问题反弹。")
    inspector.get_by_label("发现问题反弹，重新整改").check()
    inspector.get_by_role("button", name="回头看", exact=True).click()
    expect(inspector.locator(".messages")).to_contain_text("重新整改")
    assert server.query("SELECT state FROM inspections_problem WHERE id = ?", [problem]) == [
        ("reopened",)
    ]


def _read_the_history(discipline: Page, problem: int) -> None:
    discipline.goto(f"/problems/{problem}/")
    history = discipline.locator("main")
    for done in ("销号", "回头看", "重新整改"):
        expect(history).to_contain_text(done)
    expect(discipline.get_by_role("button", name="销号", exact=True)).to_have_count(0)
    shot(discipline, "journey-08-history")


def test_one_problem_from_feedback_to_follow_up_review(
    server: Server, new_page: NewPage, tmp_path: Path
) -> None:
    org = server.busiest_organisation
    office = _signed_in(new_page, server, "rectification_office", org)
    _upload_and_correct(office, org)
    inspection = _one(server, "SELECT MAX(id) FROM inspections_inspection")
    problem = _one(
        server,
        "SELECT id FROM inspections_problem WHERE inspection_id = ? AND title = ?",
        inspection,
        CORRECTED,
    )
    measure = _one(server, "SELECT id FROM ledger_measure WHERE problem_id = ?", problem)

    first = _signed_in(new_page, server, "first_responsible", org)
    _plan_is_approved(server, inspection)

    _assign(office, inspection, measure, server, org)
    office.goto(f"/inspections/{inspection}/")
    signed_off_before = _total(office, "已销号")
    shot(office, "journey-03-ledger")

    person = _signed_in(new_page, server, "responsible_person", org)
    expect(person.locator("main")).to_contain_text(CORRECTED[:10])
    _work_the_measure(person, measure, png_file(tmp_path / "补办手续.png"))
    _accept_the_evidence(office, measure)

    # The reminder job puts the waiting sign-off in the leader's inbox.
    server.manage("remind")
    leader = _signed_in(new_page, server, "responsible_leader", org)
    _sign_off_the_measure(leader, measure)
    _sign_off_the_problem(office, first, server, problem)

    office.goto(f"/inspections/{inspection}/")
    assert int(_total(office, "已销号")) == int(signed_off_before) + 1

    inspector = _signed_in(new_page, server, "inspection_office", None)
    _find_a_relapse(inspector, server, problem)
    office.goto(f"/inspections/{inspection}/")
    assert _total(office, "已销号") == signed_off_before

    discipline = _signed_in(new_page, server, "discipline", org)
    _read_the_history(discipline, problem)

    office.goto(f"/inspections/{inspection}/dispatch/")
    expect(office.locator("main")).to_contain_text(CORRECTED[:10])
    shot(office, "journey-09-dispatch")
