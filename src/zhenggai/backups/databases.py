"""The database's part of a backup, for each vendor: a consistent copy out, a load
into an empty database, and the test of emptiness the load relies on.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live
database in one step under a read transaction, so the copy is one committed state
even while the server writes (WAL lets the writers go on meanwhile). PostgreSQL:
``pg_dump`` reads one snapshot; ``pg_restore --single-transaction`` loads it whole
or not at all, so a failed load leaves the database as empty as it was.

Both keep every value as stored, to the microsecond: ``dumpdata``/``loaddata``
does not, and the audit chain's hashes cover the events' times.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from zhenggai.refusals import Refused

# The database's file in the archive, by vendor (Django's ``connection.vendor``).
DUMPS = {"sqlite": "zhenggai.sqlite3", "postgresql": "zhenggai.pgdump"}
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# What a PostgreSQL database already holds: its relations outside the system schemas.
RELATIONS = """
SELECT n.nspname || '.' || c.relname
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'
ORDER BY 1
"""


class Failed(Exception):
    """A database tool is missing or failed; its message says which and why, in Chinese."""


def configured() -> BaseDatabaseWrapper:
    return connections["default"]


def vendor(connection: BaseDatabaseWrapper) -> str:
    """The connection's vendor, or Refused for one without a backup."""
    if connection.vendor not in DUMPS:
        raise Refused(f"不支持 {connection.vendor} 数据库：只能备份与恢复 SQLite 和 PostgreSQL")
    return connection.vendor


def dump(connection: BaseDatabaseWrapper, folder: Path) -> Path:
    """A consistent copy of the database, written into ``folder``."""
    path = folder / DUMPS[vendor(connection)]
    if connection.vendor == "sqlite":
        _sqlite_copy(connection, path)
    else:
        _run("pg_dump", ["--format=custom", f"--file={path}"], connection, "备份数据库")
    return path


def tables(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables (views, sequences) the database holds; none means it is empty."""
    if vendor(connection) == "sqlite":
        return _sqlite_tables(_sqlite_path(connection))
    with connection.cursor() as cursor:
        cursor.execute(RELATIONS)
        return [name for (name,) in cursor.fetchall()]


def load(connection: BaseDatabaseWrapper, copy: Path) -> None:
    """Put ``copy`` (what ``dump`` wrote) into the database, which ``tables`` found empty."""
    if vendor(connection) == "sqlite":
        _sqlite_put(connection, copy)
        return
    # --no-owner, --no-privileges: the roles of the machine that made the backup
    # need not exist here; everything belongs to the user of DATABASE_URL.
    options = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    database = connection.settings_dict["NAME"]
    _run("pg_restore", [*options, f"--dbname={database}", str(copy)], connection, "恢复数据库")


def put(source: Path, target: Path) -> None:
    """Move a file into place whole: a crash leaves a .part beside it, never half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.part")
    shutil.move(source, partial)
    partial.replace(target)


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_path(connection: BaseDatabaseWrapper) -> Path:
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise Refused("配置的是内存中的 SQLite 数据库，无处恢复：请配置数据库文件")
    return Path(name)


def _sqlite_copy(connection: BaseDatabaseWrapper, path: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        # One self-contained file: no -wal beside it to lose on the way.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _sqlite_tables(path: Path) -> list[str]:
    if not path.exists() or path.stat().st_size == 0:
        return []
    # mode=rw: never create the file; reading changes nothing in it.
    uri = f"file:{quote(str(path.resolve()))}?mode=rw"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as database:
            found = database.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
            )
            return [name for (name,) in found]
    except sqlite3.DatabaseError:
        return [path.name]  # not a database we can read: not empty either


def _sqlite_put(connection: BaseDatabaseWrapper, copy: Path) -> None:
    path = _sqlite_path(connection)
    connection.close()  # no handle on the empty file may outlive it
    # The empty database's journal files would be read as the new file's.
    for journal in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + journal).unlink(missing_ok=True)
    put(copy, path)


# --- PostgreSQL -----------------------------------------------------------------------


def _run(tool: str, arguments: list[str], connection: BaseDatabaseWrapper, doing: str) -> None:
    """Run pg_dump or pg_restore on the database of ``connection``; Failed when it fails."""
    program = shutil.which(tool)
    if program is None:
        raise Failed(f"找不到 {tool}，无法{doing}：请安装 PostgreSQL 客户端（postgresql-client）")
    done = subprocess.run(
        [program, "--no-password", *arguments],
        env=_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if done.returncode != 0:
        raise Failed(f"{tool} 未能{doing}：{done.stderr.strip()[-2000:]}")


def _environment(settings: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for the database: the password never appears on a command line."""
    options = settings.get("OPTIONS") or {}
    given = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
    }
    return os.environ | {key: str(value) for key, value in given.items() if value}
