"""Publishing the progress bulletin: the rectification office or the first responsible
person publishes it from the ledger as a new version; anyone reads every version at
the inspection's public address, as a page and as a PDF, exactly as it went out.

A seed is imported and published once for the module (LibreOffice takes seconds);
each test works in a savepoint of its own. Versions published inside a test skip
the PDF (``no_libreoffice``) unless the PDF is what the test is about.
"""

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import quote

import docx
import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pdfminer.high_level import extract_text
from pytest_django import DjangoDbBlocker

from tests.app.conftest import Cast
from tests.support import SAMPLES, as_printed
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.core.readers import office, parse_file
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.orgs.models import Membership, Organisation, Role
from zhenggai.publications import paragraphs, present, services
from zhenggai.publications.models import Publication
from zhenggai.services.importing import import_document

pytestmark = pytest.mark.django_db

SEED = SAMPLES[1]  # 黄陂区融媒体中心: 5 categories, 17 problems
TITLE = "黄陂区融媒体中心关于巡察反馈意见整改落实情况的通报"


@dataclass(frozen=True)
class Published:
    inspection_id: int
    users: dict[Role, User]  # of the inspected organisation, and its inspection office
    sibling: User  # another organisation's rectification office
    v1: int  # the first publication's pk, made with LibreOffice
    slug: str


def _member(name: str, organisation: Organisation, role: Role) -> User:
    user = User.objects.create_user(username=name)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def _seed_published() -> Published:
    result = import_document(
        document=parse_file(SEED),
        content=SEED.read_bytes(),
        source_name=SEED.name,
        org_name="黄陂区融媒体中心",
    )
    org = result.inspection.organisation
    assert org.parent is not None
    users: dict[Role, User] = {
        role: _member(role.value, org, role) for role in Role if role != Role.INSPECTION_OFFICE
    }
    users[Role.INSPECTION_OFFICE] = _member("inspection_office", org.parent, Role.INSPECTION_OFFICE)
    sibling_org = Organisation.objects.create(
        name="区文旅局", kind=Organisation.Kind.INSPECTED, parent=org.parent
    )
    sibling = _member("sibling_office", sibling_org, Role.RECTIFICATION_OFFICE)
    first = services.publish(
        actor=users[Role.RECTIFICATION_OFFICE], inspection_id=result.inspection.pk
    )
    return Published(result.inspection.pk, users, sibling, first.pk, first.slug)


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Published]:
    """The seed imported and published once, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield _seed_published()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)


def _titles(inspection_id: int) -> list[str]:
    return [
        t or ""
        for t in Problem.objects.filter(inspection_id=inspection_id).values_list("title", flat=True)
    ]


def _publish_again(seeded: Published, role: Role = Role.RECTIFICATION_OFFICE) -> Publication:
    return services.publish(actor=seeded.users[role], inspection_id=seeded.inspection_id)


def _public(path: str) -> tuple[int, str]:
    response = Client().get(path)
    return response.status_code, response.content.decode()


def _local_date(at: dt.datetime) -> str:
    day = timezone.localtime(at).date()
    return f"{day.year}年{day.month}月{day.day}日"


# ---- publishing ------------------------------------------------------------------


def test_the_first_publication_is_version_one_with_its_pdf(seeded: Published) -> None:
    v1 = Publication.objects.get(pk=seeded.v1)
    assert (v1.inspection_id, v1.version, v1.title) == (seeded.inspection_id, 1, TITLE)
    assert v1.published_by == seeded.users[Role.RECTIFICATION_OFFICE]
    assert bytes(v1.docx).startswith(b"PK")
    assert v1.pdf is not None and bytes(v1.pdf).startswith(b"%PDF")
    assert re.fullmatch(r"[\w-]{16}", v1.slug)


def test_publishing_again_adds_a_version_and_keeps_the_first(
    seeded: Published, no_libreoffice: None
) -> None:
    before = Publication.objects.values().get(pk=seeded.v1)
    v2 = _publish_again(seeded, Role.FIRST_RESPONSIBLE)
    assert (v2.version, v2.slug, v2.published_by) == (
        2,
        seeded.slug,
        seeded.users[Role.FIRST_RESPONSIBLE],
    )
    after = Publication.objects.values().get(pk=seeded.v1)
    assert {k: bytes(v) if isinstance(v, memoryview) else v for k, v in after.items()} == {
        k: bytes(v) if isinstance(v, memoryview) else v for k, v in before.items()
    }
    assert _public(f"/public/{seeded.slug}/1/")[0] == 200
    assert _public(f"/public/{seeded.slug}/2/")[0] == 200


def test_the_paragraphs_are_read_from_the_published_docx_with_their_levels(
    seeded: Published,
) -> None:
    v1 = Publication.objects.get(pk=seeded.v1)
    title, body = paragraphs.read(bytes(v1.docx))
    assert (title, body) == (v1.title, v1.paragraphs)
    by_text = {p["text"]: p for p in v1.paragraphs}
    assert by_text["一、组织整改工作情况"]["level"] == 1
    assert by_text["（一）在坚持党的领导方面"]["level"] == 2
    assert by_text["1.关于贯彻落实上级重大决策部署不及时、不到位的问题"]["level"] == 3
    assert v1.paragraphs[0]["level"] == 0  # the opening paragraph is body text
    signed = v1.paragraphs[-1]  # the date under the signature
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", signed["text"])
    assert (signed["level"], signed["align"]) == (0, "right")


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、总体情况", 1),
        ("（二）在加强党的建设方面", 2),
        ("3.关于作风的问题", 3),
        ("（4）制度执行", 4),
        ("①第一项", 0),
        ("2019年7月22日，反馈了意见。", 0),
        ("1.5万元已退还。", 0),
    ],
)
def test_heading_levels_follow_gbt_9704_numbering(text: str, level: int) -> None:
    assert paragraphs.level_of(text) == level


def test_a_numbered_paragraph_that_runs_on_is_shown_as_a_paragraph() -> None:
    shown = present.blocks(
        [
            {"text": "1.关于作风的问题", "level": 3, "align": ""},
            {"text": "1、加强领导。一是成立领导小组。", "level": 3, "align": ""},
            {"text": "某单位", "level": 0, "align": "right"},
        ]
    )
    assert [(b.tag, b.align) for b in shown] == [("h4", ""), ("p", ""), ("p", "right")]


def test_publishing_records_what_went_out_in_the_audit_trail(
    seeded: Published, no_libreoffice: None
) -> None:
    v2 = _publish_again(seeded)
    event = Event.objects.get(action="publication.publish", object_id=v2.pk)
    assert event.actor_id == seeded.users[Role.RECTIFICATION_OFFICE].pk
    assert event.inspection_id == seeded.inspection_id
    assert event.after is not None
    assert event.after["version"] == 2
    assert event.after["docx_sha256"] == hashlib.sha256(bytes(v2.docx)).hexdigest()
    assert event.after["pdf_sha256"] is None
    assert verify() is None


# ---- who may publish -------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RECTIFICATION_OFFICE, Role.FIRST_RESPONSIBLE])
def test_the_office_and_the_first_responsible_person_are_offered_the_button(
    seeded: Published, role: Role
) -> None:
    client = Client()
    client.force_login(seeded.users[role])
    page = client.get(f"/inspections/{seeded.inspection_id}/").content.decode()
    assert 'form="publish-bulletin"' in page
    assert (
        f'id="publish-bulletin" method="post" action="/inspections/{seeded.inspection_id}/publications/"'
        in page
    )


@pytest.mark.parametrize(
    "role",
    [Role.RESPONSIBLE_PERSON, Role.RESPONSIBLE_LEADER, Role.DISCIPLINE, Role.INSPECTION_OFFICE],
)
def test_others_who_read_the_ledger_are_refused_and_nothing_is_published(
    seeded: Published, role: Role
) -> None:
    client = Client()
    client.force_login(seeded.users[role])
    assert (
        "publish-bulletin"
        not in client.get(f"/inspections/{seeded.inspection_id}/").content.decode()
    )
    events = Event.objects.count()
    response = client.post(f"/inspections/{seeded.inspection_id}/publications/")
    assert response.status_code == 403
    assert "只有第一责任人、整改办公室可以发布整改进展情况的通报" in response.content.decode()
    assert Publication.objects.count() == 1 and Event.objects.count() == events


def test_another_organisation_and_an_outsider_get_404(seeded: Published) -> None:
    outsider = User.objects.create_user(username="outsider")
    for user in (seeded.sibling, outsider):
        client = Client()
        client.force_login(user)
        response = client.post(f"/inspections/{seeded.inspection_id}/publications/")
        assert response.status_code == 404
        assert "黄陂" not in response.content.decode()
    assert Publication.objects.count() == 1


def test_anonymous_may_not_publish(seeded: Published) -> None:
    response = Client().post(f"/inspections/{seeded.inspection_id}/publications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert Publication.objects.count() == 1


def test_the_button_publishes_with_csrf_and_says_where(
    seeded: Published, no_libreoffice: None
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(seeded.users[Role.RECTIFICATION_OFFICE])
    url = f"/inspections/{seeded.inspection_id}/publications/"
    assert client.post(url).status_code == 403  # no token
    page = client.get(f"/inspections/{seeded.inspection_id}/").content.decode()
    token = re.search(
        r'id="publish-bulletin".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    )
    assert token is not None
    response = client.post(url, {"csrfmiddlewaretoken": token[1]}, follow=True)
    assert response.redirect_chain == [(f"/inspections/{seeded.inspection_id}/", 302)]
    said = response.content.decode()
    assert (
        f"已发布第 2 版整改进展情况的通报，公开地址：http://testserver/public/{seeded.slug}/"
        in said
    )
    assert "PDF 文件未能生成" in said
    assert Publication.objects.filter(inspection_id=seeded.inspection_id).count() == 2


def test_the_signed_in_list_shows_each_version_with_its_date(
    seeded: Published, no_libreoffice: None
) -> None:
    v2 = _publish_again(seeded)
    client = Client()
    client.force_login(seeded.users[Role.RESPONSIBLE_PERSON])  # a reader of the ledger
    url = f"/inspections/{seeded.inspection_id}/publications/"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert fragment.index(f"/public/{seeded.slug}/2/") < fragment.index(f"/public/{seeded.slug}/1/")
    assert timezone.localtime(v2.published_at).strftime("%Y-%m-%d %H:%M") in fragment
    assert "publish-bulletin" not in client.get(url).content.decode()


def test_an_inspection_never_published_lists_nothing(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.a.users[Role.RECTIFICATION_OFFICE])
    page = client.get(f"/inspections/{cast.a.inspection.pk}/publications/").content.decode()
    assert "尚未发布整改进展情况的通报" in page
    assert "/public/" not in page


# ---- the public pages ------------------------------------------------------------


def test_the_public_page_shows_every_problem_title_and_the_date(seeded: Published) -> None:
    status, page = _public(f"/public/{seeded.slug}/")
    assert status == 200
    titles = _titles(seeded.inspection_id)
    assert len(titles) == 17
    # As written: Chinese punctuation full-width (「工作落实不力，下属机构改革滞后」).
    assert [t for t in titles if escape(as_printed(t)) not in page] == []
    v1 = Publication.objects.get(pk=seeded.v1)
    assert f'<h1 id="title">{TITLE}</h1>' in page
    assert (
        f'发布日期：<time datetime="{timezone.localtime(v1.published_at):%Y-%m-%d}">{_local_date(v1.published_at)}</time>'
        in page
    )
    assert "<h2>一、组织整改工作情况</h2>" in page


def test_it_lists_the_versions_newest_first_and_shows_the_latest(
    seeded: Published, no_libreoffice: None
) -> None:
    Problem.objects.filter(inspection_id=seeded.inspection_id, title="民主集中制执行不到位").update(
        title="民主集中制执行不到位（已改）"
    )
    _publish_again(seeded)
    page = _public(f"/public/{seeded.slug}/")[1]
    assert "民主集中制执行不到位（已改）" in page
    versions = page[page.index('id="versions"') :]
    assert versions.index("第 2 版") < versions.index("第 1 版")
    assert versions.count("发布日期") == 2


def test_an_earlier_version_still_shows_what_it_said(
    seeded: Published, no_libreoffice: None
) -> None:
    old = "关于民主集中制执行不到位的问题"
    assert old in _public(f"/public/{seeded.slug}/1/")[1]
    Problem.objects.filter(inspection_id=seeded.inspection_id, title="民主集中制执行不到位").update(
        title="民主集中制落实不够"
    )
    _publish_again(seeded)
    first = _public(f"/public/{seeded.slug}/1/")[1]
    assert old in first and "民主集中制落实不够" not in first
    assert f'已有更新的版本：<a href="/public/{seeded.slug}/">第 2 版</a>' in first
    latest = _public(f"/public/{seeded.slug}/2/")[1]
    assert "关于民主集中制落实不够的问题" in latest and old not in latest


def test_the_pdf_download_is_the_published_pdf(seeded: Published) -> None:
    response = Client().get(f"/public/{seeded.slug}/1.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = quote(f"{TITLE}（第1版）.pdf")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"bulletin-1.pdf\"; filename*=UTF-8''{name}"
    )
    assert response.content.startswith(b"%PDF")
    text = re.sub(r"\s+", "", extract_text(BytesIO(response.content)))
    assert TITLE in text


def test_the_pdf_is_made_on_demand_once_libreoffice_is_there(
    seeded: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    soffice = office.soffice
    monkeypatch.setattr(office, "soffice", lambda: None)
    v2 = _publish_again(seeded)
    assert (v2.pdf, v2.pdf_tried_at) == (None, None)
    page = _public(f"/public/{seeded.slug}/")[1]
    assert "PDF 文件暂不可用" in page and f"/public/{seeded.slug}/2.pdf" not in page
    status, said = _public(f"/public/{seeded.slug}/2.pdf")
    assert status == 404 and "该版本暂无 PDF 文件" in said
    monkeypatch.setattr(office, "soffice", soffice)  # LibreOffice installed since
    assert f"/public/{seeded.slug}/2.pdf" in _public(f"/public/{seeded.slug}/")[1]
    response = Client().get(f"/public/{seeded.slug}/2.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    v2.refresh_from_db()
    assert v2.pdf is not None and bytes(v2.pdf) == response.content
    event = Event.objects.get(action="publication.pdf", object_id=v2.pk)
    assert event.actor_id is None and event.after is not None
    assert event.after["pdf_sha256"] == hashlib.sha256(response.content).hexdigest()


def test_a_failed_conversion_is_not_tried_again_at_once(
    seeded: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    v2 = _publish_again(seeded)
    monkeypatch.setattr(office, "soffice", lambda: "/usr/bin/soffice")
    Publication.objects.filter(pk=v2.pk).update(pdf_tried_at=timezone.now())

    def convert(*_args: object) -> bytes:
        raise AssertionError("converted again while the last try is recent")

    monkeypatch.setattr(office, "convert", convert)
    response = Client().get(f"/public/{seeded.slug}/2.pdf")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "正在生成或暂时无法生成" in response.content.decode()


def test_a_hostile_title_is_shown_as_text(seeded: Published, no_libreoffice: None) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    Problem.objects.filter(inspection_id=seeded.inspection_id, title="民主集中制执行不到位").update(
        title=hostile
    )
    _publish_again(seeded)
    page = _public(f"/public/{seeded.slug}/")[1]
    assert "<script>alert" not in page and "<img src=x" not in page
    assert escape(hostile) in page


@pytest.mark.parametrize(
    "path",
    [
        "/public/{random}/",
        "/public/{random}/1/",
        "/public/{random}/1.pdf",
        "/public/{slug}/9/",
        "/public/{slug}/9.pdf",
    ],
)
def test_what_was_not_published_is_404_in_chinese(seeded: Published, path: str) -> None:
    status, page = _public(path.format(random=secrets.token_urlsafe(12), slug=seeded.slug))
    assert status == 404
    assert "未找到该通报：此地址没有已发布的整改进展情况的通报" in page
    assert "黄陂" not in page


def test_the_public_page_is_chinese_and_carries_nothing_of_the_signed_in_frame(
    seeded: Published,
) -> None:
    client = Client()
    office_user = seeded.users[Role.RECTIFICATION_OFFICE]
    client.force_login(office_user)
    response = client.get(f"/public/{seeded.slug}/", headers={"Accept-Language": "en"})
    page = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in page and "发布日期" in page
    assert "退出" not in page and office_user.username not in page and "/login/" not in page
    assert "/inspections/" not in page  # nothing leads into the ledger
    # Every asset and link stays on the site: nothing from a CDN.
    assert re.findall(r'(?:src|href)="(?!/)[^"]*"', page) == []
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # 「未找到」 has an English translation: the visitor's language is not used here.
    missing = client.get("/public/nothing-here/", headers={"Accept-Language": "en"})
    assert "<h1>未找到</h1>" in missing.content.decode()


def test_the_public_page_names_no_one_the_bulletin_does_not(seeded: Published) -> None:
    page = _public(f"/public/{seeded.slug}/")[1]
    for user in seeded.users.values():
        assert user.username not in page
    Inspection.objects.filter(pk=seeded.inspection_id).update(contact_email="secret@example.org")
    assert "secret@example.org" not in _public(f"/public/{seeded.slug}/")[1]


# ---- queries ---------------------------------------------------------------------


def _queries(path: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# The page: the versions at the address (1) and the shown version's paragraphs (1).
# The PDF: the version (1) and its file (1). No session, user or ledger.
PINNED = {"latest": 2, "version": 2, "pdf": 2}


def test_the_public_pages_cost_the_same_queries_however_many_versions(
    seeded: Published, no_libreoffice: None
) -> None:
    paths = {
        "latest": f"/public/{seeded.slug}/",
        "version": f"/public/{seeded.slug}/1/",
        "pdf": f"/public/{seeded.slug}/1.pdf",
    }
    before = {name: _queries(path) for name, path in paths.items()}
    for _ in range(3):
        _publish_again(seeded)
    assert before == {name: _queries(path) for name, path in paths.items()} == PINNED


def test_paragraphs_right_aligned_as_end_or_by_style_are_read_as_right() -> None:
    """Word writes jc="end" for flush right in newer files; python-docx has no name for it."""
    document = docx.Document()
    document.add_paragraph("某某单位关于巡察整改进展情况的通报")
    ended = document.add_paragraph("某某单位")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "end")
    ended._p.get_or_add_pPr().append(jc)
    signed = document.styles.add_style("署名", WD_STYLE_TYPE.PARAGRAPH)
    signed.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("2025年9月10日", style=signed)
    buffer = BytesIO()
    document.save(buffer)
    _title, body = paragraphs.read(buffer.getvalue())
    assert [(p["text"], p["align"]) for p in body] == [
        ("某某单位", "right"),
        ("2025年9月10日", "right"),
    ]
