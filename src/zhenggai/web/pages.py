"""What every page view shares: sign-in, the refusals of the services turned into
answers a person reads, and the typed request."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django_htmx.middleware import HtmxDetails

from zhenggai.refusals import NotFound

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class SignedInRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def signed_in(view: View) -> View:
    """Sign-in required; an object the user may not see is a 404, as in the API."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as refusal:
            raise Http404(str(refusal)) from refusal

    # login_required keeps the signature it wraps, which is the view's.
    return cast(View, login_required(wrapped))
