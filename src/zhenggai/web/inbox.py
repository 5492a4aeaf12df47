"""The inbox: the signed-in person's messages, newest first, unread marked, each
linking to its measure or problem; one or all marked read (POST, then back to the
page). Only the recipient ever sees a message: every read and write is scoped to
the signed-in user, and someone else's message id is a 404."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenggai.inbox import selectors, services
from zhenggai.web import paging
from zhenggai.web.pages import SignedInRequest, signed_in

PAGE_SIZE = 50


def _mark(request: SignedInRequest) -> HttpResponse:
    page = paging.page_number(request.POST.get("page"))
    if request.POST.get("action") == "read_all":
        count = services.messages_read_all(actor=request.user)
        messages.success(request, _("已将 %(n)s 条消息标为已读") % {"n": count})
    else:
        message_id = request.POST.get("message", "")
        if not message_id.isdigit():
            messages.error(request, _("请选择要标为已读的消息"))
        else:
            services.message_read(actor=request.user, message_id=int(message_id))
            messages.success(request, _("已标为已读"))
    target = reverse("web:inbox")
    return redirect(f"{target}?page={page}" if page > 1 else target)


@signed_in
@require_http_methods(["GET", "POST"])
def page(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        return _mark(request)
    number = paging.page_number(request.GET.get("page"))
    inbox = selectors.inbox_page(request.user, number, PAGE_SIZE)
    context = {
        "inbox": inbox,
        **paging.pager(number, inbox.total, PAGE_SIZE),
    }
    return render(request, "web/inbox.html", context)
