"""The wording of an organisation's documents: which template each kind is written
from, the default to download and edit in Word or WPS, an upload to use instead,
and the way back to the default. Everyone of the organisation may look; those
who sign the documents (``access.may_change_templates``) may change them."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai import access
from zhenggai.core.writers.templating import MAX_TEMPLATE_BYTES, default_template
from zhenggai.documents import selectors, services
from zhenggai.documents.models import Template
from zhenggai.inspections.models import Inspection
from zhenggai.refusals import NotFound, Refused
from zhenggai.web import sheets
from zhenggai.web.documents import DOCX
from zhenggai.web.pages import SignedInRequest, signed_in

# The names a template may use, as the page explains them to whoever edits one.
NAMES = (
    ("org", gettext_lazy("被巡察单位名称")),
    ("level", gettext_lazy("巡察或巡视")),
    ("inspection_body", gettext_lazy("巡察组，如“县委第一巡察组”")),
    ("onsite_start / onsite_end", gettext_lazy("进驻和离开日期")),
    ("feedback_date", gettext_lazy("反馈日期")),
    ("date", gettext_lazy("成文日期（生成当天）")),
    (
        "totals.categories / totals.problems / totals.completed",
        gettext_lazy("问题类别数、问题数、已完成数（按台账实时计算）"),
    ),
    ("measures_count", gettext_lazy("整改措施条数")),
    ("categories", gettext_lazy("问题类别及其问题、整改措施（在默认模板中以循环逐项列出）")),
    ("accountability", gettext_lazy("追责问责情况，如“批评教育2人”")),
    ("case_leads.total / case_leads.closed", gettext_lazy("移交问题线索件数、已办结件数")),
    ("regulations / funds", gettext_lazy("建立完善制度项数、追缴资金（万元）")),
    ("unfinished", gettext_lazy("未完成整改事项")),
    ("contact", gettext_lazy("监督联系方式")),
    (
        "leadership.head / leadership.deputies / leadership.members",
        gettext_lazy("领导小组组长、副组长、成员单位"),
    ),
    ("stages.mobilise / stages.focused / stages.lasting", gettext_lazy("工作安排各阶段的起止日期")),
    ("plan_rows", gettext_lazy("整改任务清单的行（在默认模板的表格中以循环逐行列出）")),
)


class TemplateForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("模板文件（.docx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
        error_messages={
            "empty": gettext_lazy("文件是空的"),
            "required": gettext_lazy("请选择要上传的模板文件"),
        },
    )


def _inspection(request: SignedInRequest, pk: int) -> tuple[Inspection, bool]:
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    return inspection, access.may_change_templates(roles)


@signed_in
def page(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, may_edit = _inspection(request, pk)
    return _page(request, inspection, may_edit, errors={})


def _page(
    request: SignedInRequest,
    inspection: Inspection,
    may_edit: bool,
    errors: dict[str, str],
    status: int = 200,
) -> HttpResponse:
    live = selectors.live_templates(inspection.organisation_id)
    kinds = [
        {"kind": kind, "label": label, "live": live.get(kind), "error": errors.get(kind)}
        for kind, label in Template.Kind.choices
    ]
    context: dict[str, Any] = {
        "inspection": inspection,
        "kinds": kinds,
        "may_edit": may_edit,
        "form": TemplateForm(),
        "names": NAMES,
        "names_help": _(
            "模板中写成 {{ 名称 }} 的地方填入对应内容，例如 {{ org }} 填入单位名称。"
            "默认模板里只有标记的段落（以 if、for 开头）在生成时会去掉，修改文字时请保留这些段落。"
        ),
        "limit_mb": MAX_TEMPLATE_BYTES // 2**20,
    }
    return render(request, "web/doc_templates.html", context, status=status)


@signed_in
def change(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    inspection, may_edit = _inspection(request, pk)
    if request.method != "POST":
        return _page(request, inspection, may_edit, errors={})
    try:
        if request.POST.get("action") == "reset":
            services.template_reset(actor=request.user, inspection=inspection, kind=kind)
            messages.success(request, _("已恢复使用默认模板"))
        else:
            _upload(request, inspection, kind)
            messages.success(request, _("新模板已启用，之后生成的文书将使用它"))
    except Refused as refusal:
        return _page(request, inspection, may_edit, {kind: str(refusal)}, status=400)
    return redirect("web:templates", pk)


def _upload(request: SignedInRequest, inspection: Inspection, kind: str) -> None:
    form = TemplateForm(request.POST, request.FILES)
    if not form.is_valid():
        raise Refused(" ".join(str(e) for errors in form.errors.values() for e in errors))
    upload = form.cleaned_data["file"]
    if upload.size > MAX_TEMPLATE_BYTES:
        raise Refused(_("模板文件过大（上限 %(mb)d MB）") % {"mb": MAX_TEMPLATE_BYTES // 2**20})
    services.template_upload(
        actor=request.user,
        inspection=inspection,
        kind=kind,
        name=upload.name or "",
        content=upload.read(),
    )


@signed_in
def download(request: SignedInRequest, pk: int, kind: str, which: str) -> HttpResponse:
    """The default template, or the one in use (``which``: default, live)."""
    inspection, _may_edit = _inspection(request, pk)
    if kind not in Template.Kind.values or which not in ("default", "live"):
        raise NotFound(_("未找到该模板"))
    content = default_template(kind)
    if which == "live":
        live = selectors.live_templates(inspection.organisation_id).get(kind)
        if live is None:
            raise NotFound(_("尚未上传自己的模板，正在使用默认模板"))
        content = bytes(live.content)
    label = Template.Kind(kind).label
    name = f"{label}{_('（默认模板）') if which == 'default' else _('（模板）')}.docx"
    response = sheets.download(content, name)
    response["Content-Type"] = DOCX
    return response
