"""The inspection office's journey in Chromium (issue 14): it makes a round with two
teams and three organisations, reads the cockpit and drills from a bar to the overdue
measures, writes a letter the organisation signs for and answers, finds a relapse in
a 回头看 campaign, grades an organisation 一般 (which opens its re-rectification) and
reads the similar problems of other organisations.

It runs on a demo server of its own (``own_server``): the rounds, letters and relapses
it makes would change what the tests on the shared demo server count. The ``watch``
fixture fails it on any JavaScript error or Content-Security-Policy violation."""

import json
import re
from pathlib import Path

import docx
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.support import Server, Watch, login_as, png_file, shot

ROUND = "2025年第一轮巡察"
TEAMS = (("第一巡察组", "王组长"), ("第二巡察组", "李组长"))
OFFICE, RECTIFICATION = "inspection_office", "rectification_office"
CAMPAIGN = "2025年整改回头看"
REASON = "制度执行流于形式，相关问题再次出现"
REPLY = "已召开专题会议，逾期措施本月底前完成。"


def _card(page: Page, heading: str) -> Locator:
    return page.locator("section.card", has=page.get_by_role("heading", name=heading, exact=True))


def _said(page: Page) -> Locator:
    """The message a write leaves on the page it leads to."""
    return page.get_by_role("status").first


def _of(rows: Locator, organisation: str) -> Locator:
    """The rows of ``organisation`` (not those of a name that contains it)."""
    return rows.filter(has=rows.page.get_by_role("cell", name=organisation, exact=True))


def _make_round(page: Page, organisations: list[str]) -> None:
    """The round, its two teams, and an inspection of each organisation registered:
    the first two by the first team, the third assigned to the second team first."""
    page.goto("/")
    page.get_by_role("link", name="巡察轮次", exact=True).click()
    page.get_by_label("轮次名称").fill(ROUND)
    page.get_by_label("巡察类型").select_option("常规")
    page.get_by_label("开始日期").fill("2025-03-01")
    page.get_by_role("button", name="创建", exact=True).click()
    expect(_said(page)).to_contain_text(f"已创建巡察轮次「{ROUND}」")
    for name, leader in TEAMS:
        card = _card(page, "新建巡察组")
        card.get_by_label("巡察组名称").fill(name)
        card.get_by_label("组长").fill(leader)
        card.get_by_role("button", name="新建").click()
        expect(_said(page)).to_contain_text("已新建巡察组")
    assign = _card(page, "安排巡察组巡察的单位")
    assign.get_by_label("巡察组").select_option(label=TEAMS[1][0])
    assign.get_by_label(organisations[2]).check()
    assign.get_by_role("button", name="保存").click()
    expect(_said(page)).to_contain_text("已安排巡察组巡察的单位")
    for organisation, team in zip(organisations, (0, 0, 1), strict=True):
        register = _card(page, "登记巡察")
        register.get_by_label("被巡察单位").select_option(label=organisation)
        register.get_by_label("巡察组").select_option(label=TEAMS[team][0])
        register.get_by_label("反馈日期").fill("2025-04-15")
        register.get_by_role("button", name="登记").click()
        expect(_said(page)).to_contain_text("已登记巡察")


def _sees_round(page: Page, organisations: list[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(ROUND)
    teams = page.locator("#round-teams li")
    expect(teams).to_have_count(2)
    expect(teams.nth(0)).to_contain_text(f"{TEAMS[0][0]}（组长：{TEAMS[0][1]}）")
    for name in organisations[:2]:
        expect(teams.nth(0)).to_contain_text(name)
    expect(teams.nth(1)).to_contain_text(organisations[2])
    rows = page.locator("#round-inspections tbody tr")
    expect(rows).to_have_count(3)
    for organisation in organisations:
        expect(_of(rows, organisation)).to_contain_text("2025-04-15")
    expect(_of(rows, organisations[2])).to_contain_text(TEAMS[1][0])
    shot(page, "office-journey-01-round")


def _bar(page: Page, chart: str) -> tuple[float, float, int, str]:
    """The middle of the first bar of ``chart`` that links somewhere, as a pixel of the
    page, with its figure and link (window.zhenggaiCharts, static/web/cockpit.js)."""
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


def _drill(page: Page) -> str:
    """From the cockpit's overdue bar to exactly its overdue measures, on the ledger of
    the organisation it stands for; the organisation."""
    page.goto("/")
    page.get_by_role("link", name="巡察整改驾驶舱").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("巡察整改驾驶舱")
    for chart in ("completion", "overdue-organisations", "overdue-departments", "types", "trend"):
        expect(page.locator(f"#chart-{chart} canvas")).to_have_count(1)
    shot(page, "office-journey-02-cockpit")
    x, y, value, url = _bar(page, "overdue-organisations")
    assert value > 0 and "overdue=1" in url
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(re.escape(url) + "$"))
    expect(page.get_by_text(f"共 {value} 条整改措施")).to_be_visible()
    expect(page.locator("table.ledger .mark.overdue")).to_have_count(value)
    shot(page, "office-journey-03-overdue")
    heading = page.get_by_role("heading", level=1).inner_text()  # 整改台账 · <organisation>
    return heading.split("·")[-1].strip()


def _issue_letter(page: Page, tmp_path: Path) -> tuple[str, str]:
    """From the organisation's ledger: the next letter issued, read and downloaded; its
    number and address."""
    page.get_by_role("link", name="督促函件", exact=True).click()
    page.get_by_role("button", name="发出下一级督促函件").click()
    expect(_said(page)).to_contain_text("已发出")
    row = page.locator("table.rows tbody tr").first
    number = row.locator("td").first.inner_text().strip()
    assert number and number in _said(page).inner_text()
    expect(row).to_contain_text("—")  # neither signed for nor answered yet
    row.get_by_role("link", name=number).click()
    expect(page.get_by_text("未签收")).to_be_visible()
    shot(page, "office-journey-04-letter")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word 文件").click()
    path = tmp_path / "letter.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert number in text
    return number, page.url


def _answer(new_page: NewPage, server: Server, organisation: str, letter: str) -> None:
    """The organisation's rectification office signs for the letter and answers it."""
    page = new_page()
    login_as(page, server.user(RECTIFICATION, organisation))
    page.goto(letter)
    page.get_by_role("button", name="签收").click()
    expect(_said(page)).to_contain_text("已签收")
    page.get_by_label("答复内容").fill(REPLY)
    page.locator("input[name=measures]").first.check()
    page.get_by_role("button", name="答复", exact=True).click()
    expect(_said(page)).to_contain_text("已答复")
    shot(page, "office-journey-05-answered")
    page.context.close()


def _sees_answer(page: Page, letter: str, number: str) -> None:
    page.goto(letter)
    expect(page.get_by_text(REPLY)).to_be_visible()
    expect(page.get_by_text("未签收")).to_have_count(0)
    page.get_by_role("link", name="督促函件", exact=True).click()
    row = page.locator("table.rows tbody tr", has_text=number)
    expect(row.locator("td").nth(5)).not_to_have_text("—")


def _campaign(page: Page, server: Server) -> None:
    """A campaign over every closed problem (sub-problems are checked with their
    problem), its count previewed first."""
    [(closed,)] = server.query(
        "SELECT COUNT(*) FROM inspections_problem WHERE state = ? AND parent_id IS NULL",
        ["signed_off"],
    )
    page.goto("/")
    page.get_by_role("link", name="回头看专项").click()
    page.get_by_role("link", name="新建回头看专项").click()
    page.get_by_label("专项名称").fill(CAMPAIGN)
    page.get_by_role("button", name="预览数量").click()
    expect(page.locator("#campaign-preview")).to_have_text(f"符合条件的已销号问题：{closed}个")
    page.get_by_role("button", name="创建", exact=True).click()
    expect(_said(page)).to_contain_text(f"已创建回头看专项「{CAMPAIGN}」")
    expect(page.locator("#campaign-checks tbody tr")).to_have_count(closed)


def _relapse(page: Page, organisation: str, tmp_path: Path) -> str:
    """The first check of ``organisation`` recorded as relapsed; the problem's page."""
    row = _of(page.locator("#campaign-checks tbody tr"), organisation).first
    problem = row.get_by_role("link").first.get_attribute("href") or ""
    row.get_by_text("记录检查结果").click()
    row.get_by_role("radio", name="问题反弹").check()
    row.get_by_label("检查情况（问题反弹的，写明原因）").fill(REASON)
    row.get_by_label("佐证材料").set_input_files(png_file(tmp_path / "现场检查.png"))
    row.get_by_role("button", name="记录").click()
    expect(_said(page)).to_contain_text("已记录：问题反弹，该问题已重新整改")
    relapsed = page.locator("#campaign-checks tbody tr", has_text=REASON)
    expect(relapsed).to_contain_text("问题反弹")
    expect(relapsed.get_by_role("link", name="现场检查.png")).to_be_visible()
    expect(_of(page.locator("#campaign-by-organisation tbody tr"), organisation)).to_contain_text(
        "1"
    )
    shot(page, "office-journey-06-relapse")
    return problem


def _sees_reopened(new_page: NewPage, server: Server, organisation: str, problem: str) -> None:
    page = new_page()
    login_as(page, server.user(RECTIFICATION, organisation))
    page.goto(problem)
    facts = _card(page, "基本情况")
    expect(facts).to_contain_text("回头看后重新整改")
    shot(page, "office-journey-07-reopened")
    page.context.close()


def _points(page: Page) -> float:
    """What the ledger gives the assessment before anything is entered: the computed
    indicators' scores less the deductions, as the page shows them."""
    computed = page.locator("#assessment-scores tbody tr", has_text="台账计算")
    total = sum(float(t) for t in computed.locator("td").nth(3).all_inner_texts())
    taken = re.findall(r"，扣 ([\d.]+) 分", page.locator("#scores-title ~ ul").inner_text())
    return total - sum(float(t) for t in taken)


def _enter(page: Page, indicator: str, value: float, evidence: Path | None = None) -> None:
    card = _card(page, "录入评估指标")
    card.get_by_label("指标", exact=True).select_option(label=indicator)
    card.get_by_label("得分（虚报瞒报填次数）").fill(f"{value:.1f}")
    card.get_by_label("评分依据").fill(f"{indicator}：按巡察办实地核查情况评分")
    if evidence is not None:
        card.get_by_label("佐证材料").set_input_files(evidence)
    card.get_by_role("button", name="录入").click()
    expect(_said(page)).to_contain_text("已录入")


def _assess(page: Page, problem: str, tmp_path: Path) -> None:
    """The relapsed organisation's assessment entered to total 70 (一般), finalised:
    its re-rectification is registered and linked."""
    page.goto(problem)
    page.get_by_role("navigation", name="当前位置").get_by_role("link").first.click()
    page.get_by_role("link", name="整改评估", exact=True).click()
    page.get_by_role("button", name="开始整改评估").click()
    expect(_said(page)).to_contain_text("已开始整改评估")
    wanted = 70 - _points(page)
    entered = {"组织领导": 20.0, "整改质量": 25.0, "群众满意度": 15.0}
    for name, weight in entered.items():
        entered[name] = max(0.0, min(weight, wanted))
        wanted -= entered[name]
    assert abs(wanted) < 0.05, f"the ledger leaves no way to 70 points ({wanted} short)"
    for n, (name, value) in enumerate(entered.items()):
        _enter(page, name, value, png_file(tmp_path / "评分依据.png") if n == 0 else None)
    expect(page.get_by_text(re.compile(r"按目前录入和台账计算：70(\.0)? 分，一般"))).to_be_visible()
    page.get_by_role("button", name="完成评估并评定等次").click()
    expect(_said(page)).to_contain_text("等次为“一般”，已登记再整改")
    expect(page.locator("#assessment-result")).to_contain_text("一般")
    shot(page, "office-journey-08-assessment")
    original = page.url
    page.locator("#re-rectification").click()
    page.get_by_role("link", name="整改评估", exact=True).click()
    expect(page.get_by_text("本次巡察为整改评估后的再整改")).to_be_visible()
    assert page.url != original
    shot(page, "office-journey-09-re-rectification")


def _similar(page: Page, problem: str, organisation: str) -> None:
    """The problem page's 举一反三: similar problems, of other organisations only."""
    page.goto(problem)
    hits = page.locator("#similar ol.similar > li")
    expect(hits.first).to_be_visible()
    owners = [t.strip() for t in hits.locator("p > span.muted").all_inner_texts()]
    assert owners and organisation not in owners, owners
    page.locator("#similar").scroll_into_view_if_needed()
    shot(page, "office-journey-10-similar")


def test_the_inspection_office_journey(
    new_own_page: NewPage, own_server: Server, watch: Watch, tmp_path: Path
) -> None:
    office = new_own_page()
    login_as(office, own_server.user(OFFICE))
    organisations = own_server.organisations[:3]
    _make_round(office, organisations)
    _sees_round(office, organisations)
    late = _drill(office)
    number, letter = _issue_letter(office, tmp_path)
    _answer(new_own_page, own_server, late, letter)
    _sees_answer(office, letter, number)
    _campaign(office, own_server)
    relapsed = own_server.organisations[0]
    problem = _relapse(office, relapsed, tmp_path)
    _sees_reopened(new_own_page, own_server, relapsed, problem)
    _assess(office, problem, tmp_path)
    _similar(office, problem, relapsed)
    assert not watch.problems()
