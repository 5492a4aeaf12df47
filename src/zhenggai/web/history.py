"""The audit trail told as sentences: who did what and when, with the comment and
the values before and after in the ledger's own words.

Events keep plain values (ids, state codes, dates as text); this module turns
them into what a person reads. It runs no query per event: the names of the
people and departments the events mention are read in one query each.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.audit.actions import Action
from zhenggai.audit.models import Event
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger.models import Evidence, Extension, Measure
from zhenggai.orgs.models import Organisation, display_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Values an event's ``after`` carries that the sentence shows, by action. The
# comment of a move or a decision is shown for every action.
DETAILS: dict[str, tuple[tuple[str, "StrOrPromise"], ...]] = {
    Action.PROGRESS_CREATE: (
        ("date", gettext_lazy("进展日期")),
        ("text", gettext_lazy("整改进展")),
    ),
    Action.EVIDENCE_CREATE: (("name", gettext_lazy("文件")),),
    Action.EVIDENCE_ACCEPTED: (
        ("name", gettext_lazy("文件")),
        ("review_comment", gettext_lazy("意见")),
    ),
    Action.EVIDENCE_RETURNED: (
        ("name", gettext_lazy("文件")),
        ("review_comment", gettext_lazy("意见")),
    ),
    Action.EXTENSION_CREATE: (
        ("new_deadline", gettext_lazy("申请时限")),
        ("reason", gettext_lazy("延期理由")),
    ),
    Action.FOLLOW_UP_CREATE: (
        ("date", gettext_lazy("检查日期")),
        ("finding", gettext_lazy("检查情况")),
    ),
    Action.UNFINISHED_CREATE: (
        ("reason", gettext_lazy("未完成整改原因")),
        ("next_steps", gettext_lazy("下一步整改措施")),
        ("deadline", gettext_lazy("新的整改时限")),
    ),
}
COMMENT = ("comment", gettext_lazy("意见"))

# Fields whose change the sentence shows as before → after, with their labels.
CHANGES: dict[str, tuple["StrOrPromise", type[TextChoices] | None]] = {
    "state": (gettext_lazy("状态"), State),
    "plan_state": (gettext_lazy("整改方案"), PlanState),
    "review": (gettext_lazy("审核"), Evidence.Review),
    "decision": (gettext_lazy("审批"), Extension.Decision),
    "title": (gettext_lazy("标题"), None),
    "deadline": (gettext_lazy("整改时限"), None),
    "weight": (gettext_lazy("权重"), None),
    "person_id": (gettext_lazy("责任人"), None),
    "leader_id": (gettext_lazy("责任领导"), None),
    "department_id": (gettext_lazy("责任部门"), None),
}
PEOPLE = ("person_id", "leader_id")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Line:
    """One event as a sentence: 「{who} 于 {at} {what}」, then its details and changes."""

    seq: int
    who: str
    at: dt.datetime
    what: str
    measure: Measure | None  # on a problem's page, the measure the event concerns
    details: list[tuple[str, str]]
    changes: list[Change]


def phrase(action: str) -> str:
    """The action in Chinese, as the vocabulary names it; a stored action the
    vocabulary does not hold (any more) is shown as it is."""
    return str(Action(action).label) if action in Action.values else action


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        pairs = (
            _("%(name)s：%(value)s") % {"name": k, "value": _shown(v)} for k, v in value.items()
        )
        return _("；").join(pairs)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def _label(choices: type[TextChoices] | None, value: Any) -> str:
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return _shown(value)


@dataclass(frozen=True)
class _Names:
    """Who and which department the events name, read once for all of them."""

    users: dict[int, str]
    departments: dict[int, str]

    @classmethod
    def of(cls, events: list[Event]) -> "_Names":
        user_ids = {e.actor_id for e in events if e.actor_id is not None}
        department_ids: set[int] = set()
        for event in events:
            if event.action == Action.MEASURE_ASSIGN:
                for side in (event.before or {}, event.after or {}):
                    user_ids |= {side[k] for k in PEOPLE if side.get(k)}
                    department_ids |= (
                        {side["department_id"]} if side.get("department_id") else set()
                    )
        users: dict[int, str] = {}
        if user_ids:
            rows = User.objects.filter(pk__in=user_ids).values_list(
                "pk", "first_name", "last_name", "username"
            )
            users = {pk: display_name(*names) for pk, *names in rows}
        departments: dict[int, str] = {}
        if department_ids:
            departments = dict(
                Organisation.objects.filter(pk__in=department_ids).values_list("pk", "name")
            )
        return cls(users, departments)

    def value(self, field: str, value: Any) -> str:
        if field in PEOPLE and value in self.users:
            return self.users[value]
        if field == "department_id" and value in self.departments:
            return self.departments[value]
        return _label(CHANGES[field][1], value)


def _changes(event: Event, names: _Names) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    return [
        Change(str(label), names.value(field, before[field]), names.value(field, after[field]))
        for field, (label, _choices) in CHANGES.items()
        if field in before and field in after and before[field] != after[field]
    ]


def _details(event: Event) -> list[tuple[str, str]]:
    after = event.after or {}
    wanted = (*DETAILS.get(event.action, ()), COMMENT)
    found = [(str(label), _shown(after[key])) for key, label in wanted if after.get(key)]
    if event.action == Action.PROGRESS_CREATE and after.get("figures"):
        found.append((_("数据"), _shown(after["figures"])))
    return found


def _what(event: Event) -> str:
    if event.action == Action.FOLLOW_UP_CREATE and (event.after or {}).get("relapsed"):
        return _("记录回头看，发现问题反弹")
    return phrase(event.action)


def _owners(measures: Iterable[Measure]) -> dict[tuple[str, int], Measure]:
    """Which measure each measure, progress, evidence and extension event concerns,
    from the rows a detail page already read (``selectors.measures_in_detail``)."""
    found: dict[tuple[str, int], Measure] = {}
    for measure in measures:
        found["measure", measure.pk] = measure
        for kind, rows in (
            ("progressentry", measure.progress.all()),
            ("evidence", measure.evidence.all()),
            ("extension", measure.extensions.all()),
        ):
            found.update({(kind, row.pk): measure for row in rows})
    return found


def told(events: Iterable[Event], measures: Iterable[Measure] = ()) -> list[Line]:
    """The events as sentences, newest first. Given the measures of a problem's
    page, each line names the measure it concerns."""
    found = list(events)
    names = _Names.of(found)
    owners = _owners(measures)
    return [
        Line(
            seq=e.seq,
            who=names.users.get(e.actor_id or 0) or e.actor_name or _("系统"),
            at=e.at,
            what=_what(e),
            measure=owners.get((e.object_type, e.object_id or 0)),
            details=_details(e),
            changes=_changes(e, names),
        )
        for e in reversed(found)
    ]
