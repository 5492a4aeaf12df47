"""The audit trail: every change kept in a hash chain that names the first broken link."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.app.conftest import Cast
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.orgs.models import Role
from zhenggai.services.ledger import progress_record


def _history(cast: Cast) -> None:
    """Seven events: the first progress starts the measure (1) and its problem (2),
    then the five progress entries (3 to 7)."""
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    for day in range(1, 6):
        progress_record(
            actor=person,
            measure_id=cast.a.measure.pk,
            date=dt.date.today(),
            text=f"第{day}次调度推进",
        )


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    return str(failure.value)


def test_an_untouched_chain_verifies(cast: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    _history(cast)
    call_command("audit", "verify")
    assert "完整：共 7 条" in capsys.readouterr().out
    assert [e.action for e in Event.objects.order_by("seq")][:3] == [
        "measure.start",
        "problem.start",
        "progress.create",
    ]


def test_an_edited_row_is_named(cast: Cast) -> None:
    _history(cast)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET actor_name = %s WHERE seq = %s", ["someone_else", 3])
    assert "第 3 条审计记录的内容与哈希不符" in _verify_fails()


def test_an_edited_value_inside_the_json_is_named(cast: Cast) -> None:
    _history(cast)
    event = Event.objects.get(seq=3)
    assert event.after is not None and event.after["text"] == "第1次调度推进"
    Event.objects.filter(seq=3).update(after=event.after | {"text": "改过的进展"})
    assert "第 3 条" in _verify_fails()


def test_a_removed_row_is_named(cast: Cast) -> None:
    _history(cast)
    Event.objects.filter(seq=4).delete()
    assert "第 4 条审计记录缺失" in _verify_fails()


def test_removing_the_newest_rows_is_caught(cast: Cast) -> None:
    _history(cast)
    Event.objects.filter(seq__gte=4).delete()
    assert "第 4 条" in _verify_fails()


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(cast: Cast) -> None:
    """Recomputing one row's hash is not enough: the next row still names the old one."""
    from zhenggai.audit.chain import _digest

    _history(cast)
    event = Event.objects.get(seq=2)
    event.actor_name = "forger"
    event.hash = _digest(event)
    Event.objects.filter(seq=2).update(actor_name="forger", hash=event.hash)
    assert "第 3 条审计记录的前序哈希不符" in _verify_fails()


def test_verify_reports_none_for_an_empty_trail(db: None) -> None:
    assert verify() is None
