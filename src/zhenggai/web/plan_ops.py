"""What the plan page's forms do: each ``op`` a short function calling its service.

An op returns where to show the user next (a problem or a measure anchor) and
what to tell them; a refusal raises, and the page is shown again with the
form as it was sent, so nothing typed is lost.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.services import plan_measures
from zhenggai.services import plans as plan_edits
from zhenggai.web.measure_forms import MeasureForm

# An edit of a problem takes the user, the problem's id and the form's data.
Edit = Callable[[User, int, dict[str, Any]], tuple[str, str]]


def _problem(pk: int) -> str:
    return f"problem-{pk}"


def _retitle(actor: User, problem: int, data: dict[str, Any]) -> tuple[str, str]:
    plan_edits.problem_retitle(actor=actor, problem_id=problem, title=data["title"])
    return _problem(problem), _("已修改问题标题")


def _merge(actor: User, problem: int, data: dict[str, Any]) -> tuple[str, str]:
    into = plan_edits.problem_merge(actor=actor, problem_id=problem, into_id=data["into"])
    return _problem(into.pk), _("已将问题并入「%(title)s」") % {"title": (into.title or "")[:40]}


def _split(actor: User, problem: int, data: dict[str, Any]) -> tuple[str, str]:
    new = plan_edits.problem_split(
        actor=actor, problem_id=problem, measure_ids=data["measures"], title=data["title"]
    )
    return _problem(new.pk), _("已拆分出新问题")


def _relocate(actor: User, problem: int, data: dict[str, Any]) -> tuple[str, str]:
    plan_edits.problem_relocate(
        actor=actor, problem_id=problem, category_id=data["category"], position=data["position"]
    )
    return _problem(problem), _("已移动问题")


def _nest(actor: User, problem: int, data: dict[str, Any]) -> tuple[str, str]:
    plan_edits.problem_nest(actor=actor, problem_id=problem, parent_id=data["parent"])
    return _problem(problem), _("已改为子问题")


PROBLEM_EDITS: dict[str, Edit] = {
    "retitle": _retitle,
    "merge": _merge,
    "split": _split,
    "relocate": _relocate,
    "nest": _nest,
}


# --- Measures: the form's ops, and the buttons beside each measure ------------------


def measure_save(actor: User, form: MeasureForm, adding: int | None, measure: int | None) -> str:
    """Create under problem ``adding`` or edit ``measure``; returns the anchor to show."""
    if measure is not None:
        plan_measures.measure_edit(actor=actor, measure_id=measure, data=form.measure_input())
        return f"measure-{measure}"
    assert adding is not None
    created = plan_measures.measure_create(
        actor=actor, problem_id=adding, data=form.measure_input()
    )
    return f"measure-{created.pk}"


def _delete(actor: User, pk: int, _position: int) -> tuple[str, str]:
    plan_measures.measure_delete(actor=actor, measure_id=pk)
    return "plan-tree", _("已删除整改措施")


def _reorder(actor: User, pk: int, position: int) -> tuple[str, str]:
    plan_measures.measure_reorder(actor=actor, measure_id=pk, position=position)
    return f"measure-{pk}", _("已调整顺序")


def _to_sub(actor: User, pk: int, _position: int) -> tuple[str, str]:
    sub = plan_edits.measure_to_subproblem(actor=actor, measure_id=pk)
    return _problem(sub.pk), _("已将整改措施改为子问题")


def _to_measure(actor: User, pk: int, _position: int) -> tuple[str, str]:
    measure = plan_edits.subproblem_to_measure(actor=actor, problem_id=pk)
    return f"measure-{measure.pk}", _("已将子问题改为整改措施")


# A button's op takes the user, the id it acts on and a position (for reordering).
BUTTONS: dict[str, Callable[[User, int, int], tuple[str, str]]] = {
    "delete": _delete,
    "reorder": _reorder,
    "to_sub": _to_sub,
    "to_measure": _to_measure,
}

PLAN_MOVES = {
    "submit": gettext_lazy("整改方案已报送，等待审批"),
    "approve": gettext_lazy("整改方案已审批"),
    "return": gettext_lazy("整改方案已退回修改"),
    "accept": gettext_lazy("巡察办已同意整改方案"),
    "send_back": gettext_lazy("巡察办已退回整改方案"),
}
