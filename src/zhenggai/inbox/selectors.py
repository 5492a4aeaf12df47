"""Reading a person's inbox: two queries for any page, whatever it holds."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q

from zhenggai.inbox.models import Message


@dataclass(frozen=True)
class Inbox:
    total: int
    unread: int
    messages: list[Message]  # the page asked for, newest first


def inbox_page(user: User, page: int, size: int) -> Inbox:
    """The counts in one query, the page in another; only the user's own messages."""
    mine = Message.objects.filter(recipient_id=user.pk)
    counts = mine.aggregate(total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    start = (page - 1) * size
    rows = (
        list(mine.order_by("-created", "-pk")[start : start + size])
        if start < counts["total"]
        else []
    )
    return Inbox(counts["total"], counts["unread"], rows)


def unread_count(user: User) -> int:
    return Message.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
