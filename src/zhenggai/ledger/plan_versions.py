"""The plan as submitted, kept whole as a version, and what changed between two.

A version holds every problem with its measures as plain values, so a later
edit or deletion cannot change what the approvers saw. Problems and measures
are matched across versions by their ids: a measure rewritten in place is
"changed", not "removed and added".
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.plan_tree import MeasureNode, Plan, label

# The measure's parts a version keeps, with the name a difference shows for each.
FIELDS = {
    "text": _("措施"),
    "target": _("整改目标"),
    "type": _("整改类型"),
    "leader": _("责任领导"),
    "department": _("责任部门"),
    "person": _("责任人"),
    "deadline": _("整改时限"),
    "weight": _("权重"),
    "expected_evidence": _("佐证材料要求"),
}


def _measure(m: MeasureNode) -> dict[str, Any]:
    deadline = m.deadline.isoformat() if isinstance(m.deadline, dt.date) else ""
    return {
        "pk": m.pk,
        "text": m.text,
        "target": m.target,
        "type": m.type,
        "leader": m.leader,
        "department": m.department,
        "person": m.person,
        "deadline": deadline,
        "weight": m.weight,
        "expected_evidence": m.expected_evidence,
    }


def snapshot(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "pk": p.pk,
            "label": label(p),
            "measures": [_measure(m) for m in p.measures],
        }
        for p in plan.ordered()
    ]


@dataclass
class Change:
    """One problem's differences: measures added, removed, and changed field by field."""

    problem: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)
    new_problem: bool = False
    gone_problem: bool = False


def _fields(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (str(name), str(old.get(key, "")), str(new.get(key, "")))
        for key, name in FIELDS.items()
        if old.get(key, "") != new.get(key, "")
    ]


def _problem_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Change | None:
    shown = new or old
    assert shown is not None
    change = Change(shown["label"], new_problem=old is None, gone_problem=new is None)
    before = {m["pk"]: m for m in (old or {}).get("measures", [])}
    after = {m["pk"]: m for m in (new or {}).get("measures", [])}
    change.added = [m["text"] for pk, m in after.items() if pk not in before]
    change.removed = [m["text"] for pk, m in before.items() if pk not in after]
    for pk, m in after.items():
        if pk in before and (fields := _fields(before[pk], m)):
            change.changed.append((m["text"], fields))
    if old is not None and old["label"] != shown["label"]:
        change.changed.append(("", [(str(_("问题")), old["label"], shown["label"])]))
    busy = change.added or change.removed or change.changed
    return change if busy or change.new_problem or change.gone_problem else None


def diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    """What changed from ``old`` to ``new``, problem by problem in the new order."""
    before = {p["pk"]: p for p in old}
    after_keys = {p["pk"] for p in new}
    Pair = tuple[dict[str, Any] | None, dict[str, Any] | None]
    pairs: list[Pair] = [(before.get(p["pk"]), p) for p in new]
    pairs += [(p, None) for p in old if p["pk"] not in after_keys]
    return [c for old_p, new_p in pairs if (c := _problem_change(old_p, new_p)) is not None]
