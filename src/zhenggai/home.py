"""The site's front door. There are no pages yet, so it leads to the API's browsable docs."""

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from zhenggai.api.main import api


def index(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(f"{api.urls_namespace}:openapi-view"))
