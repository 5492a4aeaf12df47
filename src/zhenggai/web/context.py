"""What every page's frame shows: the number of unread messages beside 消息."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from zhenggai.inbox.selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a page shows the frame (not for a fragment or a download).
    return {"unread": SimpleLazyObject(lambda: unread_count(user))}
