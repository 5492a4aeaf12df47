"""The assessment pages (整改评估): the office's scheme, and an inspection's
assessment: started, filled in with evidence, finalised, its report downloaded and
its re-rectification linked. The organisation reads its own final assessment, and
nothing before; every write is a service of services/assessments.py."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.assessment import selectors
from zhenggai.assessment.models import Assessment, Grade, Score, Source
from zhenggai.core import assessment as scoring
from zhenggai.core.writers.assessment_docx import Line, Report, write_assessment_docx
from zhenggai.inspections.models import Inspection
from zhenggai.orgs.models import Organisation, Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import assessments as services
from zhenggai.web import sheets
from zhenggai.web.assessment_forms import EnterForm, SchemeForm
from zhenggai.web.documents import DOCX
from zhenggai.web.pages import SignedInRequest, signed_in


def shows_link(inspection: Inspection, roles: set[Role]) -> bool:
    """The ledger page's link: to the office always, to the organisation once final."""
    if access.may_assess(roles):
        return True
    final = Assessment.objects.filter(inspection=inspection, state=Assessment.State.FINAL)
    return final.exists()


# --- The scheme ------------------------------------------------------------------


def _office(request: SignedInRequest) -> Organisation:
    offices = access.offices_kept_by(request.user)
    if not offices:
        raise NotFound(_("未找到该页面，或您无权查看"))
    wanted = request.GET.get("office", "")
    return next((o for o in offices if str(o.pk) == wanted), offices[0])


@signed_in
def scheme_page(request: SignedInRequest) -> HttpResponse:
    office = _office(request)
    scheme = services.scheme_of(office)
    posted = request.method == "POST"
    initial = SchemeForm.initial_of(scheme if scheme is not None else services.DEFAULT)
    form = SchemeForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        try:
            services.scheme_edit(
                actor=request.user, office_id=office.pk, fields=form.scheme_fields()
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已保存整改评估方案"))
            return redirect(f"{request.path}?office={office.pk}")
    context = {"office": office, "form": form, "saved": scheme is not None}
    return render(request, "web/assessment_scheme.html", context, status=400 if posted else 200)


# --- An assessment ---------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    position: int
    name: str
    weight: int
    source: str
    entered: bool
    value: Decimal | None
    basis: str
    evidence: str


def said(deduction: dict[str, Any]) -> str:
    """A deduction in the page's language."""
    if deduction["kind"] == scoring.Kind.FALSE_STATEMENTS:
        return _("虚报瞒报 %(count)s 次，达到否决次数，总分计 0 分") % deduction
    if deduction["kind"] == scoring.Kind.OVERDUE:
        text = _("逾期未完成整改措施 %(count)s 项，每项扣 %(each)s 分，扣 %(points)s 分")
    else:
        text = _("回头看发现问题反弹 %(count)s 项，每项扣 %(each)s 分，扣 %(points)s 分")
    return text % deduction + (_("（已达扣分上限）") if deduction["capped"] else "")


def _rows(assessment: Assessment, result: scoring.Result) -> list[Row]:
    rules = selectors.rules_of(assessment.rules)
    scores: dict[int, Score] = {s.position: s for s in assessment.scores.all()}
    rows = []
    for n, indicator in enumerate(rules.indicators):
        score = scores.get(n)
        entered = indicator.source == scoring.Source.ENTERED
        value = (score.value if score else None) if entered else result.scores[n]
        rows.append(
            Row(
                n,
                indicator.name,
                indicator.weight,
                str(Source(indicator.source).label),
                entered,
                value,
                score.note if score else "",
                score.evidence_name if score else "",
            )
        )
    return rows


def _result(assessment: Assessment, inspection: Inspection) -> scoring.Result:
    """The draft's score as the ledger stands today; a final one's as it was."""
    if assessment.state == Assessment.State.FINAL:
        facts = selectors.LedgerFacts(0, 0.0, 0, 0, assessment.overdue, assessment.relapses)
    else:
        facts = selectors.ledger_facts(inspection, timezone.localdate())
    return selectors.result(assessment, facts)


def _context(
    request: SignedInRequest, inspection: Inspection, roles: set[Role], found: Assessment | None
) -> dict[str, Any]:
    context: dict[str, Any] = {"inspection": inspection, "assessment": found}
    context["may_assess"] = may = access.may_assess(roles)
    if found is None:
        return context
    result = _result(found, inspection)
    context["rows"] = _rows(found, result)
    final = found.state == Assessment.State.FINAL
    taken = found.deductions if final else [services.deduction_record(d) for d in result.deductions]
    context["deductions"] = [said(d) for d in taken]
    context["preview"] = result
    context["preview_grade"] = Grade(result.grade.value).label
    if may and not final:
        entered = [(r.position, r.name) for r in context["rows"] if r.entered]
        choices = [*entered, (services.FALSE_STATEMENTS, _("虚报瞒报次数"))]
        posted = request.POST if request.POST.get("op") == "enter" else None
        context["form"] = EnterForm(posted, request.FILES or None, indicators=choices)
    return context


def _write(request: SignedInRequest, found: Assessment | None, pk: int, op: str) -> str:
    user = request.user
    if op == "start":
        services.assessment_start(actor=user, inspection_id=pk)
        return _("已开始整改评估")
    if found is None:
        raise Refused(_("请先开始整改评估"))
    if op == "finalise":
        done = services.assessment_finalise(actor=user, assessment_id=found.pk)
        if done.reopened_as_id:
            return _("已完成整改评估，等次为“%(grade)s”，已登记再整改") % {"grade": done.grade}
        return _("已完成整改评估，等次为“%(grade)s”") % {"grade": done.grade}
    raise Refused(_("未知的操作"))


def _enter(request: SignedInRequest, form: EnterForm, found: Assessment) -> str:
    data = form.cleaned_data
    upload = data["evidence"]
    services.assessment_enter(
        actor=request.user,
        assessment_id=found.pk,
        indicator=data["indicator"],
        value=data["value"],
        note=data["note"],
        evidence=services.Upload(upload.name, upload.read()) if upload else None,
    )
    return _("已录入")


@signed_in
def page(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, roles, found = access.assessment_for(request.user, pk)
    if request.method == "POST":
        op = request.POST.get("op", "")
        context = _context(request, inspection, roles, found)
        form = context.get("form")
        try:
            if op == "enter" and found is not None and form is not None:
                if not form.is_valid():
                    return render(request, "web/assessment.html", context, status=400)
                done = _enter(request, form, found)
            else:
                done = _write(request, found, inspection.pk, op)
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done)
        return redirect("web:assessment", inspection.pk)
    return render(request, "web/assessment.html", _context(request, inspection, roles, found))


def _final(request: SignedInRequest, pk: int) -> tuple[Inspection, Assessment]:
    inspection, _roles, found = access.assessment_for(request.user, pk)
    if found is None or found.state != Assessment.State.FINAL:
        raise NotFound(_("整改评估尚未完成"))
    return inspection, found


def _line(indicator: scoring.Indicator, score: Score | None) -> Line:
    if score is None:
        return Line(indicator.name, indicator.weight, None, "")
    return Line(indicator.name, indicator.weight, score.value, score.note)


def report_of(inspection: Inspection, assessment: Assessment) -> Report:
    rules = selectors.rules_of(assessment.rules)
    scores = {s.position: s for s in assessment.scores.all()}
    office = Organisation.objects.filter(pk=inspection.organisation.parent_id or 0).first()
    redo = assessment.reopened_as
    return Report(
        office=office.name if office else "",
        organisation=inspection.organisation.name,
        inspection=str(inspection),
        lines=tuple(_line(i, scores.get(n)) for n, i in enumerate(rules.indicators)),
        deductions=tuple(d["explained"] for d in assessment.deductions),
        total=assessment.total or Decimal(0),
        grade=assessment.grade,
        date=timezone.localtime(assessment.finalised_at or timezone.now()).date(),
        redo=redo.title if redo else None,
    )


@signed_in
def report(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, found = _final(request, pk)
    content = write_assessment_docx(report_of(inspection, found))
    name = f"{inspection.organisation.name}整改评估报告.docx"
    response = sheets.download(content, name)
    response["Content-Type"] = DOCX
    return response


@signed_in
def evidence(request: SignedInRequest, pk: int, which: str) -> FileResponse:
    """An entered score's evidence (``which`` its position, or "false" for the
    false statements'), to whoever may read the assessment."""
    _inspection, _roles, found = access.assessment_for(request.user, pk)
    if found is None:
        raise NotFound(_("未找到该佐证材料"))
    if which == "false":
        name = found.false_statements_evidence_name
        path, kind = found.false_statements_evidence_path, found.false_statements_evidence_type
    else:
        score = found.scores.filter(position=int(which) if which.isdigit() else -1).first()
        if score is None:
            raise NotFound(_("未找到该佐证材料"))
        name, path, kind = score.evidence_name, score.evidence_path, score.evidence_type
    if not path:
        raise NotFound(_("未找到该佐证材料"))
    return _file(name, path, kind)


def _file(name: str, path: str, kind: str) -> FileResponse:
    """As the ledger serves its evidence (uploads.file_response): downloaded,
    sandboxed; a path that leaves MEDIA_ROOT is treated as missing."""
    root = Path(settings.MEDIA_ROOT).resolve()
    stored = (root / path).resolve()
    if not stored.is_relative_to(root) or not stored.is_file():
        raise NotFound(_("佐证材料文件不存在"))
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private"
    return response
