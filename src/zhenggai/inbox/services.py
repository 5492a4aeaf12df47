"""Every write to the inbox, one named function each (STYLE.md 2).

None writes an audit event: the audit trail records changes to ledger data
(``audit/models.py``), and what a person has read or been told is neither; it
would also fill the weekly dispatch, which reads the trail, with noise.
"""

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.inbox.models import RHYTHM_DAYS, Message, Reminder
from zhenggai.inbox.owed import Due, Key
from zhenggai.refusals import NotFound

# Rows deleted per statement: well under SQLite's limit on bound parameters.
CHUNK = 500


def message_read(*, actor: User, message_id: int) -> Message:
    """Mark one of the actor's own messages read; anyone else's is NotFound."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update().filter(pk=message_id, recipient_id=actor.pk).first()
        )
        if message is None:
            raise NotFound(_("未找到该消息"))
        if message.read_at is None:
            message.read_at = timezone.now()
            message.save(update_fields=["read_at"])
    return message


def messages_read_all(*, actor: User) -> int:
    """Mark every unread message of the actor read; how many were."""
    with transaction.atomic():
        unread = Message.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
        return unread.update(read_at=timezone.now())


# --- The reminder job -------------------------------------------------------------


def start_of(day: dt.date) -> dt.datetime:
    """Local midnight: the rhythm counts calendar days where the offices are."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def next_due(row: Reminder | None, due: Due, now: dt.datetime) -> dt.datetime:
    """When the row for ``due`` may speak, given what the ledger asks now: at once for
    a new item, or for a new reason on an item the person has not heard of today;
    otherwise when the rhythm of the last message says."""
    if row is None:
        return now
    if row.kind != due.kind and row.sent_on != timezone.localdate(now):
        return min(row.next_due, now)
    return row.next_due


def reminders_sync(*, owed: Mapping[Key, Due], now: dt.datetime) -> None:
    """Bring the job's memory in line with the ledger, in one transaction.

    1. A row whose item no longer asks for anything is deleted once its time has
       come; until then it still stands for the message sent today.
    2. A row is created, due now, for each new person and item (a concurrent run's
       identical insert is ignored by the unique constraint).
    3. A row whose reason changed is made due now (``next_due``), by a
       compare-and-swap on the values read, so a row a concurrent run has just
       claimed is left alone.
    """
    with transaction.atomic():
        rows = {(r.recipient_id, r.item_type, r.item_id): r for r in Reminder.objects.all()}
        gone = [r.pk for key, r in rows.items() if key not in owed and r.next_due <= now]
        for start in range(0, len(gone), CHUNK):
            Reminder.objects.filter(pk__in=gone[start : start + CHUNK]).delete()
        new = [
            Reminder(
                recipient_id=d.recipient_id,
                item_type=d.item_type,
                item_id=d.item_id,
                kind=d.kind,
                next_due=now,
            )
            for key, d in owed.items()
            if key not in rows
        ]
        Reminder.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
        for key, due in owed.items():
            row = rows.get(key)
            if row is not None and row.kind != due.kind:
                Reminder.objects.filter(pk=row.pk, kind=row.kind, next_due=row.next_due).update(
                    kind=due.kind, next_due=next_due(row, due, now)
                )


def reminder_send(*, reminder: Reminder, due: Due, now: dt.datetime) -> Message | None:
    """Claim the row as read and put the message in the inbox, in one transaction.

    The claim is an ``update()`` on the row's ``next_due`` as read: of two runs that
    read the same row, the second finds it moved and sends nothing (None). The row's
    next time is local midnight ``RHYTHM_DAYS`` days on, so nothing about this item
    reaches this person again today.
    """
    today = timezone.localdate(now)
    later = start_of(today + dt.timedelta(days=RHYTHM_DAYS[due.kind]))
    with transaction.atomic():
        claimed = Reminder.objects.filter(pk=reminder.pk, next_due=reminder.next_due).update(
            kind=due.kind, sent_on=today, next_due=later
        )
        if not claimed:
            return None
        return Message.objects.create(
            recipient_id=due.recipient_id,
            kind=due.kind,
            text=due.text,
            link=due.link,
            created=now,
        )
