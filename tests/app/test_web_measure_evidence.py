"""A measure's page and its evidence: uploads refused save nothing, hostile text and
file names are shown as text, and the evidence files are served with safe headers."""

import pytest
from django.http import FileResponse
from django.test import Client
from django.test.utils import override_settings

from tests.app.conftest import Cast
from tests.app.measure_support import (
    ESCAPED_IMG,
    ESCAPED_SCRIPT,
    EXE,
    IMG,
    LONG,
    PDF,
    PNG,
    RTL,
    SCRIPT,
    TODAY,
    alert,
    body,
    client,
    everything,
    leader,
    person,
    post,
    upload,
    url,
    with_evidence,
)
from zhenggai.audit.models import Event
from zhenggai.ledger.models import Evidence, Measure, ProgressEntry
from zhenggai.orgs.models import Role
from zhenggai.services import ledger as services

pytestmark = pytest.mark.django_db


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


# ---- evidence files ----------------------------------------------------------------


def test_a_pdf_opens_in_the_browser_sandboxed_with_its_chinese_name(cast: Cast) -> None:
    evidence = with_evidence(cast)
    response = client(cast.a.users[Role.DISCIPLINE]).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response.getvalue() == PDF
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
