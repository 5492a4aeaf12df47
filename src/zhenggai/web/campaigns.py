"""The inspection office's 回头看 campaigns in the browser: its campaigns, a new one
made from filters (with the count it would select shown first), and a campaign's
page: its checks with who checks each and what was found, the forms that assign
checks and record a result (with evidence), its figures and its report (.docx).
Every write is a service of services/campaigns.py; these pages are the office's
alone (404 to anyone else), an organisation sees only what a relapse did to its
own problem."""

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.campaigns import report
from zhenggai.campaigns.models import Campaign, CampaignCheck
from zhenggai.campaigns.selectors import checks_of, figures, office_people, person_name
from zhenggai.inspections.models import Round
from zhenggai.ledger.uploads import file_response
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import campaigns as services
from zhenggai.taxonomy.models import Topic
from zhenggai.web.campaign_forms import AssignForm, CampaignForm, RecordForm
from zhenggai.web.pages import SignedInRequest, signed_in

PENDING = CampaignCheck.Result.PENDING


def _offices(request: SignedInRequest) -> list[Organisation]:
    """The offices whose campaigns the user keeps; NotFound to anyone else."""
    offices = access.offices_checked_by(request.user)
    if not offices:
        raise NotFound(_("未找到该页面，或您无权查看"))
    return offices


@signed_in
def campaigns_page(request: SignedInRequest) -> HttpResponse:
    """The office's campaigns, newest first, with how far each has got."""
    offices = _offices(request)
    found = Campaign.objects.filter(office__in=offices).annotate(
        total=Count("checks"),
        pending=Count("checks", filter=Q(checks__result=PENDING)),
        relapsed=Count("checks", filter=Q(checks__result=CampaignCheck.Result.RELAPSED)),
    )
    context = {"campaigns": found.order_by("-created_at", "-pk")}
    return render(request, "web/campaigns.html", context)


def _new_form(request: SignedInRequest, offices: list[Organisation]) -> CampaignForm:
    rounds = Round.objects.filter(office__in=offices).order_by("-start", "-pk")
    topics = Topic.objects.filter(office__in=offices)
    return CampaignForm(
        request.POST if request.method == "POST" else None,
        offices=[(o.pk, o.name) for o in offices],
        rounds=[(r.pk, r.name) for r in rounds],
        topics=[(t.pk, t.name) for t in topics],
    )


@signed_in
def campaign_new(request: SignedInRequest) -> HttpResponse:
    """The filters of a new campaign; 「预览」 counts what they select, 「创建」 makes it."""
    offices = _offices(request)
    form, preview = _new_form(request, offices), None
    posted = request.method == "POST"
    if posted and form.is_valid():
        office_id, selection = form.cleaned_data["office"], form.selection()
        try:
            if request.POST.get("op") == "preview":
                preview = services.campaign_preview(
                    actor=request.user, office_id=office_id, selection=selection
                )
            else:
                made = services.campaign_create(
                    actor=request.user,
                    office_id=office_id,
                    fields=form.campaign_fields(),
                    selection=selection,
                )
                messages.success(request, _("已创建回头看专项「%(name)s」") % {"name": made.name})
                return redirect("web:campaign", made.pk)
        except (Refused, NotFound) as refusal:
            form.add_error(None, str(refusal))
    status = 400 if posted and preview is None else 200
    context = {"form": form, "preview": preview}
    return render(request, "web/campaign_new.html", context, status=status)


def _complaint(form: Any) -> Refused:
    """A form's errors as one refusal, each field named."""
    said = [
        f"{form.fields[name].label or ''}{error}" if name != "__all__" else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]
    return Refused("；".join(said))


def _assign(request: SignedInRequest, campaign: Campaign, checks: list[CampaignCheck]) -> str:
    people = [(p.pk, person_name(p)) for p in office_people(campaign.office_id)]
    pending = [(c.pk, str(c.problem)) for c in checks if c.result == PENDING]
    form = AssignForm(request.POST, checks=pending, people=people)
    if not form.is_valid():
        raise _complaint(form)
    services.check_assign(
        actor=request.user,
        campaign_id=campaign.pk,
        check_ids=form.cleaned_data["checks"],
        assignee_id=form.cleaned_data["assignee"],
    )
    return _("已分配检查")


def _record(request: SignedInRequest) -> str:
    form = RecordForm(request.POST, request.FILES)
    if not form.is_valid():
        raise _complaint(form)
    data = form.cleaned_data
    files = [services.Upload(f.name or "", f.read()) for f in request.FILES.getlist("evidence")]
    done = services.check_record(
        actor=request.user,
        check_id=data["check_id"],
        result=data["result"],
        reasons=data["reasons"],
        checked_on=data["checked_on"],
        evidence=files,
    )
    if done.result == CampaignCheck.Result.RELAPSED:
        return _("已记录：问题反弹，该问题已重新整改")
    return _("已记录：整改成效巩固")


def _write(request: SignedInRequest, campaign: Campaign, checks: list[CampaignCheck]) -> str:
    op = request.POST.get("op", "")
    if op == "assign":
        return _assign(request, campaign, checks)
    if op == "record":
        return _record(request)
    if op == "close":
        services.campaign_close(actor=request.user, campaign_id=campaign.pk)
        return _("回头看专项已结束")
    raise Refused(_("未知的操作：%(name)s") % {"name": op[:50]})


@signed_in
def campaign_page(request: SignedInRequest, pk: int) -> HttpResponse:
    _offices(request)
    campaign = access.campaign_for(request.user, pk)
    checks = list(checks_of(campaign))
    error = ""
    if request.method == "POST":
        try:
            messages.success(request, _write(request, campaign, checks))
        except (Refused, NotFound) as refusal:
            error = str(refusal)
        else:
            return redirect("web:campaign", campaign.pk)
    people = [(p.pk, person_name(p)) for p in office_people(campaign.office_id)]
    context = {
        "campaign": campaign,
        "checks": checks,
        "error": error,
        "people": people,
        "open": access.may_change_campaign(campaign),
        "any_pending": any(c.result == PENDING for c in checks),
        "figures": figures(campaign, _("合计")),
        "scope": report.scope(campaign),
        "today": timezone.localdate(),
        "results": [CampaignCheck.Result.HELD, CampaignCheck.Result.RELAPSED],
    }
    return render(request, "web/campaign.html", context, status=400 if error else 200)


@signed_in
def campaign_report(request: SignedInRequest, pk: int) -> FileResponse:
    _offices(request)
    campaign = access.campaign_for(request.user, pk)
    return FileResponse(
        BytesIO(report.report_docx(campaign)),
        as_attachment=True,
        filename=report.file_name(campaign),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@signed_in
def campaign_file(request: SignedInRequest, pk: int) -> FileResponse:
    """A file found in a check, to the people of the campaign's office; downloaded."""
    _offices(request)
    return file_response(access.check_evidence_for(request.user, pk), inline=False)
