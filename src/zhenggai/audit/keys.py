"""The audit chain's key: 32 random bytes in a file outside the database.

The database holds the events and their HMACs; whoever can change the database but
not read this file cannot make an edited event, or a whole recomputed chain, verify.
The file (``AUDIT_KEY_FILE``, by default ``audit.key`` in the data folder) is made on
the first event written, as 64 hex digits and a newline, 0600. It never goes into a
backup: a restore needs a copy kept apart.

Each keyed event also stores the key's *fingerprint* (an HMAC of a fixed text, which
tells nothing of the key), so that verifying with another key says "wrong key" once
instead of calling every event tampered.
"""

import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings

KEY_BYTES = 32
FINGERPRINT_TEXT = b"zhenggai audit key fingerprint"


class KeyProblem(Exception):
    """The key file is absent, unreadable or not the chain's key; the message says which
    file and what to do."""


def path() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def load() -> bytes:
    """The key from its file; KeyProblem when there is none or it is not a key."""
    where = path()
    try:
        text = where.read_text(encoding="ascii").strip()
    except FileNotFoundError as error:
        raise KeyProblem(
            f"找不到审计密钥文件 {where}：请把原服务器上的密钥文件复制到这里"
            "（或用 ZHENGGAI_AUDIT_KEY_FILE 指明它的位置）"
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise KeyProblem(f"无法读取审计密钥文件 {where}（{error}）") from error
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyProblem(
            f"审计密钥文件 {where} 的内容不是密钥（应为 {KEY_BYTES * 2} 位十六进制数）"
        )
    return key


def exists() -> bool:
    return path().exists()


def load_or_make() -> bytes:
    """The key, made first when there is no file yet.

    Made whole or not at all: written to a temporary file beside it, then linked to
    its name, which fails if another process made it meanwhile; that one's is read.
    """
    where = path()
    if not where.exists():
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=where.parent, prefix=f".{where.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(KEY_BYTES) + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.chmod(name, 0o600)
            os.link(name, where)
        except FileExistsError:
            pass
        finally:
            os.unlink(name)
    return load()


def fingerprint(key: bytes) -> str:
    """Names the key without telling it: 16 hex digits."""
    return hmac.new(key, FINGERPRINT_TEXT, hashlib.sha256).hexdigest()[:16]


def mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
