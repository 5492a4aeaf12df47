"""Publishing the progress bulletin from the ledger page, and the versions published.

GET lists an inspection's published versions with their dates and public addresses
(whoever reads the ledger; htmx loads it into the ledger page, which thus keeps its
own queries). POST publishes the next version, for the rectification office and the
first responsible person (``publications.services.publish``), and goes back to the
ledger with the version and its public address; anyone else reads why not. A
contradiction of an imported document holds publication back until a publisher
explains it (POST with ``op=explain``, its reason recorded).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenggai import access
from zhenggai.inspections.models import Inspection
from zhenggai.orgs.models import Role
from zhenggai.publications import selectors, services
from zhenggai.refusals import Refused
from zhenggai.web.pages import SignedInRequest, signed_in


def _listing(
    request: SignedInRequest, inspection: Inspection, roles: set[Role], error: str = ""
) -> HttpResponse:
    versions = selectors.versions_of(inspection.pk)
    context: dict[str, Any] = {
        "inspection": inspection,
        "versions": versions,
        "may_publish": access.may_publish(roles),
        "public_url": (
            request.build_absolute_uri(reverse("public:latest", args=[versions[0].slug]))
            if versions
            else ""
        ),
        "error": error,
        "contradictions": selectors.open_contradictions(inspection.pk),
    }
    template = "web/_publications.html" if request.htmx else "web/publications.html"
    response = render(request, template, context, status=403 if error else 200)
    patch_vary_headers(response, ("HX-Request",))  # a cached fragment is not the page
    return response


def _published(request: SignedInRequest, inspection_id: int) -> HttpResponse:
    notices: list[str] = []
    publication = services.publish(actor=request.user, inspection_id=inspection_id, notices=notices)
    for notice in notices:
        messages.warning(request, notice)
    url = request.build_absolute_uri(reverse("public:latest", args=[publication.slug]))
    told = _("已发布第 %(version)s 版整改进展情况的通报，公开地址：%(url)s") % {
        "version": publication.version,
        "url": url,
    }
    if publication.pdf is None:
        told += _("（PDF 文件未能生成，公开页面暂只提供网页版本）")
    messages.success(request, told)
    return redirect("web:ledger", inspection_id)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def publications(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    if request.method == "POST":
        try:
            if request.POST.get("op") == "explain":
                return _explained(request, inspection.pk)
            return _published(request, inspection.pk)
        except Refused as refusal:
            return _listing(request, inspection, roles, str(refusal))
    return _listing(request, inspection, roles)


def _explained(request: SignedInRequest, inspection_id: int) -> HttpResponse:
    services.contradiction_explain(
        actor=request.user,
        inspection_id=inspection_id,
        warning=request.POST.get("warning", ""),
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, _("已记录说明"))
    return redirect("web:publications", inspection_id)
