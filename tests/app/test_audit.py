"""The audit trail: every change kept in a chain keyed with a file outside the database
and anchored outside it, so that `zhenggai audit verify` names an edited, removed or
recomputed event, a rolled-back head, an emptied table and a wrong or missing key."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pytest_django import DjangoCaptureOnCommitCallbacks

from tests.app.conftest import Cast
from zhenggai.audit import chain, keys
from zhenggai.audit.chain import HMAC, SHA256, verify
from zhenggai.audit.models import ChainHead, Event
from zhenggai.orgs.models import Role
from zhenggai.services.ledger import progress_record

Capture = DjangoCaptureOnCommitCallbacks


def _history(cast: Cast, capture: Capture, days: int = 5) -> None:
    """Seven events: the first progress starts the measure (1) and its problem (2),
    then the five progress entries (3 to 7); each commit's anchor written."""
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    for day in range(1, days + 1):
        with capture(execute=True):
            progress_record(
                actor=person,
                measure_id=cast.a.measure.pk,
                date=dt.date.today(),
                text=f"第{day}次调度推进",
            )


@pytest.fixture
def history(cast: Cast, django_capture_on_commit_callbacks: Capture) -> Cast:
    _history(cast, django_capture_on_commit_callbacks)
    return cast


def _verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", *args)
    return str(failure.value)


def _rehash(first: int, digest: Callable[[Event], str]) -> None:
    """What a forger with the database alone would do: every hash from ``first`` on
    recomputed, each link and the head made to match."""
    prev = Event.objects.get(seq=first - 1).hash if first > 1 else chain.GENESIS
    for event in Event.objects.filter(seq__gte=first).order_by("seq"):
        event.prev_hash = prev
        event.hash = prev = digest(event)
        Event.objects.filter(pk=event.pk).update(
            prev_hash=event.prev_hash, hash=event.hash, scheme=event.scheme, key_id=event.key_id
        )
    ChainHead.objects.filter(pk=1).update(hash=prev)


def _as_sha256(event: Event) -> str:
    event.scheme, event.key_id = SHA256, ""
    return chain.digest(event, None)


def _forge_progress_text() -> None:
    event = Event.objects.get(seq=3)
    assert event.after is not None
    Event.objects.filter(seq=3).update(after=event.after | {"text": "改过的进展"})


# --- A whole chain ----------------------------------------------------------------------


def test_an_untouched_chain_verifies(history: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "审计日志完整：共 7 条" in out
    assert "通过：哈希链完整" in out and "通过：锚点文件相符（第 7 条）" in out
    assert "通过：与数据库现状核对" in out
    assert [e.action for e in Event.objects.order_by("seq")][:3] == [
        "measure.start",
        "problem.start",
        "progress.create",
    ]
    assert {(e.scheme, e.key_id) for e in Event.objects.all()} == {
        (HMAC, keys.fingerprint(keys.load()))
    }


def test_verify_reports_none_for_an_empty_trail(db: None) -> None:
    assert verify() is None
    call_command("audit", "verify")


def test_the_key_is_made_on_the_first_event_private_and_whole(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    made = Path(settings.AUDIT_KEY_FILE)
    made.unlink(missing_ok=True)  # the run's key, copied for each test
    _history(cast, django_capture_on_commit_callbacks, days=1)
    assert made.stat().st_mode & 0o777 == 0o600
    assert len(bytes.fromhex(made.read_text().strip())) == 32
    assert sorted(p.name for p in made.parent.iterdir()) == [
        "audit.anchor",
        "audit.anchor.lock",
        "audit.key",
    ]  # no temporary file left beside them


# --- Edited, removed, recomputed -----------------------------------------------------------


def test_an_edited_row_is_named(history: Cast) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET actor_name = %s WHERE seq = %s", ["someone_else", 3])
    assert "第 3 条审计记录的内容与哈希不符" in _verify_fails()


def test_an_edited_value_inside_the_json_is_named(history: Cast) -> None:
    _forge_progress_text()
    assert "第 3 条审计记录的内容与哈希不符" in _verify_fails()


def test_a_removed_row_is_named(history: Cast) -> None:
    Event.objects.filter(seq=4).delete()
    assert "第 4 条审计记录缺失" in _verify_fails()


def test_removing_the_newest_rows_is_caught(history: Cast) -> None:
    Event.objects.filter(seq__gte=4).delete()
    assert "第 4 条审计记录之后的记录缺失" in _verify_fails()


def test_an_edit_with_the_hashes_recomputed_with_sha256_is_caught(history: Cast) -> None:
    """Recomputed the old way but still labelled keyed: the HMAC does not match."""
    _forge_progress_text()
    _rehash(3, lambda e: hashlib.sha256(chain._body(e).encode()).hexdigest())
    assert "第 3 条审计记录的内容与哈希不符" in _verify_fails()


def test_a_whole_chain_recomputed_as_unkeyed_is_caught_by_the_anchor(history: Cast) -> None:
    """Every event relabelled as written before the key and recomputed: a chain that
    holds together, which only the anchor outside the database gives away."""
    _forge_progress_text()
    _rehash(1, _as_sha256)
    assert verify() is None
    assert "第 7 条审计记录的哈希与锚点文件" in _verify_fails()


def test_an_edit_recomputed_with_another_key_is_caught(history: Cast) -> None:
    forger = secrets.token_bytes(32)
    _forge_progress_text()
    _rehash(3, lambda e: chain.digest(e, forger))
    assert "第 3 条审计记录的内容与哈希不符" in _verify_fails()


def test_a_chain_rekeyed_whole_is_told_from_a_wrong_key_file(history: Cast) -> None:
    """Signed throughout with another key and its fingerprint: the key file still
    signs the anchor, so it is the chain that changed."""
    forger = secrets.token_bytes(32)

    def signed(event: Event) -> str:
        event.key_id = keys.fingerprint(forger)
        return chain.digest(event, forger)

    _forge_progress_text()
    _rehash(1, signed)
    message = _verify_fails()
    assert "审计密钥不符" in message
    assert "第 7 条审计记录的哈希与锚点文件" in message


def test_an_unkeyed_row_after_keyed_ones_is_refused(history: Cast) -> None:
    _rehash(7, _as_sha256)
    assert "第 7 条审计记录是未加密钥的旧式记录，却排在加密钥的记录之后" in _verify_fails()


def test_an_unkeyed_trail_of_before_the_key_verifies_and_goes_on_keyed(
    history: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    """A database in use before the key: its events keep their SHA-256; the next
    ones are keyed, linked to them."""
    _rehash(1, _as_sha256)
    Path(settings.AUDIT_ANCHOR_FILE).unlink()
    call_command("audit", "verify")
    _history(history, django_capture_on_commit_callbacks, days=1)
    assert [e.scheme for e in Event.objects.order_by("seq")] == [SHA256] * 7 + [HMAC]
    call_command("audit", "verify")


# --- The head rolled back, the table emptied ---------------------------------------------


def test_the_tail_deleted_and_the_head_rolled_back_is_caught(history: Cast) -> None:
    Event.objects.filter(seq__gte=5).delete()
    ChainHead.objects.filter(pk=1).update(seq=4, hash=Event.objects.get(seq=4).hash)
    assert verify() is None  # the database alone holds together
    assert "记录到第 7 条，数据库中的审计日志只到第 4 条：链尾已被删除" in _verify_fails()


def test_an_emptied_table_is_caught(history: Cast) -> None:
    Event.objects.all().delete()
    ChainHead.objects.all().delete()
    assert verify() is None
    assert "审计日志是空的，而锚点文件" in _verify_fails()


def test_a_deleted_anchor_file_is_named(history: Cast) -> None:
    Path(settings.AUDIT_ANCHOR_FILE).unlink()
    assert "锚点文件" in _verify_fails() and "缺失" in _verify_fails()


# --- The key ---------------------------------------------------------------------------


def test_a_missing_key_is_said_plainly_once(history: Cast) -> None:
    Path(settings.AUDIT_KEY_FILE).unlink()
    message = _verify_fails()
    assert f"找不到审计密钥文件 {settings.AUDIT_KEY_FILE}" in message
    assert "（1 处问题" in message and "不符" not in message


def test_another_key_is_said_plainly_once(history: Cast) -> None:
    Path(settings.AUDIT_KEY_FILE).write_text(secrets.token_hex(32) + "\n")
    message = _verify_fails()
    assert "审计密钥不符：审计日志（自第 1 条起）由指纹为" in message
    assert "第 3 条" not in message


def test_no_event_is_written_with_a_new_key_once_the_chain_is_keyed(history: Cast) -> None:
    Path(settings.AUDIT_KEY_FILE).unlink()
    with pytest.raises(keys.KeyProblem, match="找不到审计密钥文件"):
        progress_record(
            actor=history.a.users[Role.RESPONSIBLE_PERSON],
            measure_id=history.a.measure.pk,
            date=dt.date.today(),
            text="密钥丢失后的进展",
        )
    assert not Path(settings.AUDIT_KEY_FILE).exists()
    assert Event.objects.count() == 7
