"""The chain's head kept outside the database: the anchor file, and anchors kept apart.

After each commit that wrote events, the newest head (its sequence number and hash)
goes to the anchor file (``AUDIT_ANCHOR_FILE``, by default ``audit.anchor`` in the
data folder), signed with the audit key so it cannot be written by hand either. A
backup carries it. ``zhenggai audit anchor`` prints the head as ``SEQ:HASH`` for the
inspection office to keep elsewhere; ``zhenggai audit verify --anchor SEQ:HASH``
checks the chain against such a line.

The database may be ahead of an anchor (a crash between the commit and the write, a
backup taken meanwhile): that is fine when the event at the anchored number still
has the anchored hash. A database behind it (its tail deleted, its head rolled
back), an empty one, or another hash at that number is an error.
"""

import fcntl
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from zhenggai.audit import keys
from zhenggai.audit.models import Event

FORMAT = "zhenggai-audit-anchor"
LINE = re.compile(r"^\s*(\d+):([0-9a-f]{64})\s*$")
logger = logging.getLogger(__name__)


class Unreadable(Exception):
    """The anchor file is there but is not an anchor this key signed; says why."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str

    def line(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        """An anchor from its line ``SEQ:HASH``; ValueError for anything else."""
        found = LINE.match(text.lower())
        if found is None:
            raise ValueError(f"锚点格式应为“序号:哈希”（64 位十六进制），而不是 {text!r}")
        return cls(int(found[1]), found[2])


def path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def _signature(anchor: Anchor, key: bytes) -> str:
    return keys.mac(key, f"{FORMAT}:{anchor.line()}")


def signed(anchor: Anchor, key: bytes) -> bytes:
    """The anchor file's content for ``anchor``."""
    body = {
        "format": FORMAT,
        "seq": anchor.seq,
        "hash": anchor.hash,
        "key_id": keys.fingerprint(key),
        "mac": _signature(anchor, key),
    }
    return (json.dumps(body) + "\n").encode()


def read(key: bytes, where: Path | None = None) -> Anchor | None:
    """The anchor in the file, None when there is no file; Unreadable when it is not
    an anchor signed with ``key``."""
    where = where or path()
    try:
        body = json.loads(where.read_bytes())
        anchor = Anchor(int(body["seq"]), str(body["hash"]))
        signature, key_id = str(body["mac"]), str(body.get("key_id", ""))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise Unreadable(f"锚点文件 {where} 无法读取（{error}）") from error
    if key_id != keys.fingerprint(key):
        raise Unreadable(f"锚点文件 {where} 由另一把密钥（指纹 {key_id}）签名")
    if signature != _signature(anchor, key):
        raise Unreadable(f"锚点文件 {where} 的签名不符（已被改动）")
    return anchor


# --- Writing ---------------------------------------------------------------------------

# The newest event each thread has written: of the callbacks one commit runs, only the
# last event's writes the file.
_newest = threading.local()


def after_commit(anchor: Anchor, key: bytes) -> None:
    """Write ``anchor`` to the file once the transaction that wrote its event commits."""
    _newest.anchor = anchor

    def write_if_newest() -> None:
        if getattr(_newest, "anchor", None) == anchor:
            write(anchor, key)

    transaction.on_commit(write_if_newest, robust=True)


def write(anchor: Anchor, key: bytes) -> bool:
    """Put ``anchor`` in the file unless the file already holds a newer one (another
    process committed later and wrote first); whole or not at all. True if written.

    The lock file beside it makes read-compare-replace one step among processes. A
    file that cannot be read is left alone, for `audit verify` to report."""
    where = path()
    where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _locked(where):
        try:
            current = read(key, where)
        except Unreadable as error:
            logger.error("audit anchor not updated: %s", error)
            return False
        if current is not None and current.seq >= anchor.seq:
            return False
        replace(where, signed(anchor, key))
    return True


def replace(where: Path, content: bytes) -> None:
    """``content`` into ``where``: a temporary file beside it, synced, renamed over it."""
    handle, name = tempfile.mkstemp(dir=where.parent, prefix=f".{where.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, where)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(where: Path) -> Iterator[None]:
    handle = os.open(where.with_name(f"{where.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


# --- Checking ---------------------------------------------------------------------------


def compare(anchor: Anchor, source: str) -> str | None:
    """What is wrong with the database's chain against ``anchor`` (``source`` names it
    in the message), or None when the chain reaches it with the same hash."""
    if anchor.seq == 0:
        return None
    at = Event.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
    if at == anchor.hash:
        return None
    last = Event.objects.aggregate(last=Max("seq"))["last"]
    if last is None:
        return f"审计日志是空的，而{source}记录到第 {anchor.seq} 条：审计日志已被清空"
    if last < anchor.seq:
        return (
            f"{source}记录到第 {anchor.seq} 条，数据库中的审计日志只到第 {last} 条："
            "链尾已被删除（链头被回退）"
        )
    if at is None:
        return f"{source}所记的第 {anchor.seq} 条审计记录缺失（已被删除）"
    return f"第 {anchor.seq} 条审计记录的哈希与{source}不符：该条及以前的记录已被改写"
