"""The templates page: an office's own wording is tried, kept and used; a broken one
is refused with nothing stored; only those who sign the documents may change them."""

import io
from typing import TYPE_CHECKING

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.app.conftest import Cast
from tests.support import reworded
from zhenggai.audit.models import Event
from zhenggai.core.writers.templating import default_template
from zhenggai.documents.models import Template
from zhenggai.orgs.models import Role

if TYPE_CHECKING:
    # What the test client answers, as django-stubs names it.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def _client(cast: Cast, role: Role = Role.RECTIFICATION_OFFICE) -> Client:
    client = Client()
    client.force_login(cast.a.users[role])
    return client


def _edited(old: str, new: str) -> bytes:
    return reworded(default_template("bulletin"), {old: new})


def _upload(client: Client, cast: Cast, content: bytes, name: str = "通报模板.docx") -> "Response":
    url = reverse("web:template_change", args=[cast.a.inspection.pk, "bulletin"])
    return client.post(url, {"action": "upload", "file": SimpleUploadedFile(name, content)})


def _bulletin_text(client: Client, cast: Cast) -> str:
    url = reverse("web:document", args=[cast.a.inspection.pk, "bulletin", "docx"])
    written = docx.Document(io.BytesIO(client.get(url).content))
    return "\n".join(p.text for p in written.paragraphs)


def test_an_uploaded_template_words_the_next_bulletin(cast: Cast) -> None:
    client = _client(cast)
    response = _upload(client, cast, _edited("组织整改工作情况", "加强组织领导情况"))
    assert response.status_code == 302
    text = _bulletin_text(client, cast)
    assert "一、加强组织领导情况" in text and "组织整改工作情况" not in text
    assert "县融媒体中心措施1" in text  # the computed parts are still there
    page = client.get(reverse("web:templates", args=[cast.a.inspection.pk])).content.decode()
    assert "正在使用：通报模板.docx" in page
    live = reverse("web:template_download", args=[cast.a.inspection.pk, "bulletin", "live"])
    assert client.get(live).content == Template.objects.get().content
    assert Event.objects.filter(action="template.upload").count() == 1


def test_back_to_the_default_keeps_the_upload_for_the_record(cast: Cast) -> None:
    client = _client(cast, Role.FIRST_RESPONSIBLE)
    _upload(client, cast, _edited("组织整改工作情况", "加强组织领导情况"))
    url = reverse("web:template_change", args=[cast.a.inspection.pk, "bulletin"])
    assert client.post(url, {"action": "reset"}).status_code == 302
    assert "一、组织整改工作情况" in _bulletin_text(client, cast)
    assert Template.objects.get().retired is True


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not a word file", "不是 .docx 文件"),
        (b"", "文件是空的"),
        (None, "模板有语法错误"),
    ],
)
def test_a_template_that_cannot_be_filled_is_refused_and_nothing_is_kept(
    cast: Cast, content: bytes | None, why: str
) -> None:
    client = _client(cast)
    broken = _edited("组织整改工作情况", "{{ org ") if content is None else content
    response = _upload(client, cast, broken)
    assert response.status_code == 400
    assert why in response.content.decode()
    assert not Template.objects.exists()
    assert "一、组织整改工作情况" in _bulletin_text(client, cast)


def test_a_responsible_person_reads_the_page_but_may_not_change_it(cast: Cast) -> None:
    client = _client(cast, Role.RESPONSIBLE_PERSON)
    page = client.get(reverse("web:templates", args=[cast.a.inspection.pk])).content.decode()
    assert "下载默认模板" in page and "上传并启用" not in page
    response = _upload(client, cast, default_template("bulletin"))
    assert response.status_code == 400
    assert "可以更换文书模板" in response.content.decode()
    assert not Template.objects.exists()


def test_another_organisation_s_template_is_not_used_or_shown(cast: Cast) -> None:
    _upload(_client(cast), cast, _edited("组织整改工作情况", "加强组织领导情况"))
    other = Client()
    other.force_login(cast.b.users[Role.RECTIFICATION_OFFICE])
    url = reverse("web:document", args=[cast.b.inspection.pk, "bulletin", "docx"])
    written = docx.Document(io.BytesIO(other.get(url).content))
    assert "一、组织整改工作情况" in [p.text for p in written.paragraphs]
    live = reverse("web:template_download", args=[cast.a.inspection.pk, "bulletin", "live"])
    assert other.get(live).status_code == 404


def _failing_on(org: str) -> bytes:
    """A template that fills the sample but fails on ``org``'s own ledger."""
    template = docx.Document(io.BytesIO(default_template("bulletin")))
    template.add_paragraph("{% if org == '" + org + "' %}{{ 1 / 0 }}{% endif %}")
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def test_a_template_that_fails_only_on_the_organisation_s_ledger_is_refused(cast: Cast) -> None:
    response = _upload(_client(cast), cast, _failing_on(cast.a.org.name))
    assert response.status_code == 400
    assert "未能采用该模板" in response.content.decode()
    assert not Template.objects.exists()


def test_a_template_that_fails_later_gives_way_to_the_default_with_a_notice(cast: Cast) -> None:
    # It passed at upload; the ledger has changed since (here: the unit's name).
    Template.objects.create(
        organisation=cast.a.org,
        kind="bulletin",
        name="旧模板.docx",
        content=_failing_on(cast.a.org.name),
        sha256="0" * 64,
        uploaded_by=cast.a.users[Role.RECTIFICATION_OFFICE],
    )
    client = _client(cast)
    text = _bulletin_text(client, cast)
    assert "县融媒体中心措施1" in text  # written, with the default wording
    page = client.get(reverse("web:ledger", args=[cast.a.inspection.pk])).content.decode()
    assert "模板无法用于当前台账" in page and "已改用默认模板" in page
