"""The audit chain's anchors: the file written after each commit, never older than the
one there, signed so it cannot be written by hand; and the line `zhenggai audit anchor`
prints for the inspection office to keep, checked by `audit verify --anchor`."""

import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django import DjangoCaptureOnCommitCallbacks

from tests.app.conftest import Cast
from zhenggai.audit import anchor, keys
from zhenggai.audit.anchor import Anchor
from zhenggai.audit.models import ChainHead, Event
from zhenggai.orgs.models import Role
from zhenggai.services.ledger import progress_record


def _progress(cast: Cast, text: str) -> None:
    progress_record(
        actor=cast.a.users[Role.RESPONSIBLE_PERSON],
        measure_id=cast.a.measure.pk,
        date=dt.date.today(),
        text=text,
    )


@pytest.fixture
def worked(cast: Cast, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Cast:
    """Five events (a measure and its problem started, three progress entries), the
    anchor written after each commit."""
    for day in range(1, 4):
        with django_capture_on_commit_callbacks(execute=True):
            _progress(cast, f"第{day}次调度推进")
    return cast


def _file() -> dict[str, object]:
    body: dict[str, object] = json.loads(Path(settings.AUDIT_ANCHOR_FILE).read_bytes())
    return body


def _kept(capsys: pytest.CaptureFixture[str]) -> str:
    call_command("audit", "anchor")
    return capsys.readouterr().out.strip().splitlines()[-1]


def _verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", *args)
    return str(failure.value)


def test_the_file_holds_the_head_after_the_commit_signed(worked: Cast) -> None:
    head = Event.objects.get(seq=5)
    body = _file()
    assert (body["seq"], body["hash"]) == (5, head.hash)
    assert body["key_id"] == keys.fingerprint(keys.load())
    assert anchor.read(keys.load()) == Anchor(5, head.hash)


def test_one_commit_of_several_events_writes_the_file_once_with_the_last(
    cast: Cast, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """The first progress writes three events in one transaction."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _progress(cast, "第1次调度推进")
    assert len(callbacks) == 3
    callbacks[0]()
    assert not Path(settings.AUDIT_ANCHOR_FILE).exists()
    callbacks[-1]()
    assert _file()["seq"] == 3


def test_nothing_is_written_for_a_transaction_rolled_back(cast: Cast) -> None:
    """Without the commit (the test's transaction is rolled back), no anchor."""
    _progress(cast, "第1次调度推进")
    assert not Path(settings.AUDIT_ANCHOR_FILE).exists()


def test_an_older_head_never_replaces_a_newer_one(db: None) -> None:
    key = keys.load_or_make()
    assert anchor.write(Anchor(9, "b" * 64), key)
    assert not anchor.write(Anchor(8, "a" * 64), key)
    assert not anchor.write(Anchor(9, "c" * 64), key)
    assert anchor.read(key) == Anchor(9, "b" * 64)


def test_processes_writing_at_once_leave_the_newest(db: None) -> None:
    key = keys.load_or_make()
    writers = [
        threading.Thread(target=anchor.write, args=(Anchor(seq, f"{seq:064x}"), key))
        for seq in range(1, 41)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert anchor.read(key) == Anchor(40, f"{40:064x}")
    assert not [p for p in Path(settings.AUDIT_ANCHOR_FILE).parent.iterdir() if ".part" in p.name]


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body.update(seq=3),
        lambda body: body.update(hash="0" * 64),
        lambda body: body.update(mac="0" * 64),
    ],
    ids=["seq", "hash", "signature"],
)
def test_an_anchor_file_written_by_hand_is_named(
    worked: Cast, change: Callable[[dict[str, object]], None]
) -> None:
    body = _file()
    change(body)
    Path(settings.AUDIT_ANCHOR_FILE).write_text(json.dumps(body))
    assert "锚点文件" in (message := _verify_fails()) and "签名不符（已被改动）" in message


def test_a_file_that_is_no_anchor_is_named_and_left_alone(
    worked: Cast, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    Path(settings.AUDIT_ANCHOR_FILE).write_text("not an anchor")
    with django_capture_on_commit_callbacks(execute=True):
        _progress(worked, "又一次推进")
    assert Path(settings.AUDIT_ANCHOR_FILE).read_text() == "not an anchor"
    assert "无法读取" in _verify_fails()


# --- The line kept apart -----------------------------------------------------------------


def test_the_printed_line_is_the_head_and_verifies(
    worked: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _kept(capsys)
    assert line == f"5:{Event.objects.get(seq=5).hash}"
    call_command("audit", "verify", "--anchor", line)
    assert "通过：所给锚点（第 5 条）相符" in capsys.readouterr().out


def test_a_kept_line_catches_a_rollback_the_file_went_along_with(
    worked: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tail deleted, head rolled back, anchor file removed: only the kept line knows."""
    line = _kept(capsys)
    Event.objects.filter(seq__gte=4).delete()
    ChainHead.objects.filter(pk=1).update(seq=3, hash=Event.objects.get(seq=3).hash)
    Path(settings.AUDIT_ANCHOR_FILE).unlink()
    message = _verify_fails("--anchor", line)
    assert "所给锚点" in message and "记录到第 5 条，数据库中的审计日志只到第 3 条" in message


def test_a_kept_line_catches_an_event_rewritten_before_it(
    worked: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _kept(capsys)
    Event.objects.filter(seq=5).update(hash="f" * 64)
    ChainHead.objects.filter(pk=1).update(hash="f" * 64)
    assert "第 5 条审计记录的哈希与所给锚点" in _verify_fails("--anchor", line)


def test_no_anchor_is_printed_for_a_broken_chain(worked: Cast) -> None:
    Event.objects.filter(seq=2).update(actor_name="forger")
    with pytest.raises(CommandError, match="不能作为锚点：第 2 条审计记录的内容与哈希不符"):
        call_command("audit", "anchor")


@pytest.mark.parametrize("text", ["5", "5:abc", "x:" + "0" * 64])
def test_a_malformed_line_is_refused(db: None, text: str) -> None:
    with pytest.raises(CommandError, match="锚点格式应为"):
        call_command("audit", "verify", "--anchor", text)
