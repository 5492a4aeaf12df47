"""One archive holding everything a Zhenggai needs to come back, and bringing it back.

The archive is a gzip-compressed tar::

    database/zhenggai.sqlite3  or  database/zhenggai.pgdump   (databases.py)
    audit/audit.anchor             the audit chain's anchor, when there is one
    evidence/…  sources/…  exports/…                         (folders.py)
    manifest.json                                            (manifest.py), last

The audit key is never in it (audit/keys.py): an archive that carried the key would
let whoever holds it rewrite the restored trail unseen. A restore needs the key file
copied apart; the manifest says so. The anchor is read *before* the database is
copied, so the copy is at or ahead of it, as the anchor's check allows.

The manifest comes last so that each file's SHA-256 is taken from the very bytes
written into the archive, in the one read that writes them: a file that changes
while the backup runs cannot make the manifest disagree with the archive. A
restore reads the archive once too, unpacking into a staging folder and hashing
as it goes, and compares with the manifest before anything is put in place.

gzip, not zstd: Python's own tarfile writes and reads it and any ``tar xzf`` opens
it, with no new dependency (the standard library has no zstd before 3.14). Most
of the bytes are evidence (PDF, JPEG, Office files) or pg_dump's custom format,
compressed already, where a stronger compressor gains little; the SQLite file
compresses well under gzip.
"""

import gzip
import hashlib
import io
import os
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from zhenggai import __version__
from zhenggai.backups import databases, folders
from zhenggai.backups.manifest import NOT_OURS, Entry, Manifest
from zhenggai.refusals import Refused

MANIFEST = "manifest.json"
SUFFIXES = (".tar.gz", ".tgz")
CHUNK = 1024 * 1024
MANIFEST_MAX = 256 * 1024 * 1024  # a million files take about 150 MB
# What an unreadable archive raises, from tarfile and from the decompressor under it.
UNREADABLE = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


@dataclass(frozen=True)
class Written:
    path: Path
    manifest: Manifest


ANCHOR = "audit/audit.anchor"


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    files: int  # put into the data folder, the database's file and the anchor aside
    anchor_replaced: bool  # an anchor file was there, and the archive's took its place


# --- Backup ---------------------------------------------------------------------------


def backup(out: Path | None = None) -> Written:
    """Write the archive to ``out`` (see ``_target``) whole or not at all.

    1. Copy the database (one committed state) into a private scratch folder.
    2. Walk the folders *after* that copy: every file a row of the copy names was
       written before its row committed (services/ledger.py ``_store``), so it is
       there; a file newer than the copy is only an orphan once restored.
    3. Stream both, then the manifest, into a private .part file beside ``out``
       (0600, as mkstemp makes it), skipping the archive's own files.
    4. fsync it and rename it over ``out``.
    """
    connection = databases.configured()
    vendor = databases.vendor(connection)
    target = _target(out)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    partial = Path(name)
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            tempfile.TemporaryDirectory(dir=target.parent, prefix=".zhenggai-backup-") as scratch,
        ):
            # The time of the database's copy is the time of the backup.
            stamp = Manifest(__version__, vendor, timezone.now().isoformat(), "", ())
            anchor = _anchor()
            copy = databases.dump(connection, Path(scratch))
            leaving = (target, partial, Path(scratch), *_audit_files())
            manifest = _write(raw, target.name, stamp, (copy, anchor), leaving)
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync(target.parent)
    return Written(target, manifest)


def _target(out: Path | None) -> Path:
    """``out``, or a dated name inside it when it is a folder; by default the folder
    ``backups`` of the data folder."""
    if out is None:
        out = Path(settings.DATA_DIR) / "backups"
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    if out.is_dir():
        out = out / f"zhenggai-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    if not out.name.endswith(SUFFIXES):
        raise Refused(f"备份文件名须以 .tar.gz 结尾：{out}")
    if not out.parent.is_dir():
        raise Refused(f"目录不存在：{out.parent}")
    return out.resolve()


def _anchor() -> bytes | None:
    try:
        return Path(settings.AUDIT_ANCHOR_FILE).read_bytes()
    except FileNotFoundError:
        return None


def _audit_files() -> tuple[Path, ...]:
    """The key and the anchor, left out of the folders wherever they are put."""
    return tuple(Path(p).resolve() for p in (settings.AUDIT_KEY_FILE, settings.AUDIT_ANCHOR_FILE))


def _write(
    raw: BinaryIO,
    name: str,
    stamp: Manifest,
    database: tuple[Path, bytes | None],
    leaving: tuple[Path, ...],
) -> Manifest:
    """The database's copy, the anchor read before it, the folders, then the manifest."""
    copy, anchor = database
    # ``name`` only labels the gzip header, which would otherwise carry the .part name.
    with tarfile.open(name, "w:gz", fileobj=raw, compresslevel=6) as tar:
        entries = [_add(tar, copy, f"database/{copy.name}")]
        if anchor is not None:
            info = _info(ANCHOR, len(anchor), timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(anchor))
            entries.append(Entry(ANCHOR, hashlib.sha256(anchor).hexdigest(), len(anchor)))
        for folder, root in folders.roots().items():
            for path in folders.files(root, leaving):
                entries.append(_add(tar, path, f"{folder}/{path.relative_to(root).as_posix()}"))
        manifest = replace(
            stamp,
            database=entries[0].path,
            anchor=ANCHOR if anchor is not None else "",
            files=tuple(entries),
        )
        body = manifest.to_json()
        tar.addfile(_info(MANIFEST, len(body), timezone.now().timestamp()), io.BytesIO(body))
    return manifest


def _add(tar: tarfile.TarFile, path: Path, name: str) -> Entry:
    """One file into the archive, hashed as it is read: the digest is of the bytes stored."""
    with path.open("rb") as source:
        status = os.fstat(source.fileno())
        info = _info(name, status.st_size, status.st_mtime)
        hashing = _Hashing(source)
        tar.addfile(info, hashing)  # reads exactly info.size bytes, or fails
    return Entry(name, hashing.digest.hexdigest(), info.size)


def _info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    return info


class _Hashing:
    """A reader that hashes what passes through it."""

    def __init__(self, source: BinaryIO) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _sync(folder: Path) -> None:
    """Make a rename inside ``folder`` durable."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


# --- Restore --------------------------------------------------------------------------


def restore(archive: Path) -> Restored:
    """Bring an archive back into the empty data folder and database of the settings.

    1. Refuse unless the folders a restore writes to hold no file and the database
       no table: a restore never merges into data, nor overwrites it.
    2. Unpack into a staging folder inside the data folder, hashing each member as
       it is written; refuse an archive that is not ours, is of the other database,
       or disagrees with its manifest. The staging folder goes either way, so a
       refusal changes nothing.
    3. Load the database (SQLite: its file moved into place; PostgreSQL: pg_restore
       in one transaction), then move the files into place: renames within the
       data folder, and the anchor over the one there may be (it belongs to the
       database this restore replaces).
    """
    connection = databases.configured()
    vendor = databases.vendor(connection)
    if not archive.is_file():
        raise Refused(f"找不到备份文件：{archive}")
    _refuse_unless_empty(connection)
    data = Path(settings.DATA_DIR)
    data.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data, prefix=".restore-") as scratch:
        staging = Path(scratch)
        manifest = _unpack(archive, staging, vendor)
        databases.load(connection, staging / manifest.database)
        moved = folders.place(staging)
        replaced = _place_anchor(staging, manifest)
    return Restored(manifest, moved, replaced)


def _place_anchor(staging: Path, manifest: Manifest) -> bool:
    """The archive's anchor into place; whether it took the place of another."""
    if not manifest.anchor:
        return False
    where = Path(settings.AUDIT_ANCHOR_FILE)
    was_there = where.exists()
    databases.put(staging / manifest.anchor, where)
    return was_there


def _refuse_unless_empty(connection: BaseDatabaseWrapper) -> None:
    held = folders.first_file()
    if held is not None:
        raise Refused(f"数据目录中已有文件（{held}）：只能恢复到空的数据目录")
    found = databases.tables(connection)
    if found:
        raise Refused(
            f"数据库中已有数据（{len(found)} 张表，如 {found[0]}）：只能恢复到空数据库，"
            "请新建一个空数据库（不要先运行 migrate）"
        )


def _unpack(archive: Path, staging: Path, vendor: str) -> Manifest:
    """Every member of the archive unpacked under ``staging``, checked against the manifest."""
    found: dict[str, Entry] = {}
    manifest: Manifest | None = None
    try:
        with tarfile.open(archive, "r|*") as tar:
            for member in tar:
                if member.name == MANIFEST and manifest is None:
                    manifest = Manifest.from_json(_small(tar, member))
                    continue
                name = _member_name(member, vendor, found)
                found[name] = _extract(tar, member, staging / name, name)
    except UNREADABLE as error:
        raise Refused(f"{NOT_OURS}，或已损坏（{error}）") from error
    if manifest is None:
        raise Refused(f"{NOT_OURS}（没有清单 {MANIFEST}）")
    _compare(manifest, found, vendor)
    return manifest


def _small(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(member)
    if source is None or member.size > MANIFEST_MAX:
        raise Refused(f"{NOT_OURS}（清单无法读取）")
    return source.read()


def _member_name(member: tarfile.TarInfo, vendor: str, found: dict[str, Entry]) -> str:
    """The member's name once it is one of ours: a regular file inside one of our folders,
    and the database of the configured vendor."""
    path = PurePosixPath(member.name)
    name, top = path.as_posix(), path.parts[0] if path.parts else ""
    tops = ("database", "audit", *folders.roots())
    if not member.isreg() or path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        raise Refused(f"{NOT_OURS}（其中有 {member.name}）")
    if top not in tops or name in found or (top == "audit" and name != ANCHOR):
        raise Refused(f"{NOT_OURS}（其中有 {member.name}）")
    if top == "database" and name != f"database/{databases.DUMPS[vendor]}":
        theirs = {f"database/{dump}": v for v, dump in databases.DUMPS.items()}.get(name)
        if theirs is None:
            raise Refused(f"{NOT_OURS}（其中有 {member.name}）")
        raise _other_vendor(theirs, vendor)
    return name


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path, name: str) -> Entry:
    source = tar.extractfile(member)
    if source is None:  # only for what is not a regular file, which _member_name refused
        raise Refused(f"{NOT_OURS}（其中有 {member.name}）")
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source, path.open("xb") as copy:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
            size += len(chunk)
    os.utime(path, (member.mtime, member.mtime))
    return Entry(name, digest.hexdigest(), size)


def _compare(manifest: Manifest, found: dict[str, Entry], vendor: str) -> None:
    """Refused unless the archive holds exactly what its manifest lists, byte for byte."""
    if manifest.vendor != vendor:
        raise _other_vendor(manifest.vendor, vendor)
    listed = {entry.path: entry for entry in manifest.files}
    if manifest.database not in listed:
        raise Refused(f"{NOT_OURS}（清单中没有数据库）")
    if manifest.anchor not in ("", ANCHOR):
        raise Refused(f"{NOT_OURS}（清单中的审计锚点为 {manifest.anchor}）")
    for path in sorted(listed.keys() | found.keys()):
        if path not in found:
            raise Refused(f"备份不完整：清单中的 {path} 不在归档中")
        if path not in listed:
            raise Refused(f"校验失败：归档中的 {path} 不在清单中")
        if found[path] != listed[path]:
            raise Refused(f"校验失败：{path} 的 SHA-256 或大小与清单不符，备份已损坏或被改动")


def _other_vendor(theirs: str, ours: str) -> Refused:
    label = databases.LABELS.get(theirs, theirs)
    return Refused(
        f"这是 {label} 数据库的备份，而配置的是 {databases.LABELS[ours]}：只能恢复到同一种数据库"
    )
