"""The inspection office's register in the browser: its rounds, a round's teams and
the organisations each inspects, and the inspections it registered, each with its
state and due dates and a link to its ledger. Every write is a service of
services/rounds.py; these pages are the office's alone (404 to anyone else).
"""

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.documents import round_bulletin
from zhenggai.inspections.models import Inspection, Round, Team
from zhenggai.inspections.rules import DueDates, due_dates, rules_by_inspection
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import rounds as services
from zhenggai.web.pages import SignedInRequest, signed_in
from zhenggai.web.round_forms import (
    MoveForm,
    RegisterForm,
    RoundForm,
    TeamAssignForm,
    TeamEditForm,
    TeamForm,
)


def _offices(request: SignedInRequest) -> list[Organisation]:
    """The offices whose rounds the user keeps; NotFound to anyone else."""
    offices = access.offices_kept_by(request.user)
    if not offices:
        raise NotFound(_("未找到该页面，或您无权查看"))
    return offices


def _round(request: SignedInRequest, pk: int) -> Round:
    _offices(request)
    return access.round_for(request.user, pk)


@signed_in
def rounds_page(request: SignedInRequest) -> HttpResponse:
    """The office's rounds, newest first, and the form that adds one."""
    offices = _offices(request)
    posted = request.method == "POST"
    choices = [(o.pk, o.name) for o in offices]
    form = RoundForm(request.POST if posted else None, offices=choices)
    if posted and form.is_valid():
        try:
            made = services.round_create(
                actor=request.user,
                office_id=form.cleaned_data["office"],
                fields=form.round_fields(),
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已创建巡察轮次「%(name)s」") % {"name": made.name})
            return redirect("web:round", made.pk)
    found = Round.objects.filter(office__in=offices).select_related("office")
    context = {"rounds": found.order_by("-start", "-pk"), "form": form}
    return render(request, "web/rounds.html", context, status=400 if posted else 200)


@dataclass(frozen=True)
class Registered:
    """An inspection of the round, as its page lists it."""

    inspection: Inspection
    has_feedback: bool
    due: DueDates | None


def _registered(round: Round) -> list[Registered]:
    found = list(
        round.inspections.select_related("organisation", "team").order_by(
            "organisation__name", "pk"
        )
    )
    with_feedback = set(
        Inspection.objects.filter(round=round, sources__isnull=False).values_list("pk", flat=True)
    )
    rules = rules_by_inspection(i.pk for i in found)
    return [
        Registered(i, i.pk in with_feedback, due_dates(i.feedback_date, rules[i.pk])) for i in found
    ]


def _move_choices(round: Round) -> dict[str, Any]:
    """Where an inspection of the round may go: the office's rounds and their teams."""
    rounds = Round.objects.filter(office_id=round.office_id).order_by("-start", "-pk")
    teams = Team.objects.filter(round__office_id=round.office_id).select_related("round")
    inspections = round.inspections.select_related("organisation").order_by("organisation__name")
    return {
        "inspections": [(i.pk, i.organisation.name) for i in inspections],
        "rounds": [(r.pk, r.name) for r in rounds],
        "teams": [(t.pk, f"{t.round.name} · {t.name}") for t in teams.order_by("round", "name")],
    }


def _forms(request: SignedInRequest, round: Round, teams: list[Team]) -> dict[str, Any]:
    posted = request.POST if request.method == "POST" else None
    op = request.POST.get("op") if posted else None
    units = Organisation.objects.filter(parent=round.office, kind=Organisation.Kind.INSPECTED)
    organisations = [(o.pk, o.name) for o in units.order_by("name", "pk")]
    team_choices = [(t.pk, t.name) for t in teams]
    lists = {"teams": team_choices, "organisations": organisations}
    return {
        "team": TeamForm(posted if op == "team" else None),
        "team_edit": TeamEditForm(posted if op == "team_edit" else None, teams=team_choices),
        "assign": TeamAssignForm(posted if op == "assign" else None, **lists),
        "register": RegisterForm(posted if op == "register" else None, **lists),
        "move": MoveForm(posted if op == "move" else None, **_move_choices(round)),
    }


def _register(user: Any, round: Round, data: dict[str, Any]) -> str:
    services.inspection_register(
        actor=user,
        round_id=round.pk,
        organisation_id=data["organisation"],
        team_id=data["team"],
        feedback_date=data["feedback_date"],
    )
    return _("已登记巡察，反馈意见可稍后上传")


def _team_create(user: Any, round: Round, data: dict[str, Any]) -> str:
    services.team_create(actor=user, round_id=round.pk, **data)
    return _("已新建巡察组")


def _team_edit(user: Any, round: Round, data: dict[str, Any]) -> str:
    services.team_edit(actor=user, team_id=data["team"], name=data["name"], leader=data["leader"])
    return _("已修改巡察组")


def _assign(user: Any, round: Round, data: dict[str, Any]) -> str:
    services.team_assign(actor=user, team_id=data["team"], organisation_ids=data["organisations"])
    return _("已安排巡察组巡察的单位")


def _move(user: Any, round: Round, data: dict[str, Any]) -> str:
    services.inspection_move(
        actor=user, inspection_id=data["inspection"], round_id=data["round"], team_id=data["team"]
    )
    return _("已调整巡察所属的轮次和巡察组")


# The services the round page's forms ask for, by the form's ``op``; each answers with
# the message that says it was done.
WRITES = {
    "team": _team_create,
    "team_edit": _team_edit,
    "assign": _assign,
    "register": _register,
    "move": _move,
}


@signed_in
def round_page(request: SignedInRequest, pk: int) -> HttpResponse:
    """A round: its teams and the organisations they inspect, its inspections, and
    the forms that add a team, assign organisations and register an inspection."""
    round = _round(request, pk)
    organisations = Prefetch("organisations", Organisation.objects.order_by("name", "pk"))
    teams = list(round.teams.prefetch_related(organisations))
    forms = _forms(request, round, teams)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    form = forms.get(op)
    if form is not None and form.is_valid():
        try:
            messages.success(request, WRITES[op](request.user, round, form.cleaned_data))
        except (Refused, NotFound) as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("web:round", round.pk)
    context = {
        "round": round,
        "teams": teams,
        "inspections": _registered(round),
        "forms": forms,
    }
    return render(request, "web/round.html", context, status=400 if op else 200)


@signed_in
def round_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    posted = request.method == "POST"
    form = RoundForm(request.POST if posted else None, initial=RoundForm.initial_of(round))
    if posted and form.is_valid():
        try:
            services.round_edit(actor=request.user, round_id=round.pk, fields=form.round_fields())
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已保存巡察轮次"))
            return redirect("web:round", round.pk)
    context = {"round": round, "form": form}
    return render(request, "web/round_edit.html", context, status=400 if posted else 200)


@signed_in
def round_bulletin_docx(request: SignedInRequest, pk: int) -> FileResponse:
    """The round's bulletin across its organisations, written from their ledgers now."""
    round = _round(request, pk)
    return FileResponse(
        BytesIO(round_bulletin.bulletin_docx(round)),
        as_attachment=True,
        filename=round_bulletin.file_name(round),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
