"""zhenggai backup / restore: one archive that brings the ledger back whole (the audit
chain verifies, every evidence file opens with its digest) into an empty data folder
and an empty database only, on SQLite and on PostgreSQL alike.

The backup runs in the test's process, on the test database. Each restore runs as
the command an operator types, in a process of its own, against a new data folder
and a new database: on SQLite a new file, on PostgreSQL a database the test creates
on the server of the running pass (and drops afterwards).
"""

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import sqlite3
import stat
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

import zhenggai
from tests.app.conftest import Cast
from tests.app.measure_support import PDF, TODAY, person, with_evidence
from zhenggai.audit.models import Event
from zhenggai.backups import databases
from zhenggai.ledger.models import Evidence
from zhenggai.services import sources
from zhenggai.services.ledger import progress_record

# pg_dump, in a process of its own, reads only what is committed.
pytestmark = pytest.mark.django_db(transaction=True)

BIN = Path(sys.executable).parent
FOLDERS = ("evidence", "sources", "exports")
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}
# Run in the restored installation: each evidence row's file, opened through the
# application's own door, and its digest.
OPEN_EVIDENCE = """
import hashlib, json
from zhenggai.ledger.models import Evidence
from zhenggai.ledger.uploads import stored_path
print(json.dumps({e.pk: hashlib.sha256(stored_path(e).read_bytes()).hexdigest()
                  for e in Evidence.objects.all()}))
"""


@dataclass
class Target:
    """An empty installation to restore into: a data folder and a database."""

    folder: Path
    database_url: str
    name: str  # PostgreSQL: the database's name; SQLite: ""

    def given_the_key(self) -> None:
        """What a restore needs besides the archive: the audit key, copied apart."""
        (self.folder / "audit.key").write_bytes(Path(settings.AUDIT_KEY_FILE).read_bytes())

    def zhenggai(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = os.environ | {
            "ZHENGGAI_DATA_DIR": str(self.folder),
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "zhenggai.settings",
        }
        return subprocess.run(
            [str(BIN / "zhenggai"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    @property
    def sqlite(self) -> Path:
        return self.folder / "zhenggai.sqlite3"

    def execute(self, sql: str) -> None:
        if not self.name:
            with closing(sqlite3.connect(self.sqlite)) as sqlite, sqlite:
                sqlite.execute(sql)
            return
        with closing(self._postgresql()) as postgresql, postgresql.cursor() as cursor:
            cursor.execute(sql)

    def tables(self) -> list[str]:
        if not self.name:
            if not self.sqlite.exists():
                return []
            uri = f"file:{self.sqlite}?mode=ro&immutable=1"  # no -shm, no -wal made
            with closing(sqlite3.connect(uri, uri=True)) as database:
                return [n for (n,) in database.execute("SELECT name FROM sqlite_master")]
        with closing(self._postgresql()) as database:
            return database.introspection.table_names()

    def state(self) -> tuple[list[str], dict[str, bytes]]:
        """What a refused restore must leave as it was: the tables, and every file."""
        files = {
            path.relative_to(self.folder).as_posix(): path.read_bytes()
            for path in sorted(self.folder.rglob("*"))
            if path.is_file()
        }
        return self.tables(), files

    def _postgresql(self) -> BaseDatabaseWrapper:
        """A connection of Django's own to the target database (not the test database)."""
        test = connections["default"]
        return type(test)({**test.settings_dict, "NAME": self.name}, "target")


@pytest.fixture
def data(settings: Any, tmp_path: Path) -> Path:
    """The data folder being backed up: the test's own, with the audit key and anchor
    where they are by default."""
    folder = tmp_path / "data"
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = folder / "evidence"
    settings.AUDIT_KEY_FILE = folder / "audit.key"
    settings.AUDIT_ANCHOR_FILE = folder / "audit.anchor"
    return folder


@pytest.fixture
def ledger(cast: Cast, data: Path) -> Cast:
    """The cast's ledger worked: progress, two evidence files, a kept feedback, a
    finished export, and the .part a crash left behind."""
    for day in range(1, 3):
        progress_record(
            actor=person(cast), measure_id=cast.a.measure.pk, date=TODAY, text=f"第{day}次推进"
        )
    with_evidence(cast)
    with_evidence(cast, "会议纪要：已整改。\n".encode(), "纪要.txt")
    sources.store("反馈意见原文\n".encode(), [sources.Line("反馈意见原文", "第1行")])
    (data / "exports").mkdir()
    (data / "exports" / "ledger.xlsx").write_bytes(b"PK\x03\x04 an export")
    (data / "evidence" / "ab").mkdir(exist_ok=True)
    (data / "evidence" / "ab" / "ab12.part").write_bytes(b"half a file")
    return cast


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Target]:
    folder = tmp_path / "restored"
    folder.mkdir()
    if connection.vendor == "sqlite":
        yield Target(folder, f"sqlite:///{folder / 'zhenggai.sqlite3'}", "")
        return
    name = f"zhenggai_restore_{secrets.token_hex(6)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Target(
            folder, urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl(), name
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def archive(ledger: Cast, tmp_path: Path) -> Path:
    return _backup(tmp_path)


def _backup(tmp_path: Path) -> Path:
    out = tmp_path / "zhenggai.tar.gz"
    call_command("backup", "--out", str(out))
    return out


def _kept(data: Path) -> dict[str, bytes]:
    """The files of the data folder a backup must carry: every file of its three
    folders but the .part leftovers."""
    return {
        path.relative_to(data).as_posix(): path.read_bytes()
        for folder in FOLDERS
        for path in sorted((data / folder).rglob("*"))
        if path.is_file() and not path.name.endswith(".part")
    }


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: _read(tar, m) for m in tar.getmembers()}


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(member)
    assert source is not None
    return source.read()


# --- Backing up -----------------------------------------------------------------------


def test_the_archive_is_private_and_lists_every_file_with_its_digest(
    ledger: Cast, data: Path, tmp_path: Path
) -> None:
    archive = _backup(tmp_path)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "zhenggai.tar.gz"]  # no .part
    members = _members(archive)
    assert list(members)[-1] == "manifest.json"  # last: hashed as the files were written
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["format"] == "zhenggai-backup"
    assert manifest["app_version"] == zhenggai.__version__
    assert manifest["database_vendor"] == connection.vendor
    made = dt.datetime.fromisoformat(manifest["created_at"])
    assert abs(made - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    listed = {f["path"]: (f["sha256"], f["size"]) for f in manifest["files"]}
    assert listed == {n: (hashlib.sha256(b).hexdigest(), len(b)) for n, b in members.items()}
    database = members.pop(manifest["database"])
    assert database.startswith(
        b"SQLite format 3\x00" if connection.vendor == "sqlite" else b"PGDMP"
    )
    assert manifest["audit_anchor"] == "audit/audit.anchor"
    assert members.pop("audit/audit.anchor") == Path(settings.AUDIT_ANCHOR_FILE).read_bytes()
    assert "不在备份中" in manifest["audit_key"]
    key = Path(settings.AUDIT_KEY_FILE).read_text().strip().encode()
    assert not [name for name, content in _members(archive).items() if key in content]
    assert members == _kept(data)
    assert len(members) == 5  # two evidence files, the source and its lines, the export
    assert (data / "evidence" / "ab" / "ab12.part").exists()  # left out, not removed


def test_an_archive_inside_the_data_folder_leaves_itself_out(ledger: Cast, data: Path) -> None:
    """--out a folder: the archive gets a dated name there, and neither it, its .part
    nor the database's scratch copy goes into itself."""
    call_command("backup", "--out", str(data / "exports"))
    (archive,) = (data / "exports").glob("zhenggai-*.tar.gz")
    names = set(_members(archive))
    assert f"exports/{archive.name}" not in names
    assert {n for n in names if n.startswith("exports/")} == {"exports/ledger.xlsx"}
    assert sorted(p.name for p in (data / "exports").iterdir()) == ["ledger.xlsx", archive.name]


def test_by_default_it_writes_into_the_backups_folder_of_the_data_folder(
    ledger: Cast, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("backup")
    (archive,) = (data / "backups").iterdir()
    assert archive.name.startswith("zhenggai-") and archive.name.endswith(".tar.gz")
    assert stat.S_IMODE((data / "backups").stat().st_mode) == 0o700
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    out = capsys.readouterr().out
    assert f"备份已写入 {archive}：数据库、审计锚点与 5 个文件" in out
    assert "审计密钥不在备份中，请另行保管" in out


def test_a_failed_backup_leaves_no_file(
    ledger: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*_args: object) -> Path:
        raise databases.Failed("pg_dump 未能备份数据库：连接被拒绝")

    monkeypatch.setattr(databases, "dump", fails)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CommandError, match="备份失败：pg_dump 未能备份数据库"):
        call_command("backup", "--out", str(out / "zhenggai.tar.gz"))
    assert list(out.iterdir()) == []


# --- Restoring ------------------------------------------------------------------------


def test_a_restore_brings_the_ledger_back_whole(
    ledger: Cast, data: Path, target: Target, tmp_path: Path
) -> None:
    archive = _backup(tmp_path)
    target.given_the_key()
    restored = target.zhenggai("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    events = Event.objects.count()
    assert events > 5
    assert "数据库与 5 个文件" in restored.stdout
    assert f"审计日志完整：共 {events} 条记录" in restored.stdout
    verified = target.zhenggai("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert f"通过：锚点文件相符（第 {events} 条）" in verified.stdout
    assert f"审计日志完整：共 {events} 条记录" in verified.stdout
    anchor = (target.folder / "audit.anchor").read_bytes()
    assert anchor == Path(settings.AUDIT_ANCHOR_FILE).read_bytes()
    _assert_evidence_opens(target, count=2)
    assert _kept(target.folder) == _kept(data)
    assert not list(target.folder.rglob("*.part"))
    assert not list(target.folder.glob(".restore-*"))


def _assert_evidence_opens(target: Target, count: int) -> None:
    """Every evidence row of the restored database opens with the digest it was kept under."""
    opened = target.zhenggai("shell", "-v", "0", "-c", OPEN_EVIDENCE)
    assert opened.returncode == 0, opened.stderr
    digests = {str(e.pk): e.sha256 for e in Evidence.objects.all()}
    assert len(digests) == count
    assert json.loads(opened.stdout) == digests


def test_evidence_written_as_the_backup_starts_comes_back_with_its_file(
    ledger: Cast, target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folders are walked after the database is copied: a file whose row is in the
    copy is always in the archive (walked first, this one would be missing)."""
    copy = databases.dump

    def written_meanwhile(on: BaseDatabaseWrapper, folder: Path) -> Path:
        with_evidence(ledger, PDF + b"% meanwhile\n", "会上补充.pdf")
        return copy(on, folder)

    monkeypatch.setattr(databases, "dump", written_meanwhile)
    target.given_the_key()
    restored = target.zhenggai("restore", str(_backup(tmp_path)))
    assert restored.returncode == 0, restored.stderr
    _assert_evidence_opens(target, count=3)


def test_a_restore_without_the_audit_key_says_so_plainly(archive: Path, target: Target) -> None:
    """The key never travels with the backup: the data comes back, the trail cannot be
    checked until the key is put beside it."""
    restored = target.zhenggai("restore", str(archive))
    assert restored.returncode != 0
    assert "恢复完成，但审计日志校验失败" in restored.stderr
    assert f"找不到审计密钥文件 {target.folder / 'audit.key'}" in restored.stderr
    assert "内容与哈希不符" not in restored.stderr
    target.given_the_key()
    verified = target.zhenggai("audit", "verify")
    assert verified.returncode == 0, verified.stderr


def test_an_older_backup_under_a_newer_anchor_is_caught(
    ledger: Cast, target: Target, tmp_path: Path
) -> None:
    """Restored over the anchor the wiped installation left, the backup's own anchor
    takes its place; that newer anchor kept elsewhere shows what the backup lacks."""
    archive = _backup(tmp_path)
    progress_record(actor=person(ledger), measure_id=ledger.a.measure.pk, date=TODAY, text="备份后")
    newer = Path(settings.AUDIT_ANCHOR_FILE).read_bytes()
    (target.folder / "audit.anchor").write_bytes(newer)
    target.given_the_key()
    restored = target.zhenggai("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "原有的审计锚点文件已换成备份中的锚点" in restored.stdout
    (target.folder / "audit.anchor").write_bytes(newer)
    verified = target.zhenggai("audit", "verify")
    assert verified.returncode != 0
    last = Event.objects.count()
    assert f"记录到第 {last} 条，数据库中的审计日志只到第 {last - 1} 条" in verified.stderr


# --- Refusing -------------------------------------------------------------------------


def _refused(target: Target, archive: Path) -> str:
    """The restore's message, once it has refused and changed nothing."""
    before = target.state()
    result = target.zhenggai("restore", str(archive))
    assert result.returncode != 0, result.stdout
    assert target.state() == before
    assert "未做任何改动" in result.stderr
    return result.stderr


def test_it_refuses_a_database_that_holds_data(archive: Path, target: Target) -> None:
    target.execute("CREATE TABLE kept (note varchar(20))")
    target.execute("INSERT INTO kept VALUES ('已有的数据')")
    assert "数据库中已有数据（1 张表" in _refused(target, archive)
    assert target.tables() == ["kept"]


def test_it_refuses_a_data_folder_that_holds_files(archive: Path, target: Target) -> None:
    stray = target.folder / "sources" / "ab" / "abcd"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"an earlier source")
    assert "数据目录中已有文件" in _refused(target, archive)
    assert target.tables() == []


def test_it_refuses_a_second_restore_into_the_same_place(archive: Path, target: Target) -> None:
    target.given_the_key()
    first = target.zhenggai("restore", str(archive))
    assert first.returncode == 0, first.stderr
    assert "只能恢复到空的数据目录" in _refused(target, archive)


def _repack(archive: Path, change: Callable[[str, bytes], tuple[str, bytes]]) -> Path:
    """A copy of the archive with each member passed through ``change``."""
    copy = archive.with_name("changed.tar.gz")
    with tarfile.open(copy, "w:gz") as tar:
        for name, content in _members(archive).items():
            name, content = change(name, content)
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return copy


def test_it_refuses_a_file_that_differs_from_the_manifest(archive: Path, target: Target) -> None:
    def tampered(name: str, content: bytes) -> tuple[str, bytes]:
        return name, content.replace(b"%%EOF", b"%%EOF forged") if name.startswith(
            "evidence/"
        ) else content

    message = _refused(target, _repack(archive, tampered))
    assert "校验失败：evidence/" in message and "SHA-256" in message


def _manifest(
    change: Callable[[dict[str, object]], None],
) -> Callable[[str, bytes], tuple[str, bytes]]:
    def changed(name: str, content: bytes) -> tuple[str, bytes]:
        if name != "manifest.json":
            return name, content
        manifest = json.loads(content)
        change(manifest)
        return name, json.dumps(manifest).encode()

    return changed


def _as_other_vendor(name: str, content: bytes) -> tuple[str, bytes]:
    """The archive as the other database's backup would be: its file and its manifest."""
    theirs = OTHER_VENDOR[connection.vendor]
    ours, other = (f"database/{databases.DUMPS[v]}" for v in (connection.vendor, theirs))
    if name == "manifest.json":
        text = content.decode().replace(ours, other)
        return name, text.replace(f'"{connection.vendor}"', f'"{theirs}"').encode()
    return (other if name == ours else name), content


@pytest.mark.parametrize(
    "change",
    [
        _as_other_vendor,
        _manifest(lambda m: m.update(database_vendor=OTHER_VENDOR[connection.vendor])),
    ],
    ids=["its-database", "its-manifest"],
)
def test_it_refuses_a_backup_of_the_other_database(
    archive: Path, target: Target, change: Callable[[str, bytes], tuple[str, bytes]]
) -> None:
    assert "只能恢复到同一种数据库" in _refused(target, _repack(archive, change))


def _not_ours(kind: str, archive: Path) -> Path:
    other = archive.with_name(f"{kind}.tar.gz")
    if kind == "text":
        other.write_text("这不是备份\n", encoding="utf-8")
    elif kind == "empty":
        other.write_bytes(b"")
    elif kind == "truncated":
        other.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif kind == "foreign":
        with tarfile.open(other, "w:gz") as tar:
            tar.add(__file__, arcname="notes/test_backup.py")
    else:  # a manifest another program wrote
        return _repack(archive, _manifest(lambda m: m.update(format="another-backup")))
    return other


@pytest.mark.parametrize("kind", ["text", "empty", "truncated", "foreign", "manifest"])
def test_it_refuses_what_is_not_a_backup_of_ours(archive: Path, target: Target, kind: str) -> None:
    assert "不是 Zhenggai 的备份文件" in _refused(target, _not_ours(kind, archive))
