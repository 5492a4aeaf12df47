"""Building the plan in the browser: upload the feedback (imported as a background
job whose page shows its progress), see what the parser understood beside the
source text, correct it and write its measures while the plan is a draft, take
it through its approval, and assign the measures many at once. The page's
state is ``plan_page.PlanPage``; what its forms do is ``plan_ops``.

The plan page and the assign page read the plan's tree in three queries (its
categories, problems and measures as plain values), whatever it holds.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai import access
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.moves import MoveInput
from zhenggai.jobs import kinds
from zhenggai.jobs.kinds import Kind, Progress
from zhenggai.jobs.models import Job
from zhenggai.jobs.runner import job_start
from zhenggai.jobs.selectors import job_for
from zhenggai.ledger.plan_tree import read_plan
from zhenggai.orgs import selectors as org_selectors
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import plans as plan_edits
from zhenggai.services import sources
from zhenggai.services.plan_review import plan_move, plan_record_approved
from zhenggai.web import plan_ops
from zhenggai.web.pages import SignedInRequest, signed_in
from zhenggai.web.plan_forms import AssignForm, DecisionForm, UploadForm
from zhenggai.web.plan_page import PlanPage

IMPORT_JOB = "feedback_import"


def _source(inspection: Inspection) -> tuple[str, list[sources.Line] | None]:
    """The name and lines of the document the plan was imported from (the first)."""
    first = inspection.sources.order_by("imported", "pk").values_list("name", "sha256").first()
    if first is None:
        return "", None
    return first[0], sources.lines_of(first[1])


# --- The plan page --------------------------------------------------------------------


def _int(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() else None


def _plan_page(request: SignedInRequest, pk: int) -> PlanPage:
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    return PlanPage(inspection, roles, read_plan(inspection))


def _plan_url(inspection: Inspection, anchor: str = "", edit: int | None = None) -> str:
    url = reverse("web:plan", args=[inspection.pk])
    query = f"?edit={edit}" if edit else ""
    return f"{url}{query}#{anchor}" if anchor else url


def _render(request: SignedInRequest, page: PlanPage, status: int = 200) -> HttpResponse:
    name, lines = _source(page.inspection)
    context = page.context() | {"source_name": name, "lines": lines}
    if getattr(request, "htmx", False) and status == 200:
        return render(request, "web/_plan_tree.html", context)
    return render(request, "web/plan.html", context, status=status)


@signed_in
def review(request: SignedInRequest, pk: int) -> HttpResponse:
    page = _plan_page(request, pk)
    if request.method == "POST":
        return _plan_post(request, page)
    if page.can_edit:
        page.edit(_int(request.GET.get("edit")))
    page.write(_int(request.GET.get("add")), _int(request.GET.get("measure")))
    return _render(request, page)


def _plan_post(request: SignedInRequest, page: PlanPage) -> HttpResponse:
    op = request.POST.get("op", "")
    if op in plan_ops.PLAN_MOVES:
        return _decide(request, page, op)
    if op == "measure":
        return _measure_post(request, page)
    if op == "record":
        return _record(request, page)
    if op in plan_ops.BUTTONS:
        return _button(request, page, op)
    return _problem_post(request, page, op)


def _refused(request: SignedInRequest, page: PlanPage, refusal: Refused, form: Any) -> HttpResponse:
    """The page again with the form as sent and the reason, nothing typed lost."""
    if form is not None:
        form.add_error(None, str(refusal))
    page.error = str(refusal)
    return _render(request, page, status=400)


def _problem_post(request: SignedInRequest, page: PlanPage, op: str) -> HttpResponse:
    page.edit(_int(request.POST.get("problem")), request.POST, op)
    form = page.forms.get(op)
    if form is None or page.editing is None:
        raise NotFound(_("未找到该问题，或您无权查看"))
    if not form.is_valid():
        page.error = _("填写的内容有误，请按下方的提示修改")
        return _render(request, page, status=400)
    try:
        anchor, told = plan_ops.PROBLEM_EDITS[op](request.user, page.editing.pk, form.cleaned_data)
    except Refused as refusal:
        return _refused(request, page, refusal, form)
    messages.success(request, told)
    # The corrected problem's panel stays open: corrections often come in a series.
    return redirect(_plan_url(page.inspection, anchor, edit=_int(anchor.removeprefix("problem-"))))


def _measure_post(request: SignedInRequest, page: PlanPage) -> HttpResponse:
    adding, measure = _int(request.POST.get("add")), _int(request.POST.get("measure"))
    page.write(adding, measure, request.POST)
    form = page.measure_form
    if form is None:
        raise NotFound(_("未找到该问题，或您无权查看"))
    if not form.is_valid():
        page.error = _("填写的内容有误，请按下方的提示修改")
        return _render(request, page, status=400)
    try:
        anchor = plan_ops.measure_save(request.user, form, page.adding, page.measure)
    except Refused as refusal:
        return _refused(request, page, refusal, form)
    messages.success(request, _("已保存整改措施"))
    return redirect(_plan_url(page.inspection, anchor))


def _button(request: SignedInRequest, page: PlanPage, op: str) -> HttpResponse:
    target = _int(request.POST.get("target"))
    if target is None:
        raise NotFound(_("未找到该问题，或您无权查看"))
    try:
        anchor, told = plan_ops.BUTTONS[op](
            request.user, target, _int(request.POST.get("position")) or 0
        )
    except Refused as refusal:
        return _refused(request, page, refusal, None)
    messages.success(request, told)
    return redirect(_plan_url(page.inspection, anchor))


def _decide(request: SignedInRequest, page: PlanPage, op: str) -> HttpResponse:
    page.decision = DecisionForm(request.POST, prefix="decision")
    notes = {
        pk: str(text)
        for key, text in request.POST.items()
        if key.startswith("note-") and (pk := _int(key[5:])) is not None
    }
    page.notes = notes
    if page.decision.is_valid():
        comment = page.decision.cleaned_data["comment"]
        try:
            plan_move(
                actor=request.user,
                inspection_id=page.inspection.pk,
                move=op,
                data=MoveInput(comment=comment),
                problem_comments=notes,
            )
        except Refused as refusal:
            return _refused(request, page, refusal, page.decision)
        messages.success(request, str(plan_ops.PLAN_MOVES[op]))
        return redirect(_plan_url(page.inspection))
    return _render(request, page, status=400)


def _record(request: SignedInRequest, page: PlanPage) -> HttpResponse:
    """登记线下已审批的整改方案."""
    try:
        plan_record_approved(
            actor=request.user,
            inspection_id=page.inspection.pk,
            comment=str(request.POST.get("comment", "")),
        )
    except Refused as refusal:
        return _refused(request, page, refusal, None)
    messages.success(request, _("已登记为线下已审批的整改方案"))
    return redirect(_plan_url(page.inspection))


# --- Assigning many measures at once ------------------------------------------------------


@signed_in
def assign(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    plan = read_plan(inspection)
    groups = plan.groups()
    ids = [m.pk for _heading, measures in groups for m in measures]
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        measures=ids,
        departments=org_selectors.department_choices(inspection.organisation_id),
        people=org_selectors.member_choices(inspection.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = plan_edits.measures_assign(
                actor=request.user,
                inspection_id=inspection.pk,
                measure_ids=form.cleaned_data["measures"],
                assignment=form.assignment(),
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("已分配 %(n)s 项整改措施，其中 %(d)s 项定下了首次整改时限")
                % {"n": done.measures, "d": done.deadlines},
            )
            return redirect("web:assign", inspection.pk)
    unassigned = request.GET.get("unassigned") == "1"
    if unassigned:
        groups = [(h, [m for m in ms if not m.assigned]) for h, ms in groups]
        groups = [(h, ms) for h, ms in groups if ms]
    context = {
        "inspection": inspection,
        "groups": groups,
        "form": form,
        "ticked": form.ticked(),
        "measures": plan.measures,
        "unassigned": unassigned,
        "can_assign": access.may_assign(roles),
    }
    return render(request, "web/assign.html", context, status=400 if form.errors else 200)


# --- Uploading the feedback, and the job that imports it ------------------------------


def _import(job: Job, progress: Progress) -> dict[str, Any]:
    """The upload (the job's attachment) imported as the job's owner."""
    imported = sources.feedback_import(
        actor=job.owner,
        organisation_id=int(job.arguments["organisation"]),
        name=str(job.arguments["name"]),
        content=bytes(job.attachment),
        progress=progress,
        other_organisation_ok=bool(job.arguments["other_organisation_ok"]),
        inspection_id=_int(job.arguments.get("inspection")),
    )
    return {
        "inspection": imported.inspection.pk if imported.inspection else None,
        "created": imported.created,
        "warnings": list(imported.warnings),
        "named": imported.named,
    }


# Run again when its worker died: it writes in one transaction, and a file imported
# once is not imported twice (the second run gives back the first one's inspection).
IMPORT = Kind(gettext_lazy("导入反馈意见"), _import, rerun=True)


def _registered(request: SignedInRequest) -> Inspection | None:
    """The registered inspection the upload is for (``?inspection=``), if any: its
    feedback goes into it rather than into a new inspection."""
    pk = _int(request.POST.get("inspection") or request.GET.get("inspection"))
    if pk is None:
        return None
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    return inspection if access.may_import(roles) else None


@signed_in
def upload(request: SignedInRequest) -> HttpResponse:
    target = _registered(request)
    choices = [(o.pk, o.name) for o in sources.importable_organisations(request.user)]
    if target is not None:
        choices = [(target.organisation_id, target.organisation.name)]
    if not choices:
        return render(request, "web/plan_upload.html", {"form": None}, status=403)
    limit_mb = sources.limit() // 1048576
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organisations=choices,
        initial={"inspection": target.pk if target else None},
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            sources.check_feedback(upload.name or "", content)
        except Refused as refusal:
            form.add_error("file", str(refusal))
        else:
            arguments = {
                "organisation": form.cleaned_data["organisation"],
                "name": upload.name or "",
                "other_organisation_ok": form.cleaned_data["other_organisation_ok"],
                "inspection": target.pk if target else None,
            }
            job = job_start(
                owner=request.user, kind=IMPORT_JOB, arguments=arguments, attachment=content
            )
            return redirect("web:job", job.pk)
    context = {"form": form, "limit_mb": limit_mb, "target": target}
    return render(request, "web/plan_upload.html", context, status=400 if posted else 200)


@signed_in
def job(request: SignedInRequest, pk: int) -> HttpResponse:
    found = job_for(request.user, pk)
    now = timezone.now()
    context = {
        "job": found,
        "kind": kinds.label(found.kind),
        "stalled": found.stalled(now),
        "waiting_long": found.waiting_long(now),
    }
    if getattr(request, "htmx", False):
        return render(request, "web/_job_progress.html", context)
    return render(request, "web/job.html", context)
