"""Replaying the trail against the ledger: what the events say each row is now.

An event's ``after`` is, for most actions, the row's values once the change was
made (chain.py ``snapshot``). Replayed in order, the events give each recorded
row's values as the trail knows them; the row in the database must still have
them, or be gone if the last event removed it. A value changed in the database
with no event (a measure's state set by hand) is found here, where the hash chain
cannot see it.

Only what the events record is compared: the fields in an ``after``, of the rows
that have events. ``ACTIONS`` says, for every action of the vocabulary, what its
``after`` tells; a test keeps it complete.
"""

import datetime as dt
import decimal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.apps import apps
from django.db import models

from zhenggai.audit.actions import Action
from zhenggai.audit.chain import plain
from zhenggai.audit.models import Event

BATCH = 1000
Key = tuple[str, int]  # object_type, object_id


class Says(Enum):
    STATE = "state"  # ``after`` holds the row's values (some or all of its fields)
    GONE = "gone"  # the row was deleted
    NOTHING = "nothing"  # ``after`` is about something else, or there is no row


@dataclass(frozen=True)
class Reading:
    says: Says
    # The object type ``after`` is a snapshot of, when not the event's own (its id is
    # ``after["id"]``).
    about: str = ""
    # Values of the event's own row that the action itself names.
    implies: Mapping[str, Any] = field(default_factory=dict)


STATE, GONE, NOTHING = Reading(Says.STATE), Reading(Says.GONE), Reading(Says.NOTHING)
_OTHERS = {
    # An extension's decision records the measure (its deadline moves when approved),
    # not the extension: the decision itself is named by the action.
    Action.EXTENSION_APPROVED: Reading(Says.NOTHING, "measure", {"decision": "approved"}),
    Action.EXTENSION_REFUSED: Reading(Says.NOTHING, "measure", {"decision": "refused"}),
    # The merged, split-off or converted row goes; ``after`` names where its parts went.
    Action.PROBLEM_MERGE: GONE,
    Action.MEASURE_DELETE: GONE,
    # Recorded once the row is gone, so with no object id: the row is ``before``'s.
    Action.MEMBERSHIP_DELETE: GONE,
    Action.MEASURE_TO_SUBPROBLEM: GONE,
    Action.PROBLEM_TO_MEASURE: GONE,
    # The measures left and the new problem: the moves are events of their own.
    Action.PROBLEM_SPLIT: NOTHING,
    # Every upload of one kind retired at once, with no row of its own.
    Action.TEMPLATE_RESET: NOTHING,
}
# Every other action records the row it made or changed: ``created`` (the imports,
# the *.create actions), a workflow's move, an edit; publications and templates
# record some of their fields (the files themselves by digest, not compared).
ACTIONS: dict[str, Reading] = {action.value: _OTHERS.get(action, STATE) for action in Action}

# Fields the services change with no event of the row's own. Each is a gap in the
# trail, left out here so that a ledger worked only through the application
# verifies clean; the names say which service.
UNRECORDED: dict[str, frozenset[str]] = {
    # Renumbering the siblings after a merge, split, move or deletion (services/plans.py
    # ``_number``, ``problem_split``; plan_measures.py ``number_measures``); a problem's
    # sub-problems and measures following it to another category (plans.py
    # ``problem_relocate``, ``_adopt``).
    "problem": frozenset({"position", "category_id"}),
    "measure": frozenset({"position", "category_id"}),
    # What pointed at a merged or converted problem follows the problem it went into
    # (services/plans.py ``FOLLOWERS``).
    "recommendation": frozenset({"problem_id"}),
    "unfinished": frozenset({"problem_id"}),
    "action": frozenset({"problem_id"}),
    "fundsrecovered": frozenset({"problem_id"}),
    # The parser's warnings, stored after the import's event (services/sources.py).
    "sourcedocument": frozenset({"warnings"}),
}


@dataclass
class Known:
    """A row as the trail knows it: its values (None once deleted) and the last event."""

    values: dict[str, Any] | None
    seq: int


@dataclass
class Result:
    compared: int  # rows with events
    findings: list[str]


def replay() -> Result:
    """Every recorded row compared with what the trail says it is."""
    known = _replayed()
    findings: list[str] = []
    for object_type in sorted({t for t, _ in known}):
        ours = {pk: k for (t, pk), k in known.items() if t == object_type}
        model = _model(object_type)
        if model is None:
            findings.append(f"审计记录中的对象类型 {object_type} 在数据库中没有对应的表")
            continue
        findings.extend(_compare(model, ours))
    return Result(len(known), findings)


def _replayed() -> dict[Key, Known]:
    known: dict[Key, Known] = {}
    rows = Event.objects.exclude(object_id=None).order_by("seq")
    fields = ("seq", "action", "object_type", "object_id", "after")
    for seq, action, object_type, object_id, after in rows.values_list(*fields).iterator(
        chunk_size=2000
    ):
        for key, values in _claims(action, object_type, object_id, after):
            before = known.get(key)
            if values is None or before is None or before.values is None:
                known[key] = Known(None if values is None else dict(values), seq)
            else:
                before.values.update(values)
                before.seq = seq
    for seq, object_type, before_values in _gone_without_id():
        key = (object_type, before_values["id"])
        if key not in known or known[key].seq < seq:
            known[key] = Known(None, seq)
    return known


def _gone_without_id() -> Iterator[tuple[int, str, dict[str, Any]]]:
    """The deletions recorded after the row went, which name it only in ``before``. A
    row's id is never used again, so where they fall among its events does not matter."""
    gone = [action for action, reading in ACTIONS.items() if reading.says is Says.GONE]
    rows = Event.objects.filter(object_id=None, action__in=gone).order_by("seq")
    for seq, object_type, before in rows.values_list("seq", "object_type", "before"):
        if isinstance(before, dict) and isinstance(before.get("id"), int):
            yield seq, object_type, before


def _claims(
    action: str, object_type: str, object_id: int, after: Any
) -> Iterator[tuple[Key, Mapping[str, Any] | None]]:
    """What one event says of rows: their values, or None for a row it deleted."""
    reading = ACTIONS.get(action, NOTHING)  # an action this version does not know
    after = after if isinstance(after, dict) else {}
    if reading.says is Says.STATE:
        yield (object_type, object_id), after
    elif reading.says is Says.GONE:
        yield (object_type, object_id), None
    if reading.about and isinstance(after.get("id"), int):
        yield (reading.about, after["id"]), after
    if reading.implies:
        yield (object_type, object_id), reading.implies


def _model(object_type: str) -> type[models.Model] | None:
    found = [m for m in apps.get_models() if m._meta.model_name == object_type]
    return found[0] if len(found) == 1 else None


def _compare(model: type[models.Model], known: dict[int, Known]) -> Iterator[str]:
    columns = {f.attname: f for f in model._meta.concrete_fields}
    skipped = UNRECORDED.get(model._meta.model_name or "", frozenset())
    wanted = {
        name
        for k in known.values()
        if k.values is not None
        for name in k.values
        if name in columns and name not in skipped
    }
    pks = sorted(known)
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        rows = model._base_manager.filter(pk__in=batch).values("pk", *sorted(wanted))
        present = {row["pk"]: row for row in rows}
        for pk in batch:
            yield from _differences(model, pk, known[pk], present.get(pk), columns, skipped)


def _differences(
    model: type[models.Model],
    pk: int,
    known: Known,
    row: dict[str, Any] | None,
    columns: "Mapping[str, models.Field[Any, Any]]",
    skipped: frozenset[str],
) -> Iterator[str]:
    label = f"{model._meta.verbose_name}（{model._meta.model_name} #{pk}）"
    if known.values is None:
        if row is not None:
            yield f"{label}已由第 {known.seq} 条审计记录删除，数据库中却仍有（未经记录插入或恢复）"
        return
    if row is None:
        yield f"{label}在审计记录中仍存在（最后一条为第 {known.seq} 条），数据库中却已没有（未经记录删除）"
        return
    for name, claimed in sorted(known.values.items()):
        if name in columns and name not in skipped and not _same(columns[name], claimed, row[name]):
            yield (
                f"{label}的 {name}：审计记录（至第 {known.seq} 条）为 {claimed!r}，"
                f"数据库中为 {plain(row[name])!r}（未经记录改动）"
            )


def _same(column: "models.Field[Any, Any]", claimed: Any, now: Any) -> bool:
    """The values are equal, as the trail stores them (chain.py ``plain``): a time or
    an amount as text, which may be written another way than the database's own."""
    current = plain(now)
    if current == claimed:
        return True
    try:
        if isinstance(column, models.DateTimeField) and isinstance(now, dt.datetime):
            return dt.datetime.fromisoformat(str(claimed)) == now
        if isinstance(column, models.DecimalField) and isinstance(now, decimal.Decimal):
            return decimal.Decimal(str(claimed)) == now
    except (ValueError, decimal.InvalidOperation):
        return False
    return False
