"""Faults of the machine told plainly: a full disk, a database busy too long or out
of reach. Each becomes a page in the person's language saying what happened and
that nothing was saved (the request's transaction is rolled back, and files are
written whole or not at all), instead of a bare "Server Error (500)"."""

import errno
import logging
from collections.abc import Callable

from django.db import Error, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Retry-After for a fault that passes by itself (a busy database, a reconnect).
RETRY_SECONDS = 30


def _said(error: Exception) -> str | None:
    """What to tell the person about ``error``, or None when it is not a machine fault."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("服务器磁盘空间已满，本次操作没有保存。请联系系统管理员清理空间后重试。")
    if isinstance(error, OperationalError) and "locked" in str(error).lower():
        return _("数据库正忙，本次操作没有保存。请稍后重试。")
    if isinstance(error, (OperationalError, InterfaceError)):
        return _("暂时无法连接数据库，本次操作没有保存。请稍后重试；如持续出现，请联系系统管理员。")
    return None


class FaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        said = _said(error) if isinstance(error, (OSError, Error)) else None
        if said is None:
            return None
        logger.error("machine fault on %s", request.path, exc_info=error)
        response = render(request, "web/fault.html", {"said": said}, status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
