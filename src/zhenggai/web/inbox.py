"""Not written yet: the routes exist so that every template can link to them."""

from django.http import HttpRequest, HttpResponse

from zhenggai.web.pages import signed_in


@signed_in
def page(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")
