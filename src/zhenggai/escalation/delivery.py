"""Who a letter and its news go to, and putting them there: into the inbox in the
writing transaction, and by mail after it commits when SMTP is configured
(``inbox.reminders.mail_configured``), to those with an address.

The inbox's kinds are its reminder job's; letters and due dates are told as
"overdue" (already late) or "due soon", the words saying the rest.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.inbox.models import Kind, Message
from zhenggai.inbox.reminders import mail_configured
from zhenggai.orgs.models import Membership, Role

log = logging.getLogger(__name__)


def receivers(organisation_id: int) -> list[int]:
    """The organisation's rectification office and first responsible person."""
    rows = Membership.objects.filter(
        organisation_id=organisation_id, role__in=access.LETTER_RECEIVERS
    )
    return sorted(set(rows.values_list("user_id", flat=True)))


def office_people(office_id: int) -> list[int]:
    rows = Membership.objects.filter(organisation_id=office_id, role=Role.INSPECTION_OFFICE)
    return sorted(set(rows.values_list("user_id", flat=True)))


def tell(users: Iterable[int], text: str, link: str, kind: str = Kind.OVERDUE) -> None:
    """Inbox messages now; mail once the transaction has committed."""
    wanted = sorted(set(users))
    now = timezone.now()
    Message.objects.bulk_create(
        Message(recipient_id=u, kind=kind, text=text, link=link, created=now) for u in wanted
    )
    if mail_configured():
        transaction.on_commit(lambda: _mail(wanted, text, link))


def _mail(users: list[int], text: str, link: str) -> None:
    site = settings.ZHENGGAI_SITE_URL.rstrip("/")
    body = _("%(text)s\n\n查看：%(where)s\n\n此邮件由整改系统自动发送，请勿回复。") % {
        "text": text,
        "where": site + link,
    }
    for user in User.objects.filter(pk__in=users).exclude(email=""):
        try:
            send_mail(_("【整改督促】"), body, None, [user.email])
        except OSError as error:  # the inbox has it either way
            log.warning("letter mail to %s failed: %s", user.get_username(), error)
