"""The weekly dispatch: what moved this week, what is late, who must act — as a page
and as a sheet that opens in a spreadsheet without running anything, scoped to
who may read the inspection, in a fixed number of queries."""

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.app.conftest import Cast, plans_approved
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.ledger import dispatch
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Role
from zhenggai.services import ledger as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bound(cast: Cast) -> None:
    """Both plans approved: their deadlines bind (a draft's measures are never overdue)."""
    plans_approved(cast.a, cast.b)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOSTILE = '=HYPERLINK("http://evil.example","点我")'


def _today() -> dt.date:
    return timezone.localdate()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(cast: Cast, sheet: bool = False) -> str:
    pk = cast.a.inspection.pk
    return f"/inspections/{pk}/dispatch.xlsx" if sheet else f"/inspections/{pk}/dispatch/"


def _measure(cast: Cast, text: str, days: int, **fields: Any) -> Measure:
    a = cast.a
    deadline = _today() + dt.timedelta(days=days)
    return Measure.objects.create(
        inspection=a.inspection,
        category=a.problem.category,
        problem=a.problem,
        position=Measure.objects.filter(inspection=a.inspection).count() + 1,
        text=text,
        original_deadline=deadline,
        deadline=deadline,
        **fields,
    )


def _week(cast: Cast) -> None:
    """A's week, through the services: progress, evidence and a request for sign-off on
    the person's measure; another measure two days late; one due in five days. B
    records progress too, which A's dispatch must not show."""
    a, person = cast.a, cast.a.users[Role.RESPONSIBLE_PERSON]
    # The progress starts the measure (and its problem): no separate move to start it.
    services.progress_record(actor=person, measure_id=a.measure.pk, date=_today(), text="已开会")
    services.evidence_add(
        actor=person,
        measure_id=a.measure.pk,
        name="会议纪要.pdf",
        content=PDF,
        effective_date=_today(),
    )
    services.measure_move(actor=person, measure_id=a.measure.pk, move="submit", data=MoveInput())
    Measure.objects.filter(pk=a.other_measure.pk).update(deadline=_today() - dt.timedelta(days=2))
    _measure(cast, "临近时限的措施", 5, department=a.department, person=person)
    b_person = cast.b.users[Role.RESPONSIBLE_PERSON]
    services.progress_record(
        actor=b_person, measure_id=cast.b.measure.pk, date=_today(), text="县文旅局的进展"
    )


def _section(body: str, title: str) -> str:
    start = body.index(f">{title}</h")
    end = body.find("<h2", start)
    return body[start : end if end > 0 else len(body)]


def test_it_tells_what_moved_what_is_late_and_who_must_act(cast: Cast) -> None:
    _week(cast)
    response = _client(cast.a.users[Role.RECTIFICATION_OFFICE]).get(_url(cast))
    assert response.status_code == 200
    body = response.content.decode()
    moved = _section(body, "本周动态")
    assert "a_responsible_person填报了整改措施「县融媒体中心措施1」的整改进展" in moved
    assert "a_responsible_person对整改措施「县融媒体中心措施1」开始整改" in moved
    assert (
        "a_responsible_person为整改措施「县融媒体中心措施1」上传了佐证材料「会议纪要.pdf」" in moved
    )
    assert "a_responsible_person对整改措施「县融媒体中心措施1」申请销号" in moved
    assert moved.index("申请销号") < moved.index("开始整改")  # newest first
    assert "县文旅局" not in body
    late = _section(body, "逾期事项")
    assert "县融媒体中心措施2" in late and "办公室" in late and "2 天" in late
    assert "县融媒体中心措施1" not in late
    act = _section(body, "需要推动的事项")
    signing = act[act.index("待责任领导销号") : act.index("待审核的佐证材料")]
    assert "a_responsible_leader" in signing and "县融媒体中心措施1" in signing
    reviews = act[act.index("待审核的佐证材料") : act.index("临近整改时限")]
    assert "会议纪要.pdf" in reviews
    soon = act[act.index("临近整改时限（20 天内）") :]
    assert "临近时限的措施" in soon and "新闻部" in soon and "5 天" in soon
    assert "县融媒体中心措施2" not in soon  # late, not near


def test_only_the_last_seven_days_are_told_and_an_import_is_one_sentence(cast: Cast) -> None:
    a = cast.a
    services.progress_record(
        actor=a.users[Role.RESPONSIBLE_PERSON], measure_id=a.measure.pk, date=_today(), text="旧"
    )
    Event.objects.filter(action="progress.create").update(at=timezone.now() - dt.timedelta(days=8))
    office = a.users[Role.RECTIFICATION_OFFICE]
    with transaction.atomic():
        for n in range(3):
            problem = Problem.objects.create(
                inspection=a.inspection, category=a.problem.category, position=10 + n, title="新"
            )
            chain.created(
                actor=office,
                obj=problem,
                inspection_id=a.inspection.pk,
                action=Action.PROBLEM_IMPORT,
            )
    moved = _section(_client(office).get(_url(cast)).content.decode(), "本周动态")
    assert "整改进展" not in moved
    assert moved.count("a_rectification_office导入了整改文书，新增 3 条台账记录") == 1


def test_a_busy_week_tells_the_newest_and_how_many_more(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatch, "MOVED_SHOWN", 2)
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    for text in ("第一次", "第二次", "第三次", "第四次"):
        services.progress_record(
            actor=person, measure_id=cast.a.measure.pk, date=_today(), text=text
        )
    body = _client(person).get(_url(cast)).content.decode()
    assert _section(body, "本周动态").count("填报了整改措施") == 2
    # Two more progress entries, and the measure and its problem the first one started.
    assert "另有 4 条较早的记录未列出" in body


def test_a_hostile_text_is_shown_as_text(cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(
        text='<script>alert(1)</script>"><img src=x onerror=alert(2)>',
        deadline=_today() - dt.timedelta(days=1),
    )
    body = _client(cast.a.users[Role.RECTIFICATION_OFFICE]).get(_url(cast)).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("sheet", [False, True])
def test_those_who_may_not_read_the_inspection_get_404(cast: Cast, sheet: bool) -> None:
    _week(cast)
    for user in (cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        response = _client(user).get(_url(cast, sheet))
        assert response.status_code == 404
        assert "县融媒体中心" not in response.content.decode()
    assert _client(cast.office_user).get(_url(cast, sheet)).status_code == 200
    assert Client().get(_url(cast, sheet)).status_code == 302  # to sign in


def test_the_sheet_has_a_sheet_per_list_with_headers_dates_and_no_formula(cast: Cast) -> None:
    _week(cast)
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(
        text=HOSTILE, person_name="+86 1", department_name="-办公室", leader_name="@王\x07五"
    )
    response = _client(cast.a.users[Role.RESPONSIBLE_LEADER]).get(_url(cast, sheet=True))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["本周动态", "逾期事项", "待销号", "待审核佐证材料", "临近时限"]
    late = book["逾期事项"]
    assert [c.value for c in late[1]] == [
        "整改措施",
        "问题",
        "责任部门",
        "责任人",
        "责任领导",
        "整改时限",
        "逾期天数",
    ]
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)
    row = [c.value for c in late[2]]
    # Text that would start a formula starts with the zero-width guard instead.
    assert row[0] == "\u200b" + HOSTILE
    assert row[2:5] == ["\u200b-办公室", "\u200b+86 1", "\u200b@王五"]
    deadline = late.cell(2, 6).value
    assert isinstance(deadline, dt.datetime)  # a date, read back as openpyxl reads dates
    assert deadline.date() == _today() - dt.timedelta(days=2)
    assert late.cell(2, 7).value == 2
    moved = book["本周动态"]
    assert isinstance(moved.cell(2, 1).value, dt.datetime)
    assert "申请销号" in str(moved.cell(2, 3).value)
    assert book["待审核佐证材料"].cell(2, 1).value == "会议纪要.pdf"
    assert book["临近时限"].cell(2, 3).value == "临近时限的措施"
    for name in book.sheetnames:
        for cells in book[name].iter_rows():
            for cell in cells:
                text = cell.value
                assert not (isinstance(text, str) and text[:1] in "=+-@"), (name, text)
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in package.read(n) for n in sheets)


def _more_of_everything(cast: Cast, n: int) -> None:
    """N more measures in every list, and their events."""
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    for i in range(n):
        late = _measure(cast, f"逾期{i}", -3, person=person)
        soon = _measure(cast, f"临近{i}", 4, person=person)
        for m in (late, soon):  # the progress starts each measure
            services.progress_record(actor=person, measure_id=m.pk, date=_today(), text="进展")
        services.evidence_add(
            actor=person,
            measure_id=soon.pk,
            name=f"材料{i}.pdf",
            content=PDF + str(i).encode(),
            effective_date=_today(),
        )


@pytest.mark.parametrize("sheet", [False, True])
def test_the_page_and_sheet_cost_the_same_queries_however_big_the_ledger(
    cast: Cast, sheet: bool, django_assert_num_queries: Callable[..., Any]
) -> None:
    _week(cast)
    client = _client(cast.a.users[Role.RECTIFICATION_OFFICE])
    # Session, user, memberships, the inspection with its organisation (once, through
    # the access door), the office's rules, measures, problems, evidence, the week's
    # events, imports, actors, and the problems, measures, progress and evidence they
    # concern; the page's frame counts the unread messages (the sheet has no frame).
    expected = 15 if sheet else 16
    with django_assert_num_queries(expected):
        client.get(_url(cast, sheet))
    _more_of_everything(cast, 12)
    with django_assert_num_queries(expected):
        response = client.get(_url(cast, sheet))
    if not sheet:
        assert response.content.decode().count("逾期") > 12
