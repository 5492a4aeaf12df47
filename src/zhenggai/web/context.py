"""What every page's frame needs: the number of unread messages beside 消息, and
whether to offer the import of feedback."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from zhenggai.inbox.selectors import unread_count
from zhenggai.orgs import scope
from zhenggai.orgs.models import Role

# Who may import feedback (see services.sources.importable_organisations).
IMPORTERS = {Role.RECTIFICATION_OFFICE, Role.INSPECTION_OFFICE}


def frame(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a page shows the frame (not for a fragment or a download).
    return {
        "unread": SimpleLazyObject(lambda: unread_count(user)),
        "may_import": SimpleLazyObject(
            lambda: any(g.role in IMPORTERS for g in scope.grants(user))
        ),
    }
