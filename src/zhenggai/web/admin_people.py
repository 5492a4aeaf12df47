"""系统管理 · 人员: the office's people, for its administrators — the list (with a new
person's form and the reset of many passwords at once), one person's page (name,
roles, administrator or not, deactivated or not, a new sign-in code), and the sheet
of one-time sign-in codes to print. Anyone else gets 404."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Membership, Organisation
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import people
from zhenggai.web.admin_forms import PersonForm, PersonNameForm, RoleForm, place_choices
from zhenggai.web.pages import SignedInRequest, signed_in


def sheet(request: SignedInRequest, issued: list[people.Issued], title: str) -> HttpResponse:
    """The codes just issued, to print or hand out: shown once, never stored."""
    context = {
        "issued": issued,
        "title": title,
        "welcome": request.build_absolute_uri(reverse("web:welcome")),
        "section": "people",
    }
    response = render(request, "web/admin_sheet.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _roles(person: User, places: dict[int, str]) -> list[dict[str, Any]]:
    """The person's roles within the office's tree, each with where it sits."""
    found = []
    for membership in person.memberships.all():
        if membership.organisation_id not in places:
            continue  # another office's: not this administrator's to show
        where = places.get(membership.department_id or membership.organisation_id, "")
        found.append({"membership": membership, "where": where})
    return found


def _people(office: Organisation) -> tuple[list[dict[str, Any]], list[Organisation]]:
    tree = org_selectors.office_tree(office.pk)
    places = dict(place_choices(tree))
    memberships = Membership.objects.order_by("pk")
    rows = (
        org_selectors.people(office.pk, places)
        .select_related("account")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("-is_active", "first_name", "username")
    )
    return [{"person": p, "roles": _roles(p, places)} for p in rows], tree


@signed_in
def people_page(request: SignedInRequest) -> HttpResponse:
    office = access.administered_office(request.user)
    form = PersonForm(request.POST if request.POST.get("op") == "create" else None)
    error = ""
    if request.method == "POST":
        try:
            return _people_post(request, form)
        except Refused as refusal:
            error = str(refusal)
    rows, _tree = _people(office)
    context = {"office": office, "rows": rows, "form": form, "error": error, "section": "people"}
    return render(request, "web/admin_people.html", context, status=400 if error else 200)


def _people_post(request: SignedInRequest, form: PersonForm) -> HttpResponse:
    op = request.POST.get("op", "")
    if op == "codes":
        ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
        issued = people.codes_issue(actor=request.user, person_ids=ids)
        return sheet(request, issued, _("一次性登录码"))
    if op != "create":
        raise NotFound(_("未找到该页面，或您无权查看"))
    if not form.is_valid():
        raise Refused(_("请填写姓名和登录名"))
    made = people.person_create(
        actor=request.user, username=form.cleaned_data["username"], name=form.cleaned_data["name"]
    )
    return sheet(request, [made], _("新增人员的一次性登录码"))


# --- One person -----------------------------------------------------------------------


def _post_int(request: SignedInRequest, name: str) -> int:
    text = str(request.POST.get(name, ""))
    if not text.isdigit():
        raise NotFound(_("未找到该页面，或您无权查看"))
    return int(text)


def _rename(request: SignedInRequest, pk: int) -> str:
    form = PersonNameForm(request.POST)
    if not form.is_valid():
        raise Refused(_("请填写姓名"))
    people.person_rename(actor=request.user, person_id=pk, name=form.cleaned_data["name"])
    return _("已修改姓名")


def _grant(request: SignedInRequest, pk: int) -> str:
    place, role = _post_int(request, "place"), str(request.POST.get("role", ""))
    people.membership_grant(actor=request.user, person_id=pk, place_id=place, role=role)
    return _("已授予角色")


def _revoke(request: SignedInRequest, pk: int) -> str:
    people.membership_revoke(actor=request.user, membership_id=_post_int(request, "membership"))
    return _("已撤销角色")


def _activate(active: bool) -> Callable[[SignedInRequest, int], str]:
    def change(request: SignedInRequest, pk: int) -> str:
        people.person_activate(actor=request.user, person_id=pk, active=active)
        return _("已恢复账号") if active else _("已停用账号，此人不能再登录")

    return change


def _administrator(request: SignedInRequest, pk: int) -> str:
    administrator = request.POST.get("administrator") == "1"
    people.administrator_set(actor=request.user, person_id=pk, administrator=administrator)
    return _("已设为系统管理员") if administrator else _("已取消系统管理员")


PERSON_OPS: dict[str, Callable[[SignedInRequest, int], str]] = {
    "rename": _rename,
    "grant": _grant,
    "revoke": _revoke,
    "deactivate": _activate(False),
    "reactivate": _activate(True),
    "administrator": _administrator,
}


@signed_in
def person_page(request: SignedInRequest, pk: int) -> HttpResponse:
    person, office = access.person_for(request.user, pk)
    error = ""
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "reset":
                issued = people.codes_issue(actor=request.user, person_ids=[pk])
                return sheet(request, issued, _("重置密码：一次性登录码"))
            if op not in PERSON_OPS:
                raise NotFound(_("未找到该页面，或您无权查看"))
            messages.success(request, PERSON_OPS[op](request, pk))
            return redirect("web:admin_person", pk)
        except Refused as refusal:
            error = str(refusal)
        person, office = access.person_for(request.user, pk)
    return _person_render(request, person, office, error)


def _person_render(
    request: SignedInRequest, person: User, office: Organisation, error: str
) -> HttpResponse:
    tree = org_selectors.office_tree(office.pk)
    places = dict(place_choices(tree))
    account = getattr(person, "account", None)
    context = {
        "office": office,
        "person": person,
        "administrator": bool(account and account.administrator),
        "roles": _roles(person, places),
        "name_form": PersonNameForm(initial={"name": person.get_full_name()}),
        "role_form": RoleForm(tree=tree),
        "error": error,
        "myself": person.pk == request.user.pk,
        "section": "people",
    }
    return render(request, "web/admin_person.html", context, status=400 if error else 200)
