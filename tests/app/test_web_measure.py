"""A measure's page: what it shows, each of its forms as the role that may use it and
as one that may not, refusals that keep what was typed, evidence checks that save
nothing, hostile text shown as text, the evidence files' headers, and its queries."""

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Approval, Evidence, Extension, Measure, ProgressEntry
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.services import ledger as services

if TYPE_CHECKING:
    # What the test client answers, as django-stubs names it.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPED_IMG = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
RTL = "整改\u202e完成"
LONG = "长" * 20_000


# ---- helpers ----------------------------------------------------------------------


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(measure: Measure) -> str:
    return f"/measures/{measure.pk}/"


def body(response: "Response") -> str:
    return response.content.decode()


def post(user: User, measure: Measure, form: str, prefix: str = "", **data: Any) -> "Response":
    """Submit one of the page's forms; its fields carry the form's prefix (``review-7``)."""
    fields = {k if k == "target" else f"{prefix or form}-{k}": v for k, v in data.items()}
    response: Response = client(user).post(url(measure), {"form": form, **fields})
    return response


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return set(root.rglob("*")) if root.exists() else set()


def everything() -> tuple[object, ...]:
    """What any form could change, to compare before and after a refusal."""
    return (
        list(Measure.objects.order_by("pk").values_list("state", "deadline")),
        list(Problem.objects.order_by("pk").values_list("state", flat=True)),
        list(Evidence.objects.order_by("pk").values_list("review", "review_comment")),
        list(Extension.objects.order_by("pk").values_list("decision", flat=True)),
        ProgressEntry.objects.count(),
        Approval.objects.count(),
        Event.objects.count(),
        stored_files(),
    )


def alert(response: "Response") -> str:
    """The text of the page's refusal (role="alert"), tags removed."""
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', body(response), re.S)
    assert found, "no alert on the page"
    return re.sub(r"<[^>]+>|\s+", "", found.group(1))


def person(cast: Cast) -> User:
    return cast.a.users[Role.RESPONSIBLE_PERSON]


def leader(cast: Cast) -> User:
    return cast.a.users[Role.RESPONSIBLE_LEADER]


def office(cast: Cast) -> User:
    return cast.a.users[Role.RECTIFICATION_OFFICE]


def with_evidence(cast: Cast, content: bytes = PDF, name: str = "会议记录.pdf") -> Evidence:
    return services.evidence_add(
        actor=person(cast),
        measure_id=cast.a.measure.pk,
        name=name,
        content=content,
        effective_date=TODAY,
    )


def awaiting_sign_off(cast: Cast, accepted: bool = True) -> Evidence:
    """The person's measure started, evidenced, submitted; its evidence accepted."""
    m = cast.a.measure.pk
    services.measure_move(actor=person(cast), measure_id=m, move="start", data=MoveInput())
    evidence = with_evidence(cast)
    services.measure_move(actor=person(cast), measure_id=m, move="submit", data=MoveInput())
    if accepted:
        services.evidence_review(
            actor=office(cast), evidence_id=evidence.pk, accept=True, comment=""
        )
    return evidence


def history(cast: Cast, measure: Measure | None = None) -> str:
    """The page's history section, tags removed."""
    page = body(client(cast.a.users[Role.DISCIPLINE]).get(url(measure or cast.a.measure)))
    section = page[page.index('id="history"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))


# ---- reading ----------------------------------------------------------------------


def test_it_shows_the_measure_with_its_owners_deadlines_and_warning(cast: Cast) -> None:
    OfficeSettings.objects.create(office=cast.office, warn_person_days=40, warn_leader_days=5)
    Measure.objects.filter(pk=cast.a.measure.pk).update(
        target="学习全覆盖", type=Measure.Type.IMMEDIATE, deadline=TODAY + dt.timedelta(days=60)
    )
    response = client(cast.a.users[Role.DISCIPLINE]).get(url(cast.a.measure))
    page = body(response)
    assert response.status_code == 200
    for shown in (
        "县融媒体中心措施1",
        "立行立改",
        "学习全覆盖",
        "a_responsible_leader",
        "新闻部",
        "a_responsible_person",
        "未开始",
        (TODAY + dt.timedelta(days=30)).isoformat(),  # the original deadline
        (TODAY + dt.timedelta(days=60)).isoformat(),  # the current one
    ):
        assert shown in page, shown
    # 60 days left, the office warns the person from 40: green; from 70 it is yellow.
    assert '<span class="mark green">' in page
    OfficeSettings.objects.filter(office=cast.office).update(warn_person_days=70)
    assert '<span class="mark yellow">' in body(client(leader(cast)).get(url(cast.a.measure)))


def test_it_shows_progress_evidence_and_extensions_with_who_and_when(cast: Cast) -> None:
    m = cast.a.measure.pk
    services.progress_record(
        actor=person(cast), measure_id=m, date=TODAY, text="召开专题会议", figures={"人数": 12}
    )
    pdf = with_evidence(cast)
    png = with_evidence(cast, PNG, "现场照片.png")
    services.evidence_review(actor=office(cast), evidence_id=pdf.pk, accept=False, comment="不清晰")
    services.extension_request(
        actor=person(cast), measure_id=m, new_deadline=TODAY + dt.timedelta(days=90), reason="汛期"
    )
    page = body(client(cast.a.users[Role.DISCIPLINE]).get(url(cast.a.measure)))
    assert "召开专题会议" in page and "<bdi>人数：12</bdi>" in page
    assert "会议记录.pdf" in page and "已退回" in page and "不清晰" in page
    assert f'<img src="/evidence/{png.pk}/"' in page  # a thumbnail of the image
    assert f'<a href="/evidence/{pdf.pk}/" target="_blank"' in page  # the PDF in a new tab
    assert "汛期" in page and "待审批" in page
    assert (TODAY + dt.timedelta(days=90)).isoformat() in page


def test_its_history_tells_who_did_what_and_when_in_chinese(cast: Cast) -> None:
    awaiting_sign_off(cast)
    services.measure_move(
        actor=leader(cast), measure_id=cast.a.measure.pk, move="return", data=MoveInput("再补充")
    )
    told = history(cast)
    event = Event.objects.get(action="measure.return")
    at = event.at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert f"a_responsible_leader 于 {at} 退回整改" in told
    assert "状态：已完成待销号 → 整改中" in told
    assert "意见：再补充" in told
    for phrase in ("开始整改", "上传佐证材料", "申请销号", "认可佐证材料"):
        assert phrase in told
    assert "measure." not in told  # no action left untranslated


# ---- writing, as the role that may ---------------------------------------------------


def test_a_responsible_person_records_progress_with_figures_and_files(cast: Cast) -> None:
    signed_in = client(person(cast))
    response = signed_in.post(
        url(cast.a.measure),
        {
            "form": "progress",
            "progress-text": "完成第一阶段学习",
            "progress-date": TODAY.isoformat(),
            "progress-figures": "清退资金（万元）：12.5\n人数: 30\n备注：见附件",
            "progress-files": [upload("记录.pdf", PDF), upload("照片.png", PNG)],
        },
        follow=True,
    )
    assert response.redirect_chain == [(url(cast.a.measure), 302)]
    assert "已填报整改进展，并上传 2 份佐证材料" in body(response)
    entry = ProgressEntry.objects.get()
    assert (entry.text, entry.date, entry.author) == ("完成第一阶段学习", TODAY, person(cast))
    assert entry.figures == {"清退资金（万元）": 12.5, "人数": 30, "备注": "见附件"}
    names = set(Evidence.objects.values_list("name", "content_type"))
    assert names == {("记录.pdf", "application/pdf"), ("照片.png", "image/png")}
    for evidence in Evidence.objects.all():
        assert (Path(settings.MEDIA_ROOT) / evidence.path).is_file()
    told = history(cast)
    assert "填报整改进展" in told and "清退资金（万元）：12.5" in told
    assert told.count("上传佐证材料") == 2


def test_evidence_uploaded_alone_can_replace_an_earlier_version(cast: Cast) -> None:
    first = with_evidence(cast)
    response = post(
        person(cast),
        cast.a.measure,
        "evidence",
        effective_date=TODAY.isoformat(),
        replaces=str(first.pk),
        files=[upload("会议记录（修改）.pdf", PDF + b"%v2")],
    )
    assert response.status_code == 302
    second = Evidence.objects.exclude(pk=first.pk).get()
    assert second.replaces == first
    page = body(client(person(cast)).get(url(cast.a.measure)))
    assert "替换「会议记录.pdf」" in page


def test_the_person_requests_sign_off_and_the_leader_signs_off(cast: Cast) -> None:
    m = cast.a.measure
    services.measure_move(actor=person(cast), measure_id=m.pk, move="start", data=MoveInput())
    evidence = with_evidence(cast)
    page = body(client(person(cast)).get(url(m)))
    assert 'value="submit">申请销号</button>' in page
    assert post(person(cast), m, "move", move="submit").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.AWAITING_SIGN_OFF

    page = body(client(office(cast)).get(url(m)))
    assert ">认可</button>" in page and ">退回</button>" in page
    response = post(
        office(cast), m, "review", f"review-{evidence.pk}", target=evidence.pk, decision="accept"
    )
    assert response.status_code == 302
    assert Evidence.objects.get().review == Evidence.Review.ACCEPTED

    page = body(client(leader(cast)).get(url(m)))
    assert 'value="sign_off">销号</button>' in page
    assert 'value="continue_long_term"' not in page  # a time-bound measure cannot
    assert post(leader(cast), m, "move", move="sign_off", comment="同意").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.SIGNED_OFF
    told = history(cast)
    assert "申请销号" in told and "认可佐证材料" in told
    assert "销号 状态：已完成待销号 → 已销号" in told


def test_a_reviewer_returns_evidence_with_a_comment(cast: Cast) -> None:
    evidence = with_evidence(cast)
    response = post(
        leader(cast),
        cast.a.measure,
        "review",
        f"review-{evidence.pk}",
        target=evidence.pk,
        decision="return",
        comment="缺少签字页",
    )
    assert response.status_code == 302
    found = Evidence.objects.get()
    assert (found.review, found.review_comment) == (Evidence.Review.RETURNED, "缺少签字页")
    told = history(cast)
    assert "退回佐证材料" in told and "缺少签字页" in told and "待审核 → 已退回" in told


def test_a_leader_returns_a_measure_and_a_long_term_one_continues(cast: Cast) -> None:
    awaiting_sign_off(cast)
    m = cast.a.measure
    assert post(leader(cast), m, "move", move="return", comment="证据不足").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.IN_PROGRESS
    Measure.objects.filter(pk=m.pk).update(type=Measure.Type.LONG_TERM)
    services.measure_move(actor=person(cast), measure_id=m.pk, move="submit", data=MoveInput())
    assert post(leader(cast), m, "move", move="continue_long_term").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.LONG_TERM
    assert "转入长期坚持" in history(cast)


def test_an_extension_is_requested_and_approved(cast: Cast) -> None:
    m = cast.a.measure
    later = TODAY + dt.timedelta(days=100)
    response = post(
        person(cast), m, "extension", new_deadline=later.isoformat(), reason="需跨年度实施"
    )
    assert response.status_code == 302
    extension = Extension.objects.get()
    page = body(client(leader(cast)).get(url(m)))
    assert ">同意延期</button>" in page
    response = post(
        leader(cast), m, "decide", f"decide-{extension.pk}", target=extension.pk, decision="approve"
    )
    assert response.status_code == 302
    assert Measure.objects.get(pk=m.pk).deadline == later
    assert Measure.objects.get(pk=m.pk).original_deadline == TODAY + dt.timedelta(days=30)
    told = history(cast)
    assert "申请延期" in told and "需跨年度实施" in told
    assert f"同意延期申请 整改时限：{TODAY + dt.timedelta(days=30)} → {later}" in told


# ---- writing, as a role that may not ---------------------------------------------------

FORMS = ("form-progress", "form-evidence", "form-move", "form-extension")


@pytest.mark.parametrize(
    ("who", "form", "data"),
    [
        ("reader", "progress", {"text": "冒名填报", "date": TODAY.isoformat()}),
        ("reader", "extension", {"new_deadline": "2099-01-01", "reason": "冒名"}),
        ("reader", "move", {"move": "start"}),
        ("colleague", "progress", {"text": "别人的措施", "date": TODAY.isoformat()}),
        ("person", "move", {"move": "sign_off"}),
        ("person", "review", {"decision": "accept"}),
        ("office", "decide", {"decision": "approve"}),
    ],
)
def test_a_role_that_may_not_sees_no_form_and_a_forged_post_changes_nothing(
    cast: Cast, who: str, form: str, data: dict[str, Any]
) -> None:
    evidence = with_evidence(cast)
    extension = services.extension_request(
        actor=person(cast),
        measure_id=cast.a.measure.pk,
        new_deadline=TODAY + dt.timedelta(days=99),
        reason="r",
    )
    services.measure_move(
        actor=person(cast), measure_id=cast.a.measure.pk, move="start", data=MoveInput()
    )
    services.measure_move(
        actor=person(cast), measure_id=cast.a.measure.pk, move="submit", data=MoveInput()
    )
    users = {
        "reader": (cast.a.users[Role.DISCIPLINE], cast.a.measure),
        # The responsible person of another department, on a measure not theirs.
        "colleague": (person(cast), cast.a.other_measure),
        "person": (person(cast), cast.a.measure),
        "office": (office(cast), cast.a.measure),
    }
    user, measure = users[who]
    target = {"review": evidence.pk, "decide": extension.pk}.get(form)
    key = f"{form}-{target}" if target else form
    page = body(client(user).get(url(measure)))
    assert f'id="form-{key}"' not in page
    if form == "move":
        assert f'value="{data["move"]}"' not in page
    before = everything()
    fields = {f"{key}-{k}": v for k, v in data.items()}
    response = client(user).post(url(measure), {"form": form, "target": target or "", **fields})
    assert response.status_code == 409
    assert "只有" in alert(response)
    assert everything() == before


def test_sign_off_is_refused_until_the_evidence_is_accepted(cast: Cast) -> None:
    awaiting_sign_off(cast, accepted=False)
    before = everything()
    response = post(leader(cast), cast.a.measure, "move", move="sign_off", comment="我的意见")
    assert response.status_code == 409
    assert "佐证材料尚未审核认可，不能销号" in alert(response)
    assert "我的意见</textarea>" in body(response)
    assert everything() == before


# ---- refusals keep what was typed ------------------------------------------------------


def test_a_refused_progress_keeps_the_text_date_and_figures(cast: Cast) -> None:
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    before = everything()
    response = post(
        person(cast),
        cast.a.measure,
        "progress",
        text="今天开了会\n明天整改",
        date=tomorrow,
        figures="人数：5",
    )
    assert response.status_code == 409
    assert "进展日期不能晚于今天" in alert(response)
    page = body(response)
    assert "今天开了会\n明天整改</textarea>" in page
    assert f'value="{tomorrow}"' in page
    assert "人数：5</textarea>" in page
    assert everything() == before


def test_figures_that_do_not_parse_are_named_and_the_text_kept(cast: Cast) -> None:
    response = post(
        person(cast),
        cast.a.measure,
        "progress",
        text="进展内容",
        date=TODAY.isoformat(),
        figures="人数：5\n没有冒号的一行",
    )
    assert response.status_code == 400
    page = body(response)
    assert "第 2 行应写成「名称：数值」" in page
    assert "进展内容</textarea>" in page and "没有冒号的一行</textarea>" in page
    assert not ProgressEntry.objects.exists()


def test_a_refused_extension_keeps_its_reason(cast: Cast) -> None:
    response = post(
        person(cast), cast.a.measure, "extension", new_deadline="2000-01-01", reason="理由很长"
    )
    assert response.status_code == 409
    assert "申请的时限必须晚于现在的整改时限和今天" in alert(response)
    assert "理由很长</textarea>" in body(response)
    assert not Extension.objects.exists()


def test_an_unknown_form_is_refused(cast: Cast) -> None:
    before = everything()
    response = client(person(cast)).post(url(cast.a.measure), {"form": "delete"})
    assert response.status_code == 400
    assert "无法识别" in alert(response)
    assert everything() == before


# ---- evidence that is refused saves nothing -------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("整改报告.pdf", EXE, "文件内容与扩展名不符"),  # a program renamed .pdf
        ("现场照片.png", "其实是文字".encode(), "文件内容与扩展名不符"),
        ("台账.xlsx", PDF, "文件内容与扩展名不符"),  # a lying extension
        ("工具.exe", EXE, "不支持的文件类型"),
        ("空文件.pdf", b"", "文件是空的"),
    ],
)
@pytest.mark.parametrize("form", ["progress", "evidence"])
def test_evidence_of_the_wrong_kind_is_refused_and_nothing_is_saved(
    cast: Cast, form: str, name: str, content: bytes, reason: str
) -> None:
    before = everything()
    files = [upload("正常.pdf", PDF), upload(name, content)]
    fields = {"text": "随附材料", "date": TODAY.isoformat(), "effective_date": TODAY.isoformat()}
    response = post(person(cast), cast.a.measure, form, files=files, **fields)
    assert response.status_code == 409
    said = alert(response)
    assert f"文件「{name}」：{reason}" in said
    assert "请重新选择" in said
    assert everything() == before
    assert not ProgressEntry.objects.exists() and not Evidence.objects.exists()
    if form == "progress":
        assert "随附材料</textarea>" in body(response)


def test_progress_and_its_files_are_kept_together_or_not_at_all(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Storage failing on the second file (a full disk): the progress and the first
    file's row are rolled back with it."""
    store = services._store
    calls: list[str] = []

    def failing(content: bytes, digest: str) -> str:
        calls.append(digest)
        if len(calls) == 2:
            raise OSError("磁盘已满")
        return store(content, digest)

    monkeypatch.setattr(services, "_store", failing)
    files = [upload("一.pdf", PDF), upload("二.pdf", PDF + b"2")]
    with pytest.raises(OSError):
        post(
            person(cast), cast.a.measure, "progress", text="t", date=TODAY.isoformat(), files=files
        )
    assert len(calls) == 2
    assert not ProgressEntry.objects.exists() and not Evidence.objects.exists()
    assert not Event.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=64)
@pytest.mark.parametrize("form", ["progress", "evidence"])
def test_evidence_over_the_size_limit_is_refused_and_nothing_is_saved(
    cast: Cast, form: str
) -> None:
    before = everything()
    fields = {"text": "大文件", "date": TODAY.isoformat(), "effective_date": TODAY.isoformat()}
    files = [upload("大文件.pdf", PDF + b"0" * 64)]
    response = post(person(cast), cast.a.measure, form, files=files, **fields)
    assert response.status_code == 409
    assert "文件「大文件.pdf」超过大小上限（64字节）" in alert(response)
    assert everything() == before


def test_the_file_input_previews_and_names_the_limit(cast: Cast) -> None:
    page = body(client(person(cast)).get(url(cast.a.measure)))
    assert 'data-preview="progress-files-preview"' in page
    assert '<div id="progress-files-preview" class="preview"' in page
    assert 'accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.doc,.xls,.txt"' in page
    assert "每个不超过 20.0\xa0MB" in page


# ---- hostile text ------------------------------------------------------------------


@pytest.mark.parametrize("text", [SCRIPT, IMG, RTL, LONG])
def test_hostile_progress_text_is_shown_as_text(cast: Cast, text: str) -> None:
    response = post(person(cast), cast.a.measure, "progress", text=text, date=TODAY.isoformat())
    assert response.status_code == 302
    page = body(client(leader(cast)).get(url(cast.a.measure)))
    assert SCRIPT not in page and "<img src=x" not in page
    expected = {SCRIPT: ESCAPED_SCRIPT, IMG: ESCAPED_IMG}.get(text, text)
    assert f"<bdi>{expected}</bdi>" in page  # in the progress table, isolated
    assert expected[:200] in page[page.index('id="history"') :]


def test_hostile_measure_text_and_file_names_are_shown_as_text(cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.measure.pk).update(text=SCRIPT + IMG + RTL)
    with_evidence(cast, name=IMG + ".pdf")
    page = body(client(leader(cast)).get(url(cast.a.measure)))
    assert SCRIPT not in page and "<img src=x" not in page
    assert ESCAPED_SCRIPT + ESCAPED_IMG + RTL in page
    assert f'alt="{ESCAPED_IMG}.pdf"' not in page  # a PDF has no thumbnail
    assert f"<bdi>{ESCAPED_IMG}.pdf</bdi>" in page


# ---- who may see it ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "sibling"])
def test_an_outsider_and_a_sibling_unit_get_404_and_change_nothing(cast: Cast, who: str) -> None:
    user = cast.outsider if who == "outsider" else cast.b.users[Role.RECTIFICATION_OFFICE]
    evidence = with_evidence(cast)
    assert client(user).get(url(cast.a.measure)).status_code == 404
    assert client(user).get(f"/evidence/{evidence.pk}/").status_code == 404
    before = everything()
    response = client(user).post(
        url(cast.a.measure),
        {"form": "progress", "progress-text": "越权", "progress-date": TODAY.isoformat()},
    )
    assert response.status_code == 404
    assert everything() == before


def test_a_review_of_another_measure_s_evidence_is_not_found(cast: Cast) -> None:
    elsewhere = services.evidence_add(
        actor=office(cast),
        measure_id=cast.a.other_measure.pk,
        name="x.pdf",
        content=PDF,
        effective_date=TODAY,
    )
    before = everything()
    response = post(
        office(cast),
        cast.a.measure,
        "review",
        f"review-{elsewhere.pk}",
        target=elsewhere.pk,
        decision="accept",
    )
    assert response.status_code == 404
    assert everything() == before


# ---- evidence files ----------------------------------------------------------------


def test_a_pdf_opens_in_the_browser_sandboxed_with_its_chinese_name(cast: Cast) -> None:
    evidence = with_evidence(cast)
    response = client(cast.a.users[Role.DISCIPLINE]).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E4%BC%9A%E8%AE%AE%E8%AE%B0%E5%BD%95.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_other_evidence_downloads_as_an_attachment(cast: Cast) -> None:
    evidence = with_evidence(cast, "会议纪要".encode(), "纪要.txt")
    response = client(person(cast)).get(f"/evidence/{evidence.pk}/")
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["Content-Security-Policy"] == "sandbox"
    image = with_evidence(cast, PNG, 'a"b.png')
    response = client(person(cast)).get(f"/evidence/{image.pk}/")
    assert response["Content-Disposition"] == 'inline; filename="a\\"b.png"'


def test_evidence_files_need_sign_in_and_exist(cast: Cast) -> None:
    evidence = with_evidence(cast)
    assert Client().get(f"/evidence/{evidence.pk}/").status_code == 302
    assert client(person(cast)).get("/evidence/999999/").status_code == 404
    Evidence.objects.filter(pk=evidence.pk).update(path="../../etc/passwd")
    assert client(person(cast)).get(f"/evidence/{evidence.pk}/").status_code == 404


# ---- queries -----------------------------------------------------------------------

# The session and the user (2); access.measure_for: the measure and the user's grants
# (2); the detail: the measure with its parents and people, its progress, evidence,
# extensions and approvals (5); the office's rules; the history; the names of the
# people and the department its events cite (2); the unread messages of the frame.
PINNED = 14


def _grow(cast: Cast, user: User, measure: Measure, n: int) -> None:
    """Every kind of part and of event, n times over, through the services."""
    for k in range(n):
        services.progress_record(
            actor=user, measure_id=measure.pk, date=TODAY, text=f"进展{k}", figures={"k": k}
        )
        services.evidence_add(
            actor=user,
            measure_id=measure.pk,
            name=f"材料{k}.pdf",
            content=PDF + str(k).encode(),
            effective_date=TODAY,
        )
    services.measure_move(actor=user, measure_id=measure.pk, move="start", data=MoveInput())
    services.extension_request(
        actor=user, measure_id=measure.pk, new_deadline=TODAY + dt.timedelta(days=99), reason="r"
    )


def _count(user: User, measure: Measure) -> int:
    c = client(user)
    with CaptureQueriesContext(connection) as queries:
        assert c.get(url(measure)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.RESPONSIBLE_PERSON, Role.RECTIFICATION_OFFICE])
def test_its_queries_do_not_grow_with_the_data(cast: Cast, role: Role) -> None:
    user, m = cast.a.users[role], cast.a.measure
    # The smallest measure that has a history: assigned (the names the events cite).
    services.measure_assign(
        actor=office(cast),
        measure_id=m.pk,
        department_id=cast.a.department.pk,
        person_id=person(cast).pk,
        leader_id=leader(cast).pk,
    )
    small = _count(user, m)
    _grow(cast, person(cast), m, 15)
    for k in range(10):
        Measure.objects.create(
            inspection=cast.a.inspection,
            category=m.category,
            problem=m.problem,
            position=10 + k,
            text="另一项",
        )
    assert Event.objects.count() > 30
    assert _count(user, m) == small == PINNED


def test_every_action_the_services_write_has_a_chinese_phrase() -> None:
    """Every action written anywhere in the code (a literal, a move of a workflow, a
    review or decision, an imported row) reads as Chinese in a history."""
    from zhenggai.inspections import plan_flow
    from zhenggai.ledger import measure_flow, problem_flow
    from zhenggai.web.history import phrase

    package = Path(services.__file__).parent.parent
    written: set[str] = set()
    for module in package.rglob("*.py"):
        text = module.read_text("utf-8")
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        written |= set(re.findall(r'_recorded\("([a-z_]+\.[a-z_]+)"', text))
    written |= {f"evidence.{r}" for r in Evidence.Review.values if r != "pending"}
    written |= {f"extension.{d}" for d in Extension.Decision.values if d != "pending"}
    flows: dict[str, Mapping[str, object]] = {
        "measure": measure_flow.MOVES,
        "problem": problem_flow.MOVES,
        "plan": plan_flow.MOVES,
    }
    for name, table in flows.items():
        written |= {f"{name}.{move}" for move in table}
    kinds = ("category", "problem", "measure", "regulation", "action", "unfinished")
    written |= {f"{kind}.import" for kind in (*kinds, "sourcedocument")}
    assert {"progress.create", "measure.sign_off", "follow_up.create"} <= written
    unnamed = {action for action in written if phrase(action) == action}
    assert not unnamed
    assert all(re.search(r"[\u4e00-\u9fff]", phrase(action)) for action in written)
    assert phrase("something.new") == "something.new"
