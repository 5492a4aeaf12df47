"""The manifest of an archive: what made it, and the SHA-256 and size of every file.

Written as ``manifest.json``, the archive's last member::

    {"format": "zhenggai-backup", "format_version": 1, "app_version": "0.1.0",
     "database_vendor": "sqlite", "created_at": "2025-06-01T02:30:00.123456+00:00",
     "database": "database/zhenggai.sqlite3",
     "audit_anchor": "audit/audit.anchor", "audit_key": "不在备份中：…",
     "files": [{"path": "database/zhenggai.sqlite3", "sha256": "…", "size": 1234}, …]}

``audit_anchor`` is null in a backup made before the chain had an anchor (and in
those of earlier versions, which lack both keys); ``audit_key`` is a note for whoever
restores, never the key.
"""

import json
from dataclasses import asdict, dataclass
from typing import Any

from zhenggai.refusals import Refused

FORMAT = "zhenggai-backup"
FORMAT_VERSION = 1
NOT_OURS = "不是 Zhenggai 的备份文件"
KEY_NOTE = (
    "不在备份中：审计密钥（audit.key）须另行保管；恢复前把原服务器上的密钥文件放到"
    "新服务器的数据目录（或 ZHENGGAI_AUDIT_KEY_FILE 所指的位置），否则审计日志无法校验"
)


@dataclass(frozen=True)
class Entry:
    path: str  # in the archive: database/…, evidence/…, sources/…, exports/…
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    app_version: str
    vendor: str  # Django's connection.vendor: sqlite, postgresql
    created_at: str  # ISO 8601, UTC
    database: str  # the database's entry
    files: tuple[Entry, ...]  # the database's first
    anchor: str = ""  # the audit anchor's entry, "" for none

    def to_json(self) -> bytes:
        body = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": self.app_version,
            "database_vendor": self.vendor,
            "created_at": self.created_at,
            "database": self.database,
            "audit_anchor": self.anchor or None,
            "audit_key": KEY_NOTE,
            "files": [asdict(entry) for entry in self.files],
        }
        return json.dumps(body, ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        """The manifest in ``data``; Refused when it is not one of ours."""
        body = _body(data)
        version = body.get("format_version")
        if version != FORMAT_VERSION:
            raise Refused(f"备份格式第 {version} 版，本程序只读第 {FORMAT_VERSION} 版：请先升级")
        try:
            return cls(
                app_version=str(body["app_version"]),
                vendor=str(body["database_vendor"]),
                created_at=str(body["created_at"]),
                database=str(body["database"]),
                files=tuple(_entry(item) for item in body["files"]),
                anchor=str(body.get("audit_anchor") or ""),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise Refused(f"{NOT_OURS}（清单不完整）") from error


def _body(data: bytes) -> dict[str, Any]:
    try:
        body = json.loads(data)
    except ValueError as error:  # not JSON, not UTF-8
        raise Refused(f"{NOT_OURS}（清单无法读取）") from error
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise Refused(f"{NOT_OURS}（清单不是本程序写的）")
    return body


def _entry(item: Any) -> Entry:
    return Entry(path=str(item["path"]), sha256=str(item["sha256"]), size=int(item["size"]))
