"""An inspection's registers in the browser: the people held accountable, the case
leads handed over and their disposal, the regulations adopted, the funds recovered
or refunded and the meetings, training and reminders held; each with the form of
the role that records it (access.may_record_*), posting to the page with its
``op``. Every write is a service (services/accountability.py, services/registers.py);
the organisation's people and the inspection office read, everyone else gets 404.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.accountability.models import Action, FundsRecovered, Regulation, WorkFact
from zhenggai.inspections.models import CaseLead, Inspection, Problem
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import accountability as accountability_services
from zhenggai.services import registers as register_services
from zhenggai.web import register_forms as f
from zhenggai.web.pages import SignedInRequest, signed_in


@dataclass(frozen=True)
class ProblemEntries:
    """What the registers hold of one problem, for its page."""

    actions: list[Action]
    funds: list[FundsRecovered]
    case_leads: list[CaseLead]

    @classmethod
    def of(cls, problem: Problem) -> "ProblemEntries":
        return cls(
            list(Action.objects.filter(problem=problem).select_related("case_lead").order_by("pk")),
            list(FundsRecovered.objects.filter(problem=problem).order_by("pk")),
            list(CaseLead.objects.filter(problem=problem).order_by("pk")),
        )


def _lead_label(lead: CaseLead) -> str:
    return f"{lead.pk}. {lead.description[:40]}"


def _forms(request: SignedInRequest, inspection: Inspection) -> dict[str, f.RegisterForm]:
    posted = request.POST if request.method == "POST" else None
    op = request.POST.get("op") if posted else None
    problems = [(p.pk, p.title or str(p)) for p in inspection.problems.order_by("position", "pk")]
    leads = [(lead.pk, _lead_label(lead)) for lead in inspection.case_leads.order_by("pk")]

    def bound(name: str) -> Any:
        return posted if op == name else None

    return {
        "action": f.ActionForm(bound("action"), problems=problems, leads=leads),
        "dispose": f.DisposalForm(bound("dispose"), problems=problems, leads=leads),
        "lead": f.NewLeadForm(bound("lead"), problems=problems),
        "regulation": f.RegulationForm(bound("regulation"), problems=problems),
        "funds": f.FundsForm(bound("funds"), problems=problems),
        "work": f.WorkFactForm(bound("work"), problems=problems),
        "words": f.OwnWordsForm(
            bound("words"),
            problems=problems,
            initial={
                "work_text": inspection.work_text,
                "next_steps_text": inspection.next_steps_text,
            },
        ),
    }


def _action(user: Any, inspection: Inspection, form: Any) -> str:
    fields = form.fields_of()
    accountability_services.action_create(actor=user, inspection_id=inspection.pk, fields=fields)
    return _("已记录问责处理")


def _dispose(user: Any, inspection: Inspection, form: Any) -> str:
    lead_id = form.cleaned_data["case_lead"]
    if not inspection.case_leads.filter(pk=lead_id).exists():
        raise NotFound(_("未找到该问题线索，或您无权查看"))
    register_services.case_lead_dispose(actor=user, case_lead_id=lead_id, given=form.disposal_of())
    return _("已记录问题线索处置情况")


def _lead(user: Any, inspection: Inspection, form: Any) -> str:
    data = form.cleaned_data
    register_services.case_lead_create(
        actor=user,
        inspection_id=inspection.pk,
        description=data["description"],
        handed_to=data["handed_to"],
        given=form.disposal_of(),
    )
    return _("已登记问题线索")


def _regulation(user: Any, inspection: Inspection, form: Any) -> str:
    accountability_services.regulation_record(
        actor=user, inspection_id=inspection.pk, **form.cleaned_data
    )
    return _("已记录建章立制")


def _funds(user: Any, inspection: Inspection, form: Any) -> str:
    data = dict(form.cleaned_data)
    problem_id = data.pop("problem")
    accountability_services.funds_record(
        actor=user, inspection_id=inspection.pk, problem_id=problem_id, **data
    )
    return _("已记录资金")


def _work(user: Any, inspection: Inspection, form: Any) -> str:
    register_services.work_fact_record(actor=user, inspection_id=inspection.pk, **form.cleaned_data)
    return _("已记录会议、培训或督促提醒")


def _words(user: Any, inspection: Inspection, form: Any) -> str:
    register_services.own_words_set(actor=user, inspection_id=inspection.pk, **form.cleaned_data)
    return _("已保存本单位的表述")


# The services the page's forms ask for, by the form's ``op``; each answers with the
# message that says it was done.
WRITES = {
    "action": _action,
    "dispose": _dispose,
    "lead": _lead,
    "regulation": _regulation,
    "funds": _funds,
    "work": _work,
    "words": _words,
}


def _may(roles: set[Role]) -> dict[str, bool]:
    """Which forms the user is shown: the predicates the services enforce."""
    accountable = access.may_record_accountability(roles)
    leads = access.may_dispose_case_lead(roles)
    work = access.may_record_work(roles)
    ops = {"action": accountable, "funds": accountable, "dispose": leads, "lead": leads}
    return ops | {"regulation": work, "work": work, "words": work}


def _registers(inspection: Inspection) -> dict[str, Any]:
    actions = Action.objects.filter(inspection=inspection).select_related("problem", "case_lead")
    leads = inspection.case_leads.select_related("problem").prefetch_related(
        Prefetch("actions", Action.objects.order_by("pk"))
    )
    funds = FundsRecovered.objects.filter(inspection=inspection).select_related("problem")
    facts = WorkFact.objects.filter(inspection=inspection)
    by_kind = facts.values("kind").annotate(n=Sum("count")).order_by("kind")
    return {
        "actions": actions.order_by("date", "pk"),
        "case_leads": leads.order_by("pk"),
        "regulations": Regulation.objects.filter(inspection=inspection),
        "funds": funds.order_by("date", "pk"),
        "funds_total": funds.aggregate(total=Sum("amount"))["total"],
        "work_facts": facts,
        "work_totals": [(WorkFact.Kind(row["kind"]).label, row["n"]) for row in by_kind],
    }


@signed_in
def page(request: SignedInRequest, pk: int) -> HttpResponse:
    """The registers of an inspection and the forms of the roles that keep them."""
    related = ("organisation",)
    inspection, roles = access.inspection_for(request.user, pk, related=related)
    forms = _forms(request, inspection)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    form = forms.get(op)
    if form is not None and form.is_valid():
        try:
            messages.success(request, WRITES[op](request.user, inspection, form))
        except (Refused, NotFound) as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("web:registers", inspection.pk)
    may = _may(roles)
    shown = {name: form for name, form in forms.items() if may[name] or name == op}
    context = {"inspection": inspection, "forms": shown, "may": may} | _registers(inspection)
    return render(request, "web/registers.html", context, status=400 if op else 200)
