"""The inspection office's cockpit: its figures on a small ledger built here, each
inspection its own row, draft plans never overdue, every figure's link landing on a
list of exactly that many measures, its .xlsx, and who may open it."""

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.inspections.models import Category, Inspection, Problem, Round
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Membership, Organisation, Role
from zhenggai.taxonomy.models import ProblemTopic, Topic
from zhenggai.web.cockpit_tables import SECTIONS, TOP, Table

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
PAST = TODAY - dt.timedelta(days=3)
# The columns whose figures count measures, and so must link to that many.
COUNTED = {"整改措施", "已完成", "未完成", "逾期"}


def _measure(inspection: Inspection, problem: Problem, position: int, **values: Any) -> Measure:
    return Measure.objects.create(
        inspection=inspection,
        category=problem.category,
        problem=problem,
        position=position,
        text=f"措施{position}",
        **values,
    )


def _ledger(cast: Cast) -> dict[str, Inspection]:
    """A: its plan approved, in round 第一轮, one measure overdue, one signed off, one
    immediate and overdue in 新闻部. A again (a second inspection, 第二轮), its plan a
    draft with a measure past its deadline. B: a draft with one past its deadline."""
    first = Round.objects.create(office=cast.office, name="第一轮")
    second = Round.objects.create(office=cast.office, name="第二轮")
    a, b = cast.a, cast.b
    Inspection.objects.filter(pk=a.inspection.pk).update(
        round=first, plan_state=PlanState.APPROVED, plan_approved=timezone.now()
    )
    Measure.objects.filter(pk=a.measure.pk).update(deadline=PAST, state=State.IN_PROGRESS)
    Measure.objects.filter(pk=a.other_measure.pk).update(state=State.SIGNED_OFF)
    _measure(
        a.inspection, a.problem, 3, deadline=PAST, type=Measure.Type.IMMEDIATE,
        department=a.department,
    )  # fmt: skip
    again = Inspection.objects.create(organisation=a.org, round=second, title="再次巡察")
    category = Category.objects.create(inspection=again, position=1, title="政治建设方面")
    problem = Problem.objects.create(inspection=again, category=category, position=1, title="问题")
    _measure(again, problem, 1, deadline=PAST, department=a.department)
    Measure.objects.filter(pk=b.measure.pk).update(deadline=PAST)
    return {"a": a.inspection, "again": again, "b": b.inspection}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(client: Client, query: str = "") -> list[Any]:
    """The cockpit's page and each of its sections, as its page asks for them."""
    page = client.get(f"/cockpit/{query}")
    assert page.status_code == 200
    found = [page]
    for name in SECTIONS:
        url = f"/cockpit/sections/{name}/{query}"
        assert f'hx-get="{url.replace("&", "&amp;")}"' in page.content.decode()
        section = client.get(url, headers={"HX-Request": "true"})
        assert section.status_code == 200 and b"<html" not in section.content
        found.append(section)
    return found


def _tables(client: Client, query: str = "") -> dict[str, Table]:
    """Every table the cockpit shows, its page's and its sections'."""
    return {k: t for page in _pages(client, query) for k, t in page.context["tables"].items()}


def _whole(client: Client, slug: str) -> Table:
    response = client.get(f"/cockpit/tables/{slug}/")
    assert response.status_code == 200
    table: Table = response.context["table"]
    return table


def _column(table: Table, name: str) -> list[Any]:
    index = table.columns.index(name)
    return [row[index].value for row in table.rows]


def _by_inspection(table: Table, name: str) -> dict[str, Any]:
    index = table.columns.index(name)
    return {f"{row[0].value}/{row[1].value}": row[index].value for row in table.rows}


def test_each_inspection_is_its_own_row_and_links_to_its_ledger(cast: Cast) -> None:
    found = _ledger(cast)
    table = _whole(_client(cast.office_user), "inspections")
    assert _column(table, "单位") == ["县文旅局", "县融媒体中心", "县融媒体中心"]
    urls = [row[0].url for row in table.rows]
    assert urls == [f"/inspections/{found[k].pk}/" for k in ("b", "again", "a")]
    # The cockpit shows the worst first: the most overdue, then the least complete.
    shown = _tables(_client(cast.office_user))["inspections"]
    assert [row[0].url for row in shown.rows] == [
        f"/inspections/{found[k].pk}/" for k in ("a", "b", "again")
    ]


def test_a_long_table_shows_its_first_rows_and_its_page_lists_all(cast: Cast) -> None:
    for k in range(TOP + 5):
        Organisation.objects.create(
            name=f"部门{k:02}", kind=Organisation.Kind.DEPARTMENT, parent=cast.a.org
        )
        Measure.objects.create(
            inspection=cast.a.inspection, category=cast.a.problem.category,
            problem=cast.a.problem, position=10 + k, text=f"措施{k}",
            department=Organisation.objects.get(name=f"部门{k:02}"),
        )  # fmt: skip
    client = _client(cast.office_user)
    shown = _tables(client)["departments"]
    assert len(shown.rows) == TOP and shown.more
    assert shown.total is not None and shown.total >= TOP + 5
    body = client.get("/cockpit/sections/departments/", headers={"HX-Request": "true"})
    assert 'href="/cockpit/tables/departments/"' in body.content.decode()
    whole = _whole(client, "departments")
    assert len(whole.rows) == shown.total
    assert {f"部门{k:02}" for k in range(TOP + 5)} <= set(_column(whole, "责任部门"))
    assert client.get("/cockpit/tables/departments/?page=9").context["page"] == 1
    assert client.get("/cockpit/tables/nothing/").status_code == 404
    assert client.get("/cockpit/sections/nothing/").status_code == 404


def test_a_section_opened_without_scripts_is_a_page_of_its_own(cast: Cast) -> None:
    _ledger(cast)
    response = _client(cast.office_user).get("/cockpit/sections/trend/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "/static/web/cockpit.js" in body
    assert 'id="chart-burndown-data"' in body


def test_problems_are_counted_by_their_topic(cast: Cast) -> None:
    found = _ledger(cast)
    topic = Topic.objects.create(office=cast.office, name="政治建设")
    ProblemTopic.objects.create(problem=cast.a.problem, topic=topic)
    client = _client(cast.office_user)
    table = _tables(client)["topics"]
    by_name = {row[0].value: row for row in table.rows}
    assert by_name["政治建设"][1].value == 1  # A's problem
    assert table.value(by_name["政治建设"], "整改措施") == 3
    assert table.value(by_name["（未分类）"], "问题") == 2  # B's and A's second inspection's
    url = by_name["政治建设"][2].url
    assert url is not None and _count_at(client, url) == 3
    assert by_name["（未分类）"][2].url is None
    del found


def test_its_figures_are_the_ledger_s(cast: Cast) -> None:
    _ledger(cast)
    tables = _tables(_client(cast.office_user))
    inspections = tables["inspections"]
    assert _by_inspection(inspections, "整改措施") == {
        "县文旅局/—": 2,
        "县融媒体中心/第二轮": 1,
        "县融媒体中心/第一轮": 3,
    }
    assert _by_inspection(inspections, "已完成")["县融媒体中心/第一轮"] == 1
    rounds = tables["rounds"]
    assert _column(rounds, "轮次") == ["第一轮", "第二轮", "（未列入轮次）"]
    assert _column(rounds, "逾期") == [2, 0, 0]
    types = {row[0].value: row[1].value for row in tables["types"].rows}
    assert types == {"立行立改": 1, "限期整改": 5, "长期坚持": 0}
    departments = tables["departments"]
    assert _column(departments, "责任部门")[0] == "新闻部"
    assert _column(departments, "逾期")[0] == 2  # A's measure 1 and 3; not the draft's
    categories = tables["categories"]
    assert _column(categories, "问题类别") == ["政治建设方面"]
    assert _column(categories, "问题") == [3]
    assert _column(categories, "整改措施") == [6]


def test_draft_plans_are_not_counted_overdue(cast: Cast) -> None:
    _ledger(cast)
    table = _tables(_client(cast.office_user))["inspections"]
    assert _by_inspection(table, "逾期") == {
        "县文旅局/—": 0,
        "县融媒体中心/第二轮": 0,
        "县融媒体中心/第一轮": 2,
    }
    weeks = _tables(_client(cast.office_user))["weeks"]
    assert _column(weeks, "逾期措施")[-1] == 2
    assert _column(weeks, "未完成措施")[-1] == 5


def test_the_ledger_of_a_draft_plan_shows_nothing_overdue(cast: Cast) -> None:
    """The ledger's own filter, its rows and its API keep the cockpit's rule."""
    found = _ledger(cast)
    client = _client(cast.office_user)
    for key, late in (("again", 0), ("a", 2)):
        ledger = f"/inspections/{found[key].pk}/"
        assert _count_at(client, f"{ledger}?overdue=1") == late, key
        rows = client.get(ledger).context["rows"]
        assert sum(row.overdue for row in rows) == late, key
        listed = client.get(f"/api/inspections/{found[key].pk}/measures").json()["items"]
        assert sum(m["overdue"] for m in listed) == late, key


def test_the_burn_down_names_each_round(cast: Cast) -> None:
    _ledger(cast)
    burndown = _tables(_client(cast.office_user))["burndown"]
    assert burndown.columns == ["周末日期", "第一轮", "第二轮", "（未列入轮次）"]
    assert [row[1].value for row in burndown.rows][-1] == 2  # 第一轮: two still open


def test_the_round_filter_narrows_everything(cast: Cast) -> None:
    found = _ledger(cast)
    round_id = found["again"].round_id
    tables = _tables(_client(cast.office_user), f"?round={round_id}")
    assert [row[0].url for row in tables["inspections"].rows] == [
        f"/inspections/{found['again'].pk}/"
    ]
    assert _column(tables["types"], "整改措施") == [0, 1, 0]
    assert _column(tables["rounds"], "轮次") == ["第二轮"]


def _count_at(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    assert len(response.context["rows"]) == response.context["count"], url  # one page
    count: int = response.context["count"]
    return count


def _links(tables: dict[str, Table]) -> list[tuple[str, int, str]]:
    found = []
    for table in tables.values():
        for row in table.rows:
            for name, cell in zip(table.columns, row, strict=True):
                if name in COUNTED and cell.url:
                    found.append((f"{table.slug}/{row[0].value}/{name}", cell.value, cell.url))
    return found


@pytest.mark.parametrize("query", ["", "?round=none"])
def test_every_figure_links_to_a_list_of_exactly_that_many_measures(cast: Cast, query: str) -> None:
    _ledger(cast)
    client = _client(cast.office_user)
    links = _links(_tables(client, query))
    assert len(links) > (20 if not query else 5)
    for name, value, url in links:
        assert _count_at(client, url) == value, (name, url)


def test_every_bar_drills_down_to_its_figure_s_list(cast: Cast) -> None:
    _ledger(cast)
    client = _client(cast.office_user)
    charts = [chart for page in _pages(client) for chart in page.context["charts"]]
    checked = 0
    for chart in charts:
        if chart.spec["kind"] != "bar" or chart.spec["percent"]:
            continue
        for series in chart.spec["series"]:
            for value, url in zip(series["data"], series["urls"], strict=True):
                if url and series["name"] != "问题":
                    assert _count_at(client, url) == value, (chart.slug, series["name"])
                    checked += 1
    assert checked > 5
    overdue = next(c for c in charts if c.slug == "overdue-organisations")
    assert overdue.spec["series"][0]["data"] == [2]  # only the organisations with any


def test_the_json_islands_are_data_not_script(cast: Cast) -> None:
    _ledger(cast)
    body = _client(cast.office_user).get("/cockpit/").content.decode()
    assert 'id="chart-overdue-organisations-data" type="application/json"' in body
    assert "/static/web/vendor/echarts/echarts.min.js" in body
    assert "/static/web/cockpit.js" in body
    assert "<script>" not in body and "onclick" not in body


@pytest.mark.parametrize("slug", ["inspections", "rounds", "departments", "categories", "types"])
def test_each_table_downloads_as_xlsx(cast: Cast, slug: str) -> None:
    _ledger(cast)
    client = _client(cast.office_user)
    table = _whole(client, slug)
    response = client.get(f"/cockpit/{slug}.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == table.columns
    assert [list(r) for r in rows[1:]] == [[c.value for c in row] for row in table.rows]


def test_an_unknown_table_is_404(cast: Cast) -> None:
    assert _client(cast.office_user).get("/cockpit/nothing.xlsx").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/cockpit/",
        "/cockpit/measures/",
        "/cockpit/rounds.xlsx",
        "/cockpit/sections/categories/",
        "/cockpit/tables/departments/",
    ],
)
def test_only_the_inspection_office_opens_the_cockpit(cast: Cast, url: str) -> None:
    assert _client(cast.office_user).get(url).status_code == 200
    for user in [*cast.a.users.values(), *cast.b.users.values(), cast.outsider]:
        assert _client(user).get(url).status_code == 404, user


def test_an_office_never_sees_another_office_s_organisations(cast: Cast) -> None:
    found = _ledger(cast)
    other = Organisation.objects.create(name="市委巡察办", kind=Organisation.Kind.OFFICE)
    user = User.objects.create_user(username="other_office")
    Membership.objects.create(user=user, organisation=other, role=Role.INSPECTION_OFFICE)
    client = _client(user)
    for page in _pages(client):
        body = page.content.decode()
        assert "县融媒体中心" not in body and "县文旅局" not in body and "新闻部" not in body
    assert "县融媒体中心" not in client.get("/cockpit/tables/inspections/").content.decode()
    for query in ("", f"?organisation={cast.a.org.pk}", f"?round={found['a'].round_id}"):
        assert _count_at(client, f"/cockpit/measures/{query}") == 0


def test_the_ledger_filters_by_type(cast: Cast) -> None:
    found = _ledger(cast)
    client = _client(cast.office_user)
    url = f"/inspections/{found['a'].pk}/?type=immediate"
    assert _count_at(client, url) == 1
    assert _count_at(client, f"/inspections/{found['a'].pk}/?type=immediate&type=time_bound") == 3


def test_the_home_page_links_the_office_to_its_cockpit_and_ledgers(cast: Cast) -> None:
    found = _ledger(cast)
    body = _client(cast.office_user).get("/").content.decode()
    assert 'href="/cockpit/"' in body
    for inspection in found.values():
        assert f'href="/inspections/{inspection.pk}/"' in body
    for user in (cast.a.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        assert 'href="/cockpit/"' not in _client(user).get("/").content.decode()
