"""The JSON API: schema at /api/openapi.json, browsable docs at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from zhenggai.api.auth import SessionAuth, TokenAuth
from zhenggai.refusals import NotFound, Refused

api = NinjaAPI(
    title="整改 Zhenggai API",
    version="1",
    description="巡察整改台账：读取台账，执行每一步整改流程。",
    auth=[TokenAuth(), SessionAuth()],
)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=404)


@api.exception_handler(Refused)
def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=409)


# Imported last: the routers' modules register their operations on import.
from zhenggai.api import ledger, work  # noqa: E402

api.add_router("", ledger.router)
api.add_router("", work.router)
