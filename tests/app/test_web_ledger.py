"""The ledger page: grouped, filtered, sorted, searched, paged, exported as filtered,
scoped to the user's organisation, and in a fixed number of queries."""

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.http import FileResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tests.app.conftest import Cast
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.jobs.models import Job
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Role
from zhenggai.web import ledger_export

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _client(cast: Cast, role: Role = Role.RECTIFICATION_OFFICE) -> Client:
    client = Client()
    client.force_login(cast.a.users[role])
    return client


def _url(cast: Cast, query: str = "") -> str:
    return f"/inspections/{cast.a.inspection.pk}/" + (f"?{query}" if query else "")


def _more(cast: Cast, n: int, **fields: object) -> list[Measure]:
    a = cast.a
    start = Measure.objects.filter(inspection=a.inspection).count() + 1
    return [
        Measure.objects.create(
            inspection=a.inspection,
            category=a.problem.category,
            problem=a.problem,
            position=start + i,
            text=f"批量措施{start + i}",
            **fields,
        )
        for i in range(n)
    ]


def _texts(cast: Cast, query: str) -> list[str]:
    """The measure texts the page lists, read back from its links."""
    body = _client(cast).get(_url(cast, query)).content.decode()
    return [m.text for m in Measure.objects.all() if f">{m.text}</a>" in body]


def test_it_shows_categories_problems_and_measures_with_totals(cast: Cast) -> None:
    response = _client(cast).get(_url(cast))
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        body.index("政治建设方面") < body.index("理论学习不深入") < body.index("县融媒体中心措施1")
    )
    assert "县文旅局措施1" not in body  # the sibling's ledger
    assert "问题总数<b>1</b>" in body.replace("\n", "").replace(" ", "")


def test_every_role_of_the_unit_reads_it_and_others_get_404(cast: Cast) -> None:
    for role in cast.a.users:
        assert _client(cast, role).get(_url(cast)).status_code == 200, role
    office = Client()
    office.force_login(cast.office_user)
    assert office.get(_url(cast)).status_code == 200
    for user in (cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        other = Client()
        other.force_login(user)
        assert other.get(_url(cast)).status_code == 404
        assert "县融媒体中心措施1" not in other.get(_url(cast)).content.decode()


def test_anonymous_is_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get(_url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=in_progress", ["县融媒体中心措施2"]),
        ("overdue=1", ["县融媒体中心措施1"]),
        ("overdue=0", ["县融媒体中心措施2"]),
        ("q=措施2", ["县融媒体中心措施2"]),
        ("q=理论学习", ["县融媒体中心措施1", "县融媒体中心措施2"]),
        ("deadline_to=2000-01-01", ["县融媒体中心措施1"]),
        ("sort=-deadline", ["县融媒体中心措施1", "县融媒体中心措施2"]),
    ],
)
def test_it_filters(cast: Cast, query: str, expected: list[str]) -> None:
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(plan_approved=timezone.now())
    Measure.objects.filter(pk=cast.a.measure.pk).update(deadline=dt.date(1999, 1, 1))
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(state=State.IN_PROGRESS)
    assert sorted(_texts(cast, query)) == sorted(expected)


def test_it_filters_by_department_person_and_category(cast: Cast) -> None:
    a = cast.a
    person = a.users[Role.RESPONSIBLE_PERSON]
    assert _texts(cast, f"department=id:{a.department.pk}") == ["县融媒体中心措施1"]
    assert _texts(cast, f"person=id:{person.pk}") == ["县融媒体中心措施1"]
    other = Category.objects.create(inspection=a.inspection, position=2, title="作风建设方面")
    Measure.objects.filter(pk=a.other_measure.pk).update(category=other, problem=None)
    assert _texts(cast, f"category={other.pk}") == ["县融媒体中心措施2"]


def test_it_filters_by_the_names_an_imported_ledger_gives(cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(person_name="王五")
    assert _texts(cast, "person=name:王五") == ["县融媒体中心措施2"]


def test_a_wrong_date_is_named_in_chinese_and_the_rest_still_filters(cast: Cast) -> None:
    body = _client(cast).get(_url(cast, "deadline_from=2026-13-45&q=措施2")).content.decode()
    assert 'role="alert"' in body
    assert "时限从：输入一个有效的日期。" in body
    assert "县融媒体中心措施2</a>" in body and "县融媒体中心措施1</a>" not in body


def test_it_pages_fifty_at_a_time(cast: Cast) -> None:
    _more(cast, 118)  # 120 in all
    pages = [_texts(cast, f"page={n}") for n in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [50, 50, 20, 0]
    body = _client(cast).get(_url(cast, "page=2&q=批量")).content.decode()
    assert "第 2 / 3 页" in body
    assert "?q=%E6%89%B9%E9%87%8F&amp;page=3" in body  # the filter survives paging


def test_an_htmx_request_gets_only_the_results(cast: Cast) -> None:
    response = _client(cast).get(_url(cast, "q=措施"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "县融媒体中心措施1" in body
    assert "HX-Request" in response["Vary"]


def test_hostile_text_is_shown_as_text(cast: Cast) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\u202e'
    Problem.objects.filter(pk=cast.a.problem.pk).update(title=hostile)
    Measure.objects.filter(pk=cast.a.measure.pk).update(text=hostile, person_name=hostile)
    body = _client(cast).get(_url(cast)).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_export_holds_exactly_what_is_filtered(cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.measure.pk).update(text='=HYPERLINK("http://x")')
    response = _client(cast).get(f"/inspections/{cast.a.inspection.pk}/export.xlsx?q=HYPERLINK")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "问题类别", "具体问题", "整改措施")
    assert len(rows) == 2
    assert rows[1][3] == '\u200b=HYPERLINK("http://x")'  # text, never a formula
    assert isinstance(rows[1][7], dt.datetime)  # the deadline is a date cell
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_the_export_is_scoped_like_the_page(cast: Cast) -> None:
    other = Client()
    other.force_login(cast.b.users[Role.RECTIFICATION_OFFICE])
    assert other.get(f"/inspections/{cast.a.inspection.pk}/export.xlsx").status_code == 404


def _count(cast: Cast, query: str) -> int:
    client = _client(cast)
    client.get(_url(cast))  # the session row is warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(cast, query)).status_code == 200
    return len(queries)


# The session and user (2), the inspection with its organisation and the user's grants
# (2), the filter's choices (5), the page's scope and rows (4), the
# totals' scope and counts (3), the office's rules (1) and the unread messages of the
# page's frame (1).
PINNED = 19  # 19 since the link to a final assessment (web/assessments.shows_link)


@pytest.mark.parametrize("query", ["", "q=措施&overdue=0&sort=state&page=1"])
def test_its_queries_do_not_grow_with_the_ledger(cast: Cast, query: str) -> None:
    before = _count(cast, query)
    _more(cast, 300, deadline=TODAY, person_name="张三", department_name="综合科")
    assert before == _count(cast, query) == PINNED


def test_a_large_export_is_a_job_whose_file_only_its_owner_downloads(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.JOBS_INLINE = True
    monkeypatch.setattr(ledger_export, "AT_ONCE", 2)
    monkeypatch.setattr(ledger_export, "CHUNK", 2)
    _more(cast, 3)  # 5 in all: three chunks
    client = _client(cast)
    response = client.get(f"/inspections/{cast.a.inspection.pk}/export.xlsx?q=措施")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.state, job.done, job.total) == (Job.State.DONE, 5, 5)
    assert "下载 Excel 文件" in client.get(f"/jobs/{job.pk}/").content.decode()
    download = client.get(f"/jobs/{job.pk}/download")
    assert download.status_code == 200
    assert isinstance(download, FileResponse)
    content = download.getvalue()
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None and sheet.max_row == 6
    other = Client()
    other.force_login(cast.a.users[Role.RESPONSIBLE_LEADER])
    assert other.get(f"/jobs/{job.pk}/download").status_code == 404
    assert other.get(f"/jobs/{job.pk}/").status_code == 404


def test_people_are_named_by_their_names_not_their_logins(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    person.first_name = "张三"
    person.save()
    body = _client(cast).get(_url(cast)).content.decode()
    assert 'data-label="责任人">张三</td>' in body
    assert f">{person.username}<" not in body  # neither in the rows nor the filter
