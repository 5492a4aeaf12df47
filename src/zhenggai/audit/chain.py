"""Writing and verifying the audit hash chain.

An event's hash is an HMAC-SHA256 under the key outside the database (keys.py), over
its fields, the key's fingerprint and the previous event's hash. The events written
before the key existed keep their plain SHA-256 (``scheme`` "sha256"); none may come
after a keyed one, so nobody can rewrite the tail in the old, unkeyed way. After each
commit the new head goes to the anchor file (anchor.py).
"""

import datetime as dt
import decimal
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from zhenggai.audit import anchor, keys
from zhenggai.audit.actions import Action
from zhenggai.audit.models import ChainHead, Event

GENESIS = "0" * 64
SHA256 = "sha256"  # the events written before the key: no longer written
HMAC = "hmac-sha256"


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


def _body(event: Event) -> str:
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
    if event.scheme != SHA256:  # the unkeyed events' body stays as it was hashed
        body |= {"scheme": event.scheme, "key_id": event.key_id}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(event: Event, key: bytes | None) -> str:
    """The event's hash by its scheme: an HMAC under ``key``, or plain SHA-256."""
    if event.scheme == SHA256:
        return hashlib.sha256(_body(event).encode()).hexdigest()
    assert key is not None, "a keyed event needs the key"
    return keys.mac(key, _body(event))


def _writing_key() -> bytes:
    """The key to write with; made on the first keyed event only. Once the chain is keyed
    a missing key file is an error: a new key would split the trail in two."""
    if not keys.exists() and Event.objects.filter(scheme=HMAC).exists():
        keys.load()  # raises KeyProblem, naming the file
    return keys.load_or_make()


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
    key = _writing_key()
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
        scheme=HMAC,
        key_id=keys.fingerprint(key),
    )
    event.hash = digest(event, key)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    anchor.after_commit(anchor.Anchor(event.seq, event.hash), key)
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


class _Keyring:
    """The key, loaded when the first keyed event is met; KeyProblem when it is missing
    or is not the one the chain was written with."""

    def __init__(self) -> None:
        self.key: bytes | None = None
        self.fingerprint = ""

    def check(self, event: Event) -> bytes | Break:
        if self.key is None:
            self.key = keys.load()
            self.fingerprint = keys.fingerprint(self.key)
            if event.key_id != self.fingerprint:
                raise keys.KeyProblem(
                    f"审计密钥不符：审计日志（自第 {event.seq} 条起）由指纹为 {event.key_id} 的"
                    f"密钥签名，而密钥文件 {keys.path()} 的指纹为 {self.fingerprint}。"
                    "请换回原服务器上的密钥文件"
                )
        if event.key_id != self.fingerprint:
            return Break(event.seq, "的密钥指纹与前面的记录不同（已被改动）")
        return self.key


def _broken(event: Event, keyring: _Keyring, keyed: bool) -> Break | None:
    if event.scheme == SHA256:
        if keyed:
            return Break(event.seq, "是未加密钥的旧式记录，却排在加密钥的记录之后（已被改写）")
        key = None
    elif event.scheme == HMAC:
        checked = keyring.check(event)
        if isinstance(checked, Break):
            return checked
        key = checked
    else:
        return Break(event.seq, f"的哈希方式 {event.scheme!r} 未知（已被改动）")
    if digest(event, key) != event.hash:
        return Break(event.seq, "的内容与哈希不符（已被改动）")
    return None


def verify(batch: int = 2000) -> Break | None:
    """The first broken link, walking the chain in order; None when it is whole.
    KeyProblem when the keyed events cannot be checked: no key, or another key."""
    prev, expected, keyed, keyring = GENESIS, 1, False, _Keyring()
    for event in Event.objects.order_by("seq").iterator(chunk_size=batch):
        if event.seq != expected:
            return Break(expected, "缺失（已被删除）")
        if event.prev_hash != prev:
            return Break(event.seq, "的前序哈希不符（前一条记录被改动或删除）")
        broken = _broken(event, keyring, keyed)
        if broken is not None:
            return broken
        prev, expected, keyed = event.hash, expected + 1, keyed or event.scheme == HMAC
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected - 1, prev):
        return Break(expected, "之后的记录缺失（链尾被删除）")
    return None
