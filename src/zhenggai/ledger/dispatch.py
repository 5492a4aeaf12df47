"""The weekly dispatch (每周调度) of one inspection, for the Monday meeting: what
moved in the last seven days, what is late, and who must act.

Selectors (STYLE.md: services write, selectors read): the caller passes an
inspection already reached through ``access.inspection_for``, read with its
organisation. ``dispatch`` answers in at most fifteen queries however large the
ledger or busy the week (each lookup below is one query, or none when it has
nothing to look up).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.audit.models import Event
from zhenggai.inspections import plan_flow
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import Move
from zhenggai.inspections.rules import Rules, rules_in_force
from zhenggai.inspections.states import DONE_STATES, State
from zhenggai.ledger import derived, measure_flow, problem_flow
from zhenggai.ledger.models import (
    Evidence,
    Extension,
    FollowUpReview,
    Measure,
    ProgressEntry,
    Unfinished,
)

WEEK = dt.timedelta(days=7)
# The newest this many events are told one by one; a busier week says how many more.
MOVED_SHOWN = 300

# --- What moved ------------------------------------------------------------------


@dataclass(frozen=True)
class Moved:
    """One thing that happened, told as a sentence (who did what to which item)."""

    at: dt.datetime
    who: str
    sentence: str
    link: str | None  # the page of the measure or problem it concerns


@dataclass(frozen=True)
class Subject:
    """What an event's object is about: the measure or problem, and the object's own
    name or date where the sentence names it."""

    item: str = ""
    link: str | None = None
    name: str = ""
    date: dt.date | None = None


# An action → its sentence. %(who)s is the actor, %(item)s the measure's text or the
# problem's title, %(name)s the object's own name, %(date)s its date.
SENTENCES = {
    "progress.create": gettext_lazy("%(who)s填报了整改措施「%(item)s」的整改进展"),
    "evidence.create": gettext_lazy("%(who)s为整改措施「%(item)s」上传了佐证材料「%(name)s」"),
    "evidence.accepted": gettext_lazy("%(who)s认可了整改措施「%(item)s」的佐证材料「%(name)s」"),
    "evidence.returned": gettext_lazy("%(who)s退回了整改措施「%(item)s」的佐证材料「%(name)s」"),
    "extension.create": gettext_lazy("%(who)s为整改措施「%(item)s」申请延期至 %(date)s"),
    "extension.approved": gettext_lazy("%(who)s同意了整改措施「%(item)s」的延期申请"),
    "extension.refused": gettext_lazy("%(who)s未同意整改措施「%(item)s」的延期申请"),
    "measure.assign": gettext_lazy("%(who)s调整了整改措施「%(item)s」的责任分工"),
    "follow_up.create": gettext_lazy("%(who)s对问题「%(item)s」开展了回头看"),
    "unfinished.create": gettext_lazy("%(who)s登记了问题「%(item)s」的未完成原因和下一步措施"),
    "action.create": gettext_lazy("%(who)s登记了一项问责处理"),
    "regulation.create": gettext_lazy("%(who)s登记了建章立制「%(name)s」"),
    "funds.create": gettext_lazy("%(who)s登记了一笔挽回或追缴的资金"),
    "inspection.facts": gettext_lazy("%(who)s更新了巡察基本情况"),
    "publication.publish": gettext_lazy("%(who)s发布了整改进展情况的通报"),
    "publication.pdf": gettext_lazy("已生成公开通报的 PDF 文件"),
    "template.upload": gettext_lazy("%(who)s上传了新的文书模板"),
    "template.reset": gettext_lazy("%(who)s恢复使用默认文书模板"),
}
# The workflows' moves: "measure.sign_off" is told with the move's own label.
FLOWS: dict[str, tuple[Mapping[str, Move[Any]], Any]] = {
    "measure": (measure_flow.MOVES, gettext_lazy("%(who)s对整改措施「%(item)s」%(move)s")),
    "problem": (problem_flow.MOVES, gettext_lazy("%(who)s对问题「%(item)s」%(move)s")),
    "plan": (plan_flow.MOVES, gettext_lazy("%(who)s%(move)s")),
}
IMPORT = ".import"


def _users(ids: Iterable[int | None]) -> dict[int, str]:
    """Actors by id, by the name a person reads (the full name where there is one)."""
    found = User.objects.filter(pk__in={pk for pk in ids if pk is not None})
    return {u.pk: u.get_full_name() or u.get_username() for u in found}


def _ids(events: list[Event], object_type: str) -> set[int]:
    return {e.object_id for e in events if e.object_type == object_type and e.object_id}


def _subjects(events: list[Event]) -> dict[tuple[str, int], Subject]:
    """Each event object's subject: one query per kind of object that occurs."""
    found: dict[tuple[str, int], Subject] = {}

    def measure(m_id: int, text: str, **more: Any) -> Subject:
        return Subject(text, reverse("web:measure", args=[m_id]), **more)

    def problem(p_id: int | None, title: str | None, **more: Any) -> Subject:
        link = reverse("web:problem", args=[p_id]) if p_id else None
        return Subject(title or "", link, **more)

    for pk, text in Measure.objects.filter(pk__in=_ids(events, "measure")).values_list(
        "pk", "text"
    ):
        found[("measure", pk)] = measure(pk, text)
    for pk, title in Problem.objects.filter(pk__in=_ids(events, "problem")).values_list(
        "pk", "title"
    ):
        found[("problem", pk)] = problem(pk, title)
    progress = ProgressEntry.objects.filter(pk__in=_ids(events, "progressentry"))
    for pk, m_id, text in progress.values_list("pk", "measure_id", "measure__text"):
        found[("progressentry", pk)] = measure(m_id, text)
    evidence = Evidence.objects.filter(pk__in=_ids(events, "evidence"))
    for pk, m_id, text, name in evidence.values_list("pk", "measure_id", "measure__text", "name"):
        found[("evidence", pk)] = measure(m_id, text, name=name)
    extensions = Extension.objects.filter(pk__in=_ids(events, "extension"))
    for pk, m_id, text, date in extensions.values_list(
        "pk", "measure_id", "measure__text", "new_deadline"
    ):
        found[("extension", pk)] = measure(m_id, text, date=date)
    reviews = FollowUpReview.objects.filter(pk__in=_ids(events, "followupreview"))
    for pk, p_id, title in reviews.values_list("pk", "problem_id", "problem__title"):
        found[("followupreview", pk)] = problem(p_id, title)
    unfinished = Unfinished.objects.filter(pk__in=_ids(events, "unfinished"))
    for pk, p_id, title, written in unfinished.values_list(
        "pk", "problem_id", "problem__title", "problem_text"
    ):
        found[("unfinished", pk)] = problem(p_id, title or written)
    return found


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def sentence(event: Event, who: str, subject: Subject) -> str:
    """The event told as a person would tell it at the meeting."""
    values = {
        "who": who,
        "item": _short(subject.item) or _("（无标题）"),
        "name": _short(subject.name or str((event.after or {}).get("title", ""))),
        "date": subject.date.isoformat() if subject.date else "",
    }
    flow, _sep, move = event.action.partition(".")
    if event.action in SENTENCES:
        return str(SENTENCES[event.action]) % values
    if flow in FLOWS and move in FLOWS[flow][0]:
        moves, told = FLOWS[flow]
        return str(told) % (values | {"move": moves[move].label})
    return _fallback(event, values)


# What an object is called, for actions no sentence above tells.
OBJECTS = {
    "inspection": gettext_lazy("巡察"),
    "category": gettext_lazy("问题类别"),
    "problem": gettext_lazy("问题"),
    "measure": gettext_lazy("整改措施"),
    "progressentry": gettext_lazy("整改进展"),
    "evidence": gettext_lazy("佐证材料"),
    "extension": gettext_lazy("延期申请"),
}


def _fallback(event: Event, values: dict[str, Any]) -> str:
    """An action added later than this table: who created, removed or changed what."""
    what = str(OBJECTS.get(event.object_type, gettext_lazy("台账记录")))
    verb = event.action.rpartition(".")[2]
    words = values | {"what": what}
    if verb == "create":
        return _("%(who)s新增了%(what)s") % words
    if verb == "delete":
        return _("%(who)s删除了%(what)s") % words
    if event.object_type in ("measure", "problem") and values["item"]:
        return _("%(who)s修改了%(what)s「%(item)s」") % words
    return _("%(who)s修改了%(what)s") % words


def _imports(inspection: Inspection, since: dt.datetime) -> list[tuple[Any, ...]]:
    """An import writes a row per problem and measure: counted per person and day, to be
    told as one sentence each (one query)."""
    return list(
        Event.objects.filter(inspection_id=inspection.pk, at__gte=since, action__endswith=IMPORT)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values_list("actor_id", "actor_name", "day")
        .annotate(n=Count("pk"), last=Max("at"))
        .order_by()
    )


def moved(inspection: Inspection, now: dt.datetime) -> tuple[list[Moved], int]:
    """What happened in the seven days before ``now``, newest first, and how many more
    events there were than are told (at most eleven queries)."""
    since = now - WEEK
    found = Event.objects.filter(inspection_id=inspection.pk, at__gte=since).exclude(
        action__endswith=IMPORT
    )
    events = list(found.order_by("-seq")[: MOVED_SHOWN + 1])
    more = found.count() - MOVED_SHOWN if len(events) > MOVED_SHOWN else 0
    events = events[:MOVED_SHOWN]
    imports = _imports(inspection, since)
    names = _users({e.actor_id for e in events} | {row[0] for row in imports})
    subjects = _subjects(events)
    told = []
    for e in events:
        who = names.get(e.actor_id, e.actor_name) if e.actor_id else _("系统")
        subject = subjects.get((e.object_type, e.object_id or 0), Subject())
        told.append(Moved(e.at, who, sentence(e, who, subject), subject.link))
    for actor_id, actor_name, _day, n, last in imports:
        who = names.get(actor_id, actor_name) if actor_id else _("系统")
        text = _("%(who)s导入了整改文书，新增 %(n)s 条台账记录") % {"who": who, "n": n}
        told.append(Moved(last, who, text, None))
    return sorted(told, key=lambda m: m.at, reverse=True), more


# --- What is late and who must act ---------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A measure as the dispatch lists it, with the people who answer for it."""

    id: int
    text: str
    problem: str | None
    department: str
    person: str
    leader: str
    deadline: dt.date | None
    state: str
    days: int  # late by (in the late list) or left (in the others)
    warning: derived.Warning


@dataclass(frozen=True)
class ProblemLine:
    id: int
    title: str


@dataclass(frozen=True)
class Review:
    """Evidence awaiting review."""

    id: int
    name: str
    measure_id: int
    measure: str
    department: str
    supplied_by: str
    uploaded_at: dt.datetime


def _name(text: str, first: str | None, last: str | None, username: str | None) -> str:
    """The name the ledger gives, else the assigned user's (as ``User.get_full_name``)."""
    full = f"{first or ''} {last or ''}".strip()
    return text or full or username or ""


def _people(prefix: str) -> list[str]:
    return [f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__username"]


_LINE_COLUMNS = [
    "pk",
    "text",
    "problem__title",
    "department_name",
    "department__name",
    "person_name",
    *_people("person"),
    "leader_name",
    *_people("leader"),
    "deadline",
    "state",
]


def _line(row: dict[str, Any], today: dt.date, rules: Rules) -> Line:
    deadline = row["deadline"]
    return Line(
        id=row["pk"],
        text=row["text"],
        problem=row["problem__title"],
        department=row["department_name"] or row["department__name"] or "",
        person=_name(row["person_name"], *(row[c] for c in _people("person"))),
        leader=_name(row["leader_name"], *(row[c] for c in _people("leader"))),
        deadline=deadline,
        state=row["state"],
        days=abs((deadline - today).days) if deadline else 0,
        warning=derived.warning(deadline, row["state"], today, rules),
    )


@dataclass(frozen=True)
class Dispatch:
    today: dt.date
    since: dt.date
    warn_days: int  # "near the deadline": this many days left or fewer (the office's rule)
    moved: list[Moved]
    more: int  # events of the week not told one by one
    late: list[Line]  # overdue, longest late first
    to_sign: list[Line]  # measures awaiting sign-off, by leader
    problems_to_sign: list[ProblemLine]
    to_review: list[Review]  # evidence awaiting review, oldest first
    due_soon: list[Line]  # still being worked, deadline near: by department and person


def _measures(inspection: Inspection, today: dt.date, rules: Rules) -> list[Line]:
    """The measures of all three lists in one query: awaiting sign-off, or not done
    with a deadline before the end of the warning window."""
    until = today + dt.timedelta(days=rules.warn_person_days)
    wanted = Q(state=State.AWAITING_SIGN_OFF) | (Q(deadline__lte=until) & ~Q(state__in=DONE_STATES))
    rows = Measure.objects.filter(wanted, inspection_id=inspection.pk).order_by("deadline", "pk")
    return [_line(row, today, rules) for row in rows.values(*_LINE_COLUMNS)]


def _reviews(inspection: Inspection) -> list[Review]:
    rows = (
        Evidence.objects.filter(
            measure__inspection_id=inspection.pk, review=Evidence.Review.PENDING
        )
        .order_by("uploaded_at", "pk")
        .values(
            "pk",
            "name",
            "measure_id",
            "measure__text",
            "measure__department_name",
            "measure__department__name",
            "uploaded_at",
            *_people("supplied_by"),
        )
    )
    return [
        Review(
            id=r["pk"],
            name=r["name"],
            measure_id=r["measure_id"],
            measure=r["measure__text"],
            department=r["measure__department_name"] or r["measure__department__name"] or "",
            supplied_by=_name("", *(r[c] for c in _people("supplied_by"))),
            uploaded_at=r["uploaded_at"],
        )
        for r in rows
    ]


def dispatch(inspection: Inspection, now: dt.datetime) -> Dispatch:
    """The whole dispatch; ``inspection`` read with its organisation."""
    today = timezone.localdate(now)
    rules = rules_in_force(inspection)
    lines = _measures(inspection, today, rules)
    worked = {State.NOT_STARTED, State.IN_PROGRESS, State.REOPENED}
    bound = inspection.plan_approved is not None
    late = [m for m in lines if derived.is_overdue(m.deadline, m.state, today, bound)]
    soon = [m for m in lines if m.state in worked and m.deadline and m.deadline >= today]
    problems = Problem.objects.filter(inspection_id=inspection.pk, state=State.AWAITING_SIGN_OFF)
    told, more = moved(inspection, now)
    return Dispatch(
        today=today,
        since=today - WEEK,
        warn_days=rules.warn_person_days,
        moved=told,
        more=more,
        late=sorted(late, key=lambda m: (-m.days, m.id)),
        to_sign=sorted(
            (m for m in lines if m.state == State.AWAITING_SIGN_OFF),
            key=lambda m: (m.leader, m.deadline or dt.date.max, m.id),
        ),
        problems_to_sign=[
            ProblemLine(pk, title or "")
            for pk, title in problems.order_by("position", "pk").values_list("pk", "title")
        ],
        to_review=_reviews(inspection),
        due_soon=sorted(
            soon, key=lambda m: (m.department, m.person, m.deadline or dt.date.max, m.id)
        ),
    )
