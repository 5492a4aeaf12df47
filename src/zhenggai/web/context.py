"""What every page's frame needs: the number of unread messages beside 消息, and
whether to offer the import of feedback."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from zhenggai import access
from zhenggai.inbox.selectors import unread_count
from zhenggai.orgs import scope


def frame(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a page shows the frame (not for a fragment or a download).
    return {
        "unread": SimpleLazyObject(lambda: unread_count(user)),
        "may_import": SimpleLazyObject(
            lambda: access.may_import({g.role for g in scope.grants(user)})
        ),
    }
