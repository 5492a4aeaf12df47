"""系统管理 · 单位和部门: the office's tree, for its administrators — the office, the
organisations it inspects and their departments, each renamed in place, and new
ones added under their parent. Anyone else gets 404."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import org_tree
from zhenggai.web.admin_forms import NameForm
from zhenggai.web.pages import SignedInRequest, signed_in


def _int(value: object) -> int:
    text = str(value or "")
    if not text.isdigit():
        raise NotFound(_("未找到该单位，或您无权查看"))
    return int(text)


@signed_in
def page(request: SignedInRequest) -> HttpResponse:
    office = access.administered_office(request.user)
    error = ""
    if request.method == "POST":
        form = NameForm(request.POST)
        op, target = request.POST.get("op", ""), _int(request.POST.get("target"))
        if op not in ("add", "rename"):
            raise NotFound(_("未找到该页面，或您无权查看"))
        try:
            if not form.is_valid():
                raise Refused(_("请填写名称（不超过 200 字）"))
            told = _save(request, op, target, form.cleaned_data["name"])
        except Refused as refusal:
            error = str(refusal)
        else:
            messages.success(request, told)
            return redirect(f"{request.path}#org-{target}")
    context = _context(office) | {"error": error}
    return render(request, "web/admin_tree.html", context, status=400 if error else 200)


def _save(request: SignedInRequest, op: str, target: int, name: str) -> str:
    if op == "add":
        made = org_tree.organisation_create(actor=request.user, parent_id=target, name=name)
        return _("已新增「%(name)s」") % {"name": made.name}
    org_tree.organisation_rename(actor=request.user, organisation_id=target, name=name)
    return _("已改名为「%(name)s」") % {"name": name}


def _context(office: Organisation) -> dict[str, Any]:
    tree = org_selectors.office_tree(office.pk)
    units: list[tuple[Organisation, list[Organisation]]] = []
    for organisation in tree[1:]:
        if organisation.kind == Organisation.Kind.INSPECTED:
            units.append((organisation, []))
        elif units:
            units[-1][1].append(organisation)
    rows = [{"unit": unit, "departments": departments} for unit, departments in units]
    return {"office": office, "units": rows, "section": "tree"}
