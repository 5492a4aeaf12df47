"""Building the plan in the browser: the upload imported through a job, the job's
page, the plan beside its source with its corrections and confirmation, and
assigning many measures at once."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.app.conftest import Cast
from tests.builders import text_to_docx
from tests.support import SAMPLES
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.states import PlanState
from zhenggai.jobs.models import Job
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\u202e'
UPLOAD = "/plans/new/"


@pytest.fixture(autouse=True)
def jobs_inline_and_a_data_folder_of_our_own(settings: Any, tmp_path: Path) -> None:
    settings.JOBS_INLINE = True
    settings.DATA_DIR = tmp_path


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _office(cast: Cast) -> Client:
    return _client(cast.a.users[Role.RECTIFICATION_OFFICE])


def _upload(client: Client, cast: Cast, name: str, content: bytes, other_ok: bool = True) -> Any:
    """Upload for unit A; the seeds name other media centres, so by default the user
    confirms that the file is A's all the same."""
    file = SimpleUploadedFile(name, content)
    data = {"organisation": cast.a.org.pk, "file": file}
    return client.post(UPLOAD, data | ({"other_organisation_ok": "on"} if other_ok else {}))


def _kept(settings: Any) -> list[Path]:
    return [p for p in (Path(settings.DATA_DIR) / "sources").rglob("*") if p.is_file()]


def _plan(cast: Cast, inspection: Inspection | None = None) -> str:
    return f"/inspections/{(inspection or cast.a.inspection).pk}/plan/"


def _assign(cast: Cast) -> str:
    return f"/inspections/{cast.a.inspection.pk}/assign/"


# --- Upload and its job ---------------------------------------------------------------


def test_an_uploaded_seed_becomes_an_inspection_through_a_job(cast: Cast, settings: Any) -> None:
    client = _office(cast)
    content = SAMPLES[1].read_bytes()

    response = _upload(client, cast, SAMPLES[1].name, content)

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.owner, job.state, job.done, job.total) == (
        cast.a.users[Role.RECTIFICATION_OFFICE],
        Job.State.DONE,
        3,
        3,
    )
    inspection = Inspection.objects.get(pk=job.result["inspection"])
    assert inspection.organisation == cast.a.org
    assert inspection.categories.count() == 5
    assert inspection.problems.filter(parent=None).count() == 17
    assert inspection.sources.get().name == SAMPLES[1].name
    assert Event.objects.filter(action="inspection.import", inspection_id=inspection.pk).exists()
    assert len(_kept(settings)) == 2  # the original and its lines

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="/inspections/{inspection.pk}/plan/"' in page
    assert 'hx-trigger="every 1s"' not in page  # done: the page stops asking


def test_the_same_file_again_gives_back_the_same_inspection(cast: Cast) -> None:
    client = _office(cast)
    content = SAMPLES[2].read_bytes()
    _upload(client, cast, SAMPLES[2].name, content)
    problems = Problem.objects.count()

    _upload(client, cast, "again.txt", content)

    first, second = Job.objects.order_by("pk")
    assert (second.result["inspection"], second.result["created"]) == (
        first.result["inspection"],
        False,
    )
    assert Problem.objects.count() == problems
    assert "没有重复导入" in client.get(f"/jobs/{second.pk}/").content.decode()


def test_a_word_feedback_is_read_with_its_numbering_and_shown_as_paragraphs(
    cast: Cast, tmp_path: Path
) -> None:
    path = text_to_docx(SAMPLES[1].read_text("utf-8"), tmp_path / "反馈意见.docx")
    client = _office(cast)

    _upload(client, cast, path.name, path.read_bytes())

    job = Job.objects.get()
    assert job.state == Job.State.DONE, job.error
    inspection = Inspection.objects.get(pk=job.result["inspection"])
    assert inspection.problems.filter(parent=None).count() == 17
    body = client.get(_plan(cast, inspection)).content.decode()
    # Word's automatic numbers are part of the text, as the reader sees them.
    assert '<span class="muted">第5段</span> 一、高度重视' in body


def test_an_excel_ledger_is_shown_row_by_row(cast: Cast) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    sheet.append(["序号", "问题类别", "具体问题", "整改措施", "责任部门", "整改时限"])
    sheet.append(["1", "政治建设", "学习不深入", "制定学习计划", "办公室", "2025年6月30日"])
    sheet.append(["2", "政治建设", "制度不健全", "修订制度", "人事科", "2025年7月31日"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = _office(cast)

    _upload(client, cast, "台账.xlsx", buffer.getvalue())

    job = Job.objects.get()
    assert job.state == Job.State.DONE, job.error
    inspection = Inspection.objects.get(pk=job.result["inspection"])
    assert list(inspection.measures.order_by("pk").values_list("text", flat=True)) == [
        "制定学习计划",
        "修订制度",
    ]
    body = client.get(_plan(cast, inspection)).content.decode()
    assert "工作表“台账”第2行</span> 1 | 政治建设 | 学习不深入 | 制定学习计划" in body


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("反馈意见.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("反馈意见.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "不支持的文件类型"),
        ("反馈意见.docx", b"%PDF-1.7\n%...", "文件内容与扩展名不符"),
        ("反馈意见.pdf", _docx(), "文件内容与扩展名不符"),
        ("反馈意见.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "无法识别的文本"),
        ("反馈意见.txt", b"", "文件是空的"),
    ],
)
def test_a_wrong_or_lying_file_is_refused_and_nothing_kept(
    cast: Cast, settings: Any, name: str, content: bytes, reason: str
) -> None:
    inspections = Inspection.objects.count()

    response = _upload(_office(cast), cast, name, content)

    assert response.status_code == 400
    body = response.content.decode()
    assert reason in body and 'role="alert"' in body
    assert not Job.objects.exists()
    assert Inspection.objects.count() == inspections
    assert _kept(settings) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(cast: Cast, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    content = SAMPLES[1].read_bytes() * 60

    response = _upload(_office(cast), cast, "大文件.txt", content)

    assert response.status_code == 400
    assert "文件超过大小上限（1 MB）" in response.content.decode()
    assert not Job.objects.exists() and _kept(settings) == []


def test_a_file_without_text_fails_its_job_and_leaves_nothing(cast: Cast) -> None:
    client = _office(cast)
    inspections = Inspection.objects.count()

    _upload(client, cast, "空白.txt", " \n\u3000\n".encode())

    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.error == "文件中没有可读的文字"
    assert Inspection.objects.count() == inspections
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "文件中没有可读的文字" in page and 'role="alert"' in page


def test_only_the_users_own_units_are_offered(cast: Cast) -> None:
    client = _office(cast)
    page = client.get(UPLOAD).content.decode()
    assert cast.a.org.name in page and cast.b.org.name not in page

    file = SimpleUploadedFile(SAMPLES[2].name, SAMPLES[2].read_bytes())
    response = client.post(UPLOAD, {"organisation": cast.b.org.pk, "file": file})

    assert response.status_code == 400
    assert not Job.objects.exists()


def test_the_inspection_office_imports_for_the_units_it_supervises(cast: Cast) -> None:
    page = _client(cast.office_user).get(UPLOAD).content.decode()
    assert cast.a.org.name in page and cast.b.org.name in page


def test_who_holds_no_office_role_may_not_upload(cast: Cast) -> None:
    response = _client(cast.a.users[Role.RESPONSIBLE_PERSON]).get(UPLOAD)
    assert response.status_code == 403
    assert "整改办公室或巡察办" in response.content.decode()


def test_a_running_job_is_polled_every_second_by_its_owner_only(cast: Cast) -> None:
    owner = cast.a.users[Role.RECTIFICATION_OFFICE]
    job = Job.objects.create(
        owner=owner, kind="feedback_import", state=Job.State.RUNNING, done=1, total=3
    )
    job.stage = "正在写入整改方案"
    job.save()

    fragment = _client(owner).get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})

    body = fragment.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body and f'hx-get="/jobs/{job.pk}/"' in body
    assert '<progress id="job-bar" max="3" value="1">' in body
    assert "正在写入整改方案" in body
    for stranger in (cast.a.users[Role.FIRST_RESPONSIBLE], cast.b.users[Role.RECTIFICATION_OFFICE]):
        assert _client(stranger).get(f"/jobs/{job.pk}/").status_code == 404


# --- The plan page --------------------------------------------------------------------


def _imported(cast: Cast, extra: bytes = b"") -> Inspection:
    _upload(_office(cast), cast, SAMPLES[2].name, SAMPLES[2].read_bytes() + extra)
    return Inspection.objects.get(pk=Job.objects.get().result["inspection"])


def test_the_plan_shows_the_source_beside_what_was_understood(cast: Cast) -> None:
    inspection = _imported(cast)
    problem = inspection.problems.order_by("pk").first()
    measure = inspection.measures.order_by("pk").first()
    assert problem is not None and measure is not None

    response = _office(cast).get(_plan(cast, inspection))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="side-by-side"' in body
    assert SAMPLES[2].name in body
    lines = SAMPLES[2].read_text("utf-8").splitlines()
    assert lines[0].strip() in body and ">第1行</span>" in body
    blank = next(n for n, line in enumerate(lines, 1) if not line.strip())
    assert f">第{blank}行</span>" not in body  # blank lines are left out
    assert f'id="problem-{problem.pk}"' in body and str(problem.title) in body
    assert measure.text in body
    assert "（一）" in body and "一、" in body  # numbered as the feedback numbers it


def test_hostile_text_is_shown_as_text(cast: Cast) -> None:
    inspection = _imported(cast, extra=f"\n{HOSTILE}\n".encode())
    Problem.objects.filter(inspection=inspection).update(title=HOSTILE)
    Measure.objects.filter(inspection=inspection).update(text=HOSTILE)

    for url in (_plan(cast, inspection), f"/inspections/{inspection.pk}/assign/"):
        body = _office(cast).get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x" in body


def test_a_problem_is_retitled_through_the_page(cast: Cast) -> None:
    client = _office(cast)
    problem = cast.a.problem

    panel = client.get(_plan(cast), {"edit": problem.pk}, headers={"HX-Request": "true"})
    assert "<html" not in panel.content.decode()
    assert 'name="retitle-title"' in panel.content.decode()

    response = client.post(
        _plan(cast), {"op": "retitle", "problem": problem.pk, "retitle-title": "理论学习走过场"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_plan(cast)}?edit={problem.pk}#problem-{problem.pk}"
    problem.refresh_from_db()
    assert problem.title == "理论学习走过场"
    assert "已修改问题标题" in client.get(response["Location"]).content.decode()


def test_a_refused_edit_keeps_what_was_typed_and_says_why(cast: Cast) -> None:
    Inspection.objects.filter(pk=cast.a.inspection.pk).update(plan_state=PlanState.SUBMITTED)

    response = _office(cast).post(
        _plan(cast), {"op": "retitle", "problem": cast.a.problem.pk, "retitle-title": "新的标题"}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "只有起草中的方案可以修改" in body and 'role="alert"' in body
    assert "新的标题</textarea>" in body
    cast.a.problem.refresh_from_db()
    assert cast.a.problem.title == "理论学习不深入"


def test_an_empty_title_is_pointed_out_beside_its_field(cast: Cast) -> None:
    response = _office(cast).post(
        _plan(cast), {"op": "retitle", "problem": cast.a.problem.pk, "retitle-title": " "}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "填写的内容有误" in body and "这个字段是必填项" in body
    cast.a.problem.refresh_from_db()
    assert cast.a.problem.title == "理论学习不深入"


def test_problems_are_merged_split_and_moved_through_the_page(cast: Cast) -> None:
    client = _office(cast)
    a = cast.a
    other = Problem.objects.create(
        inspection=a.inspection, category=a.problem.category, position=2, title="制度执行不严"
    )
    second = Category.objects.create(inspection=a.inspection, position=2, title="作风方面")

    split = client.post(
        _plan(cast),
        {
            "op": "split",
            "problem": a.problem.pk,
            "split-measures": [a.other_measure.pk],
            "split-title": "学习制度不健全",
        },
    )
    new = Problem.objects.get(title="学习制度不健全")
    assert split.status_code == 302 and new.measures.get() == a.other_measure

    merge = client.post(_plan(cast), {"op": "merge", "problem": new.pk, "merge-into": other.pk})
    assert merge.status_code == 302 and not Problem.objects.filter(pk=new.pk).exists()
    assert Measure.objects.get(pk=a.other_measure.pk).problem == other

    move = client.post(
        _plan(cast),
        {
            "op": "relocate",
            "problem": other.pk,
            "relocate-category": second.pk,
            "relocate-position": 1,
        },
    )
    assert move.status_code == 302
    assert Problem.objects.get(pk=other.pk).category == second


def test_the_office_confirms_and_the_first_responsible_decides(cast: Cast) -> None:
    office = _office(cast)
    assert 'value="submit"' in office.get(_plan(cast)).content.decode()

    assert office.post(_plan(cast), {"op": "submit"}).status_code == 302
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.SUBMITTED

    leader = _client(cast.a.users[Role.FIRST_RESPONSIBLE])
    page = leader.get(_plan(cast)).content.decode()
    assert 'value="approve"' in page and 'value="return"' in page
    refused = leader.post(_plan(cast), {"op": "return", "decision-comment": ""})
    assert refused.status_code == 400 and "请填写意见" in refused.content.decode()
    leader.post(_plan(cast), {"op": "approve", "decision-comment": "同意"})
    assert 'value="approve"' not in leader.get(_plan(cast)).content.decode()
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.OFFICE_REVIEW

    inspection_office = _client(cast.office_user)
    page = inspection_office.get(_plan(cast)).content.decode()
    assert 'value="accept"' in page and 'value="send_back"' in page
    inspection_office.post(_plan(cast), {"op": "accept", "decision-comment": "同意"})
    assert Inspection.objects.get(pk=cast.a.inspection.pk).plan_state == PlanState.APPROVED


def test_others_read_the_plan_without_its_editing(cast: Cast) -> None:
    body = _client(cast.a.users[Role.RESPONSIBLE_PERSON]).get(_plan(cast)).content.decode()
    assert "理论学习不深入" in body
    assert "?edit=" not in body and 'name="op"' not in body


def test_an_outsider_gets_404_on_every_page(cast: Cast) -> None:
    job = Job.objects.create(owner=cast.a.users[Role.RECTIFICATION_OFFICE], kind="feedback_import")
    for stranger in (cast.outsider, cast.b.users[Role.RECTIFICATION_OFFICE]):
        client = _client(stranger)
        assert client.get(_plan(cast)).status_code == 404
        assert client.get(_assign(cast)).status_code == 404
        assert client.get(f"/jobs/{job.pk}/").status_code == 404
        retitle = {"op": "retitle", "problem": cast.a.problem.pk, "retitle-title": "x"}
        assert client.post(_plan(cast), retitle).status_code == 404
    cast.a.problem.refresh_from_db()
    assert cast.a.problem.title == "理论学习不深入"


# --- Assigning ------------------------------------------------------------------------


def _unassigned(cast: Cast, n: int) -> list[Measure]:
    a = cast.a
    return [
        Measure.objects.create(
            inspection=a.inspection,
            category=a.problem.category,
            problem=a.problem,
            position=10 + i,
            text=f"待分配措施{i}",
        )
        for i in range(n)
    ]


def test_many_measures_are_assigned_at_once(cast: Cast) -> None:
    chosen = _unassigned(cast, 3)
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    leader = cast.a.users[Role.RESPONSIBLE_LEADER]
    client = _office(cast)
    page = client.get(_assign(cast)).content.decode()
    assert (
        f'id="m-{chosen[0].pk}"' in page
        and f'<label class="visually-hidden" for="m-{chosen[0].pk}"' in page
    )

    response = client.post(
        _assign(cast),
        {
            "measures": [m.pk for m in chosen],
            "department": cast.a.department.pk,
            "person": person.pk,
            "leader": leader.pk,
            "deadline": "2030-06-30",
            "weight": "",
        },
    )

    assert response.status_code == 302
    for measure in Measure.objects.filter(pk__in=[m.pk for m in chosen]):
        assert (measure.department, measure.person, measure.leader) == (
            cast.a.department,
            person,
            leader,
        )
        assert measure.deadline == dt.date(2030, 6, 30)
    assert Event.objects.filter(action="measure.assign").count() == 3
    assert "已分配 3 项整改措施" in client.get(response["Location"]).content.decode()


def test_a_refused_assignment_changes_nothing_and_keeps_the_ticks(cast: Cast) -> None:
    chosen = _unassigned(cast, 2)

    response = _office(cast).post(_assign(cast), {"measures": [m.pk for m in chosen], "weight": ""})

    assert response.status_code == 400
    body = response.content.decode()
    assert "请至少填写一项要设置的内容" in body and 'role="alert"' in body
    for measure in chosen:
        assert f'value="{measure.pk}" id="m-{measure.pk}" checked' in body
    assert not Event.objects.filter(action="measure.assign").exists()


def test_only_the_rectification_office_assigns(cast: Cast) -> None:
    chosen = _unassigned(cast, 1)
    client = _client(cast.a.users[Role.FIRST_RESPONSIBLE])
    assert 'name="measures"' not in client.get(_assign(cast)).content.decode()

    response = client.post(_assign(cast), {"measures": [chosen[0].pk], "weight": "5"})

    assert response.status_code == 400
    assert "只有整改办公室可以分配整改措施" in response.content.decode()
    assert Measure.objects.get(pk=chosen[0].pk).weight == 1


def _options(page: str, name: str) -> set[str]:
    start = page.index(f'<select name="{name}"')
    select = page[start : page.index("</select>", start)]
    return set(re.findall(r'<option value="(\d+)"', select))


def test_departments_and_people_come_from_the_unit(cast: Cast) -> None:
    page = _office(cast).get(_assign(cast)).content.decode()
    departments = {str(o.pk) for o in cast.a.org.children.all()}
    people = {str(u.pk) for u in cast.a.users.values()}
    assert _options(page, "department") == departments
    assert _options(page, "person") == _options(page, "leader") == people


def test_the_unassigned_filter_hides_what_is_assigned(cast: Cast) -> None:
    waiting = _unassigned(cast, 1)[0]
    body = _office(cast).get(_assign(cast), {"unassigned": "1"}).content.decode()
    assert waiting.text in body and cast.a.measure.text not in body


# --- Queries ------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def _grow(cast: Cast) -> None:
    """Many more categories, problems, sub-problems and measures."""
    a = cast.a
    for c in range(2, 6):
        category = Category.objects.create(inspection=a.inspection, position=c, title=f"类别{c}")
        for p in range(1, 6):
            problem = Problem.objects.create(
                inspection=a.inspection, category=category, position=p, title=f"问题{c}-{p}"
            )
            sub = Problem.objects.create(
                inspection=a.inspection, category=category, parent=problem, position=1, title="子"
            )
            Measure.objects.bulk_create(
                Measure(
                    inspection=a.inspection,
                    category=category,
                    problem=holder,
                    position=m,
                    text=f"措施{c}-{p}-{m}",
                    department=a.department,
                    person=a.users[Role.RESPONSIBLE_PERSON],
                )
                for holder in (problem, sub)
                for m in range(1, 6)
            )


# The session and the user (2), the inspection with its organisation and the user's
# grants (2), then the page's own: the plan page reads
# categories, problems, measures and its source (4), its versions, the sources'
# parser warnings and its office's rules (3), the feedback's recommendations and
# case leads (2); the assign page the tree (3),
# the unit's departments and its people (2); and the unread messages of the frame.
PINNED = {"plan": 14, "plan editing": 14, "assign": 10}


def test_the_plan_and_assign_pages_cost_a_fixed_number_of_queries(cast: Cast) -> None:
    client = _office(cast)
    urls = {
        "plan": _plan(cast),
        "plan editing": f"{_plan(cast)}?edit={cast.a.problem.pk}",
        "assign": _assign(cast),
    }
    small = {name: _count(client, url) for name, url in urls.items()}
    _grow(cast)
    large = {name: _count(client, url) for name, url in urls.items()}

    assert small == PINNED
    assert large == PINNED
    assert Measure.objects.filter(inspection=cast.a.inspection).count() > 200
