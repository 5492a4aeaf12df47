"""Building the plan in the browser: upload the feedback (imported as a background
job whose page shows its progress), see what the parser understood beside the
source text, correct it while the plan is a draft, confirm it, and assign the
measures many at once.

The plan page and the assign page read the plan's tree in three queries (its
categories, problems and measures as plain values), whatever it holds.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai import access
from zhenggai.inspections import plan_flow
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import PlanState
from zhenggai.jobs.runner import Progress, Work, job_start
from zhenggai.jobs.selectors import job_for
from zhenggai.ledger.plan_tree import Plan, ProblemNode, label, read_plan
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import plans as plan_edits
from zhenggai.services import sources
from zhenggai.services.ledger import plan_move
from zhenggai.web.pages import SignedInRequest, signed_in
from zhenggai.web.plan_forms import (
    AssignForm,
    DecisionForm,
    MergeForm,
    RelocateForm,
    RetitleForm,
    SplitForm,
    UploadForm,
)

IMPORT_JOB = "feedback_import"
JOB_KINDS = {
    IMPORT_JOB: gettext_lazy("导入反馈意见"),
    "ledger_export": gettext_lazy("导出整改台账"),
}


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


@dataclass
class PlanPage:
    """What the plan page shows and may do, for one user."""

    inspection: Inspection
    roles: set[Role]
    plan: Plan
    editing: ProblemNode | None = None
    forms: dict[str, Any] = field(default_factory=dict)
    decision: DecisionForm = field(default_factory=lambda: DecisionForm(prefix="decision"))
    error: str = ""

    @property
    def draft(self) -> bool:
        return self.inspection.plan_state == PlanState.DRAFT

    @property
    def can_edit(self) -> bool:
        return access.may_edit_plan(self.roles, self.inspection)

    @property
    def can_decide(self) -> bool:
        state = self.inspection.plan_state
        return access.may_move(plan_flow.MOVES, "approve", self.inspection, state, self.roles)

    def edit(self, problem_id: int | None, data: QueryDict | None = None, op: str = "") -> None:
        """The forms correcting one problem; ``data`` binds the one that was sent."""
        editing = self.plan.problems.get(problem_id or 0)
        if editing is None:
            return
        self.editing = editing

        def given(name: str) -> QueryDict | None:
            return data if name == op else None

        others = [(p.pk, label(p)[:80]) for p in self.plan.ordered() if p.pk != editing.pk]
        mine = [(m.pk, f"{m.position}. {m.text[:80]}") for m in editing.measures]
        categories = [(c.pk, c.number + (c.title or _("（未分类）"))) for c in self.plan.categories]
        self.forms = {
            "retitle": RetitleForm(
                given("retitle"), prefix="retitle", initial={"title": editing.title}
            ),
            "merge": MergeForm(given("merge"), prefix="merge", problems=others),
            "split": SplitForm(given("split"), prefix="split", measures=mine),
            "relocate": RelocateForm(
                given("relocate"),
                prefix="relocate",
                categories=categories,
                initial={"category": editing.category_id, "position": editing.position},
            ),
        }

    def context(self) -> dict[str, Any]:
        name, lines = _source(self.inspection)
        return {"page": self, "inspection": self.inspection, "source_name": name, "lines": lines}


def _plan_page(request: SignedInRequest, pk: int) -> PlanPage:
    inspection, roles = access.inspection_for(request.user, pk, related=("organisation",))
    return PlanPage(inspection, roles, read_plan(inspection))


def _plan_url(inspection: Inspection, problem_id: int | None = None) -> str:
    url = reverse("web:plan", args=[inspection.pk])
    return f"{url}?edit={problem_id}#problem-{problem_id}" if problem_id else url


@signed_in
def review(request: SignedInRequest, pk: int) -> HttpResponse:
    page = _plan_page(request, pk)
    if request.method == "POST":
        return _plan_post(request, page)
    if page.can_edit:
        page.edit(_int(request.GET.get("edit")))
    if getattr(request, "htmx", False):
        return render(request, "web/_plan_tree.html", page.context())
    return render(request, "web/plan.html", page.context())


# An edit takes the user, the problem and the form's data; it returns the problem
# to show next and what to tell the user.
Edit = Callable[[User, ProblemNode, dict[str, Any]], tuple[int, str]]


def _retitle(actor: User, problem: ProblemNode, data: dict[str, Any]) -> tuple[int, str]:
    plan_edits.problem_retitle(actor=actor, problem_id=problem.pk, title=data["title"])
    return problem.pk, _("已修改问题标题")


def _merge(actor: User, problem: ProblemNode, data: dict[str, Any]) -> tuple[int, str]:
    into = plan_edits.problem_merge(actor=actor, problem_id=problem.pk, into_id=data["into"])
    return into.pk, _("已将问题并入「%(title)s」") % {"title": (into.title or "")[:40]}


def _split(actor: User, problem: ProblemNode, data: dict[str, Any]) -> tuple[int, str]:
    new = plan_edits.problem_split(
        actor=actor, problem_id=problem.pk, measure_ids=data["measures"], title=data["title"]
    )
    return new.pk, _("已拆分出新问题")


def _relocate(actor: User, problem: ProblemNode, data: dict[str, Any]) -> tuple[int, str]:
    plan_edits.problem_relocate(
        actor=actor, problem_id=problem.pk, category_id=data["category"], position=data["position"]
    )
    return problem.pk, _("已移动问题")


EDITS: dict[str, Edit] = {
    "retitle": _retitle,
    "merge": _merge,
    "split": _split,
    "relocate": _relocate,
}
PLAN_MOVES = {
    "submit": gettext_lazy("整改方案已报送，等待审批"),
    "approve": gettext_lazy("整改方案已审批"),
    "return": gettext_lazy("整改方案已退回修改"),
}


def _plan_post(request: SignedInRequest, page: PlanPage) -> HttpResponse:
    op = request.POST.get("op", "")
    if op in PLAN_MOVES:
        return _decide(request, page, op)
    page.edit(_int(request.POST.get("problem")), request.POST, op)
    form = page.forms.get(op)
    if form is None:
        raise NotFound(_("未找到该问题，或您无权查看"))
    assert page.editing is not None  # the forms exist only for a problem being edited
    if not form.is_valid():
        page.error = _("填写的内容有误，请按下方的提示修改")
        return render(request, "web/plan.html", page.context(), status=400)
    try:
        shown, told = EDITS[op](request.user, page.editing, form.cleaned_data)
    except Refused as refusal:
        form.add_error(None, str(refusal))
        page.error = str(refusal)
        return render(request, "web/plan.html", page.context(), status=400)
    messages.success(request, told)
    return redirect(_plan_url(page.inspection, shown))


def _decide(request: SignedInRequest, page: PlanPage, op: str) -> HttpResponse:
    page.decision = DecisionForm(request.POST, prefix="decision")
    if page.decision.is_valid():
        comment = page.decision.cleaned_data["comment"]
        try:
            plan_move(
                actor=request.user,
                inspection_id=page.inspection.pk,
                move=op,
                data=MoveInput(comment=comment),
            )
        except Refused as refusal:
            page.decision.add_error(None, str(refusal))
            page.error = str(refusal)
        else:
            messages.success(request, str(PLAN_MOVES[op]))
            return redirect(_plan_url(page.inspection))
    return render(request, "web/plan.html", page.context(), status=400)


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


def _import_work(user_id: int, organisation_id: int, name: str, content: bytes) -> Work:
    def work(progress: Progress) -> dict[str, Any]:
        actor = User.objects.get(pk=user_id)
        imported = sources.feedback_import(
            actor=actor,
            organisation_id=organisation_id,
            name=name,
            content=content,
            progress=progress,
        )
        return {"inspection": imported.inspection.pk, "created": imported.created}

    return work


@signed_in
def upload(request: SignedInRequest) -> HttpResponse:
    choices = [(o.pk, o.name) for o in sources.importable_organisations(request.user)]
    if not choices:
        return render(request, "web/plan_upload.html", {"form": None}, status=403)
    limit_mb = sources.limit() // 1048576
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, organisations=choices
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            sources.check_feedback(upload.name or "", content)
        except Refused as refusal:
            form.add_error("file", str(refusal))
        else:
            work = _import_work(
                request.user.pk, form.cleaned_data["organisation"], upload.name or "", content
            )
            job = job_start(owner=request.user, kind=IMPORT_JOB, work=work)
            return redirect("web:job", job.pk)
    context = {"form": form, "limit_mb": limit_mb}
    return render(request, "web/plan_upload.html", context, status=400 if posted else 200)


@signed_in
def job(request: SignedInRequest, pk: int) -> HttpResponse:
    found = job_for(request.user, pk)
    context = {
        "job": found,
        "kind": JOB_KINDS.get(found.kind, found.kind),
        "stalled": found.stalled(timezone.now()),
    }
    if getattr(request, "htmx", False):
        return render(request, "web/_job_progress.html", context)
    return render(request, "web/job.html", context)
