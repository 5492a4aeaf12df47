"""One run of the reminder job (``zhenggai remind``): read what the ledger asks for
(``owed``), bring the job's memory in line with it, then send every reminder whose
time has come — into the inbox, and by mail where SMTP is configured and the person
has an address.

Who is reminded of what: ``owed.py``. How often: ``models.RHYTHM_DAYS`` — at most
once per person, item and calendar day. Why two runs at once never send twice:
``services.reminder_send``.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import get_connection, send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.inbox import owed as owing
from zhenggai.inbox import services
from zhenggai.inbox.models import Kind, Message, Reminder

log = logging.getLogger(__name__)

# Refusals of one address or one message; any other error is the server's or the
# account's, and every later mail would meet it too.
PER_MESSAGE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


@dataclass
class Outcome:
    """What a run did (or, in a dry run, would do)."""

    sent: list[tuple[str, owing.Due]] = field(default_factory=list)  # (username, reminder)
    mailed: int = 0
    mail_failed: int = 0
    mail_stopped: bool = False  # the SMTP server could not be reached; no more mail tried
    taken: int = 0  # claimed first by another run at the same time
    stopped: bool = False  # asked to stop (SIGTERM) before the end


def mail_configured() -> bool:
    """No SMTP host, no mail: reminders then stay in the in-app inbox."""
    return bool(settings.EMAIL_HOST)


def _mail(message: Message, user: User, connection: Any) -> None:
    subject = _("【整改提醒】%(kind)s") % {"kind": Kind(message.kind).label}
    site = settings.ZHENGGAI_SITE_URL.rstrip("/")
    where = site + message.link if site else message.link
    body = _("%(text)s\n\n查看：%(where)s\n\n此邮件由整改系统自动发送，请勿回复。") % {
        "text": message.text,
        "where": where,
    }
    send_mail(subject, body, None, [user.email], connection=connection)


def _due_rows(found: dict[owing.Key, owing.Due], now: dt.datetime) -> list[Reminder]:
    """The rows whose time has come (read by their index) and that the ledger still
    asks for."""
    rows = Reminder.objects.filter(next_due__lte=now).order_by("next_due", "pk")
    return [r for r in rows if (r.recipient_id, r.item_type, r.item_id) in found]


def _would_send(found: dict[owing.Key, owing.Due], now: dt.datetime) -> list[owing.Due]:
    """A dry run's answer, by the same rule as ``reminders_sync``, writing nothing."""
    rows = {(r.recipient_id, r.item_type, r.item_id): r for r in Reminder.objects.all()}
    return [d for key, d in found.items() if services.next_due(rows.get(key), d, now) <= now]


def run(
    *, now: dt.datetime, dry_run: bool = False, stopping: Callable[[], bool] = lambda: False
) -> Outcome:
    """One run; ``stopping`` is asked before each reminder, and a true answer ends the
    run between two of them (each is claimed and written in its own transaction)."""
    outcome = Outcome()
    found = owing.owed(timezone.localdate(now))
    if dry_run:
        would = _would_send(found, now)
        wanted = {d.recipient_id for d in would}
        names = dict(User.objects.filter(pk__in=wanted).values_list("pk", "username"))
        outcome.sent = [(names[d.recipient_id], d) for d in would]
        return outcome
    services.reminders_sync(owed=found, now=now)
    rows = _due_rows(found, now)
    users = User.objects.in_bulk({r.recipient_id for r in rows})
    mail = get_connection() if mail_configured() else None
    for row in rows:
        if stopping():
            outcome.stopped = True
            break
        due = found[(row.recipient_id, row.item_type, row.item_id)]
        message = services.reminder_send(reminder=row, due=due, now=now)
        if message is None:
            outcome.taken += 1
            continue
        user = users[row.recipient_id]
        outcome.sent.append((user.get_username(), due))
        if mail is not None and user.email:
            mail = _try_mail(message, user, mail, outcome)
    return outcome


def _try_mail(message: Message, user: User, connection: Any, outcome: Outcome) -> Any:
    """Mail one message; the connection to use for the next, or None once the server
    cannot be reached (every later mail would wait for the same timeout). The
    message is in the inbox either way."""
    try:
        _mail(message, user, connection)
    except PER_MESSAGE as error:
        log.warning("reminder mail to %s refused: %s", user.get_username(), error)
        outcome.mail_failed += 1
        return connection
    except OSError as error:  # smtplib's other errors too: the server, or our account on it
        log.warning("reminder mail stopped, SMTP server failed: %s", error)
        outcome.mail_failed += 1
        outcome.mail_stopped = True
        return None
    outcome.mailed += 1
    return connection
