"""Writing and verifying the audit hash chain."""

import datetime as dt
import decimal
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from zhenggai.audit.actions import Action
from zhenggai.audit.models import ChainHead, Event

GENESIS = "0" * 64


def plain(value: Any) -> Any:
    """A JSON value that survives the database unchanged, so hashes can be recomputed."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, float):
        # As text: PostgreSQL's jsonb gives some floats back in another form
        # (-0.0, 1e16), which would break a hash recomputed from what it stores.
        return repr(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a row, by column name."""
    return {f.attname: plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def _digest(event: Event) -> str:
    body = {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "inspection_id": event.inspection_id,
        "before": event.before,
        "after": event.after,
        "prev": event.prev_hash,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def record(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    obj: models.Model | None = None,
    object_type: str = "",
    inspection_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """Append one event; must run inside the transaction of the change it records."""
    assert transaction.get_connection().in_atomic_block, "audit.record outside a transaction"
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    real_actor = actor if actor is not None and actor.is_authenticated else None
    event = Event(
        seq=head.seq + 1,
        at=timezone.now(),
        actor_id=real_actor.pk if real_actor else None,
        actor_name=real_actor.get_username() if real_actor else "",
        action=action.value,
        object_type=object_type or (obj._meta.model_name or "" if obj is not None else ""),
        object_id=obj.pk if obj is not None else None,
        inspection_id=inspection_id,
        before=plain(before),
        after=plain(after),
        prev_hash=head.hash,
    )
    event.hash = _digest(event)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def created(
    *, actor: User | None, obj: models.Model, inspection_id: int | None, action: Action
) -> Event:
    """The event of a new row: nothing before, the whole row after."""
    return record(
        actor=actor, action=action, obj=obj, inspection_id=inspection_id, after=snapshot(obj)
    )


@dataclass
class Break:
    seq: int
    why: str

    def __str__(self) -> str:
        return f"第 {self.seq} 条审计记录{self.why}"


def verify(batch: int = 2000) -> Break | None:
    """The first broken link, walking the chain in order; None when it is whole."""
    prev, expected = GENESIS, 1
    for event in Event.objects.order_by("seq").iterator(chunk_size=batch):
        if event.seq != expected:
            return Break(expected, "缺失（已被删除）")
        if event.prev_hash != prev:
            return Break(event.seq, "的前序哈希不符（前一条记录被改动或删除）")
        if _digest(event) != event.hash:
            return Break(event.seq, "的内容与哈希不符（已被改动）")
        prev, expected = event.hash, expected + 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected - 1, prev):
        return Break(expected, "之后的记录缺失（链尾被删除）")
    return None
