"""系统管理 · 批量导入人员: the template to fill, and the upload — checked whole, and
refused with every wrong row named, or imported whole with the sheet of the new
people's one-time sign-in codes. Anyone but the office's administrators gets 404."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.refusals import Refused
from zhenggai.services import people_import
from zhenggai.web.admin_forms import ImportForm
from zhenggai.web.admin_people import sheet
from zhenggai.web.pages import SignedInRequest, signed_in
from zhenggai.web.sheets import download

TEMPLATE_NAME = "人员导入模板.xlsx"


@signed_in
def page(request: SignedInRequest) -> HttpResponse:
    office = access.administered_office(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    error, rows = "", []
    if request.method == "POST" and form.is_valid():
        try:
            issued = people_import.people_import(
                actor=request.user, data=form.cleaned_data["file"].read()
            )
        except people_import.ImportRefused as refusal:
            error, rows = str(refusal), refusal.errors
        except Refused as refusal:
            error = str(refusal)
        else:
            return sheet(request, issued, _("导入人员的一次性登录码"))
    context = {
        "office": office,
        "form": form,
        "error": error,
        "rows": rows,
        "max_rows": people_import.MAX_ROWS,
        "max_mb": people_import.MAX_BYTES // 1024 // 1024,
        "columns": people_import.COLUMNS,
        "section": "import",
    }
    status = 400 if error or form.errors else 200
    return render(request, "web/admin_import.html", context, status=status)


@signed_in
def template(request: SignedInRequest) -> HttpResponse:
    office = access.administered_office(request.user)
    return download(people_import.template(office.pk), TEMPLATE_NAME)
