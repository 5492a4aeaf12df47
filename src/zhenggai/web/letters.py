"""The escalation pages: the office's warning list and ladder; an inspection's
letters (the office issues the next, the organisation reads them); one letter
(signed for and answered by the organisation, its .docx for both). Every write is
a service of escalation/letters.py or ladder.py; every letter is reached through
``letters.letter_for``, so another organisation's is a 404."""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenggai import access
from zhenggai.escalation import ladder as ladders
from zhenggai.escalation import letters as services
from zhenggai.escalation.facts import facts_of
from zhenggai.escalation.models import Letter
from zhenggai.ledger.models import Measure
from zhenggai.refusals import NotFound, Refused
from zhenggai.web import paging
from zhenggai.web.pages import SignedInRequest, signed_in

WARNINGS_PAGE = 50  # inspections per page of the warning list, those warned first
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@signed_in
def warnings(request: SignedInRequest) -> HttpResponse:
    """Every inspection under the office, with its late plan or report and its
    measures by tier; those with something to warn of first."""
    found = access.office_inspections(request.user).select_related("organisation")
    ordered = list(found.order_by("organisation__name", "pk"))
    rows = list(facts_of(ordered, timezone.localdate(), naming=False).values())
    rows.sort(key=lambda f: not f.warned)
    number = paging.page_number(request.GET.get("page"))
    number = min(number, paging.pages_of(len(rows), WARNINGS_PAGE))
    context = {
        "rows": rows[(number - 1) * WARNINGS_PAGE : number * WARNINGS_PAGE],
        "warned": sum(1 for f in rows if f.warned),
        "count": len(rows),
        **paging.pager(number, len(rows), WARNINGS_PAGE),
    }
    return render(request, "web/warnings.html", context)


def _rungs(request: SignedInRequest) -> list[ladders.Rung]:
    names = request.POST.getlist("name")
    days = request.POST.getlist("days")
    rungs = []
    for name, day in zip(names, days, strict=False):
        if name.strip():
            if not day.strip().isdigit() or int(day) > 365:
                raise Refused(_("天数应为 0 至 365 的整数"))
            rungs.append(ladders.Rung(name.strip(), int(day)))
    return rungs


@signed_in
@require_http_methods(["GET", "POST"])
def ladder(request: SignedInRequest) -> HttpResponse:
    offices = access.offices_kept_by(request.user)
    if not offices:
        raise NotFound(_("未找到该页面，或您无权查看"))
    office = offices[0]
    if request.method == "POST":
        try:
            ladders.ladder_update(
                actor=request.user, office=office, prefix=request.POST.get("prefix", "")[:30],
                rungs=_rungs(request),
            )  # fmt: skip
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("已保存督促函件梯次"))
        return redirect("web:ladder")
    found, steps = ladders.ladder_for(office)
    context = {"office": office, "ladder": found, "steps": steps, "blank": range(2)}
    return render(request, "web/ladder.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def inspection_letters(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    if request.method == "POST":
        try:
            made = services.letter_issue(actor=request.user, inspection_id=pk)
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("已发出%(name)s %(number)s") % {"name": made.name, "number": made.number}
            )
        return redirect("web:letters", pk)
    found = Letter.objects.filter(inspection_id=pk).order_by("-issued_at", "-pk")
    context = {
        "inspection": inspection,
        "letters": found,
        "may_issue": access.may_issue_letter(roles),
    }
    return render(request, "web/letters.html", context)


def _post(request: SignedInRequest, letter: Letter) -> None:
    if request.POST.get("action") == "acknowledge":
        services.letter_acknowledge(actor=request.user, letter_id=letter.pk)
        messages.success(request, _("已签收"))
        return
    chosen = [int(v) for v in request.POST.getlist("measures") if v.isdigit()]
    services.letter_answer(
        actor=request.user, letter_id=letter.pk, reply=request.POST.get("reply", ""),
        measure_ids=chosen,
    )  # fmt: skip
    messages.success(request, _("已答复"))


@signed_in
@require_http_methods(["GET", "POST"])
def letter(request: SignedInRequest, pk: int) -> HttpResponse:
    found, roles = services.letter_for(request.user, pk)
    if request.method == "POST":
        try:
            _post(request, found)
        except Refused as refusal:
            messages.error(request, str(refusal))
        return redirect("web:letter", pk)
    context: dict[str, Any] = {
        "letter": found,
        "named": list(found.measures.order_by("position")),
        "may_acknowledge": access.may_acknowledge_letter(roles, found.acknowledged_at is not None),
        "may_answer": access.may_answer_letter(roles, found.answered_at is not None),
        "own_measures": Measure.objects.filter(inspection_id=found.inspection_id).order_by(
            "position"
        ),
    }
    return render(request, "web/letter.html", context)


@signed_in
def letter_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    found, _roles = services.letter_for(request.user, pk)
    response = HttpResponse(services.letter_docx(found), content_type=DOCX)
    name = quote(f"{found.name}{found.number}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
