"""The organisation reports its rectification to the inspection office, from its
ledger page (escalation/reports.py); the page then says when it was reported."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenggai.escalation import reports
from zhenggai.refusals import Refused
from zhenggai.web.pages import SignedInRequest, signed_in


@signed_in
@require_POST
def submit(request: SignedInRequest, pk: int) -> HttpResponse:
    try:
        reports.report_submit(
            actor=request.user, inspection_id=pk, note=request.POST.get("note", "")
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已报送整改情况报告，巡察办已收到通知"))
    return redirect("web:ledger", pk)
