"""Not written yet: the routes exist so that every template can link to them."""

from django.http import HttpRequest, HttpResponse

from zhenggai.web.pages import signed_in


@signed_in
def review(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")


@signed_in
def assign(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")


@signed_in
def upload(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")


@signed_in
def job(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")
