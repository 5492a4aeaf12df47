"""The documents of an inspection, written from its ledger with one click on the
ledger page: the bulletin as .docx and the ledger as .xlsx. The PDF takes
LibreOffice seconds, too long to hold a worker: `zhenggai report` writes it."""

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.documents import reports
from zhenggai.inspections.models import Inspection
from zhenggai.refusals import NotFound, Refused
from zhenggai.web import sheets
from zhenggai.web.pages import SignedInRequest, signed_in

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What the page offers: suffix → content type.
OFFERED = {".docx": DOCX, ".xlsx": sheets.XLSX}


@signed_in
def download(request: SignedInRequest, pk: int, kind: str, ext: str) -> HttpResponse:
    inspection, _roles = access.inspection_for(request.user, pk)
    suffix = f".{ext}"
    if suffix not in OFFERED:
        raise NotFound(_("未找到该文书"))
    try:
        writer = reports.writer_for(kind, suffix)
    except Refused as refusal:
        raise NotFound(str(refusal)) from refusal
    inspection = Inspection.objects.select_related("organisation").get(pk=inspection.pk)
    notices: list[str] = []
    content = reports.write(inspection, writer, notices)
    for notice in notices:  # shown on the next page the person opens
        messages.warning(request, notice)
    response = sheets.download(content, reports.file_name(inspection, kind, suffix))
    response["Content-Type"] = OFFERED[suffix]
    return response
