"""The public pages: anyone, signed in or not, reads the published bulletins of an
inspection at its random address — the latest as a page, every version with its
date, and each version's PDF.

Only publications are read here (STYLE.md 5, as healthchecks' badge): no ledger,
no people, no drafts. An address with nothing published is a 404 that says so in
Chinese. The pages are in Chinese whatever the visitor's language: they carry an
organisation's public notice, in the language it was published in.
"""

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zhenggai.core.readers import office
from zhenggai.publications import present, selectors, services
from zhenggai.publications.selectors import Version

PDF = "application/pdf"
PublicView = Callable[..., HttpResponse]


def in_chinese(view: PublicView) -> PublicView:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(settings.LANGUAGE_CODE):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return wrapped


def _missing(request: HttpRequest, message: str, status: int = 404, back: str = "") -> HttpResponse:
    context = {"message": message, "back": back}
    return render(request, "publications/missing.html", context, status=status)


def _nothing_here(request: HttpRequest) -> HttpResponse:
    return _missing(request, _("未找到该通报：此地址没有已发布的整改进展情况的通报。"))


def _page(request: HttpRequest, versions: list[Version], shown: Version) -> HttpResponse:
    publication = selectors.published(shown.pk)
    context = {
        "versions": versions,
        "latest": versions[0],
        "shown": shown,
        "published": publication,
        "blocks": present.blocks(publication.paragraphs),
        # Without LibreOffice, a version published without its PDF has none to offer.
        "may_convert": office.soffice() is not None,
    }
    return render(request, "publications/bulletin.html", context)


@require_safe
@in_chinese
def latest(request: HttpRequest, slug: str) -> HttpResponse:
    versions = selectors.versions_at(slug)
    if not versions:
        return _nothing_here(request)
    return _page(request, versions, versions[0])


@require_safe
@in_chinese
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    versions = selectors.versions_at(slug)
    shown = next((v for v in versions if v.version == number), None)
    if shown is None:
        return _nothing_here(request)
    return _page(request, versions, shown)


def _attachment(content: bytes, name: str, fallback: str) -> HttpResponse:
    """A download named in Chinese (RFC 5987), with an ASCII name for old clients."""
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@require_safe
@in_chinese
def pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    found = selectors.version_named(slug, number)
    if found is None:
        return _nothing_here(request)
    pk, title = found
    content = services.publication_pdf(publication_id=pk)
    if content is not None:
        name = _("%(title)s（第%(version)s版）.pdf") % {"title": title[:80], "version": number}
        return _attachment(content, name, f"bulletin-{number}.pdf")
    back = reverse("public:version", args=[slug, number])
    if office.soffice() is None:
        return _missing(request, _("该版本暂无 PDF 文件，请阅读网页版本。"), back=back)
    busy = _("该版本的 PDF 文件正在生成或暂时无法生成，请稍后再试，或阅读网页版本。")
    response = _missing(request, busy, 503, back)
    response["Retry-After"] = "60"
    return response
