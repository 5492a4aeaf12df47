"""Not written yet: the routes exist so that every template can link to them."""

from django.http import HttpRequest, HttpResponse

from zhenggai.web.pages import signed_in


@signed_in
def problem_page(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")


@signed_in
def measure_page(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")


@signed_in
def evidence_file(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")
