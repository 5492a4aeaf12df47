"""The JSON API: schema at /api/openapi.json, browsable docs at /api/docs."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from zhenggai.api.auth import SessionAuth, TokenAuth
from zhenggai.api.errors import describe
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


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    # Only plain parts: pydantic's context may hold exception objects.
    errors = [{"loc": list(e.get("loc", ())), "type": e.get("type")} for e in error.errors]
    body = {"detail": describe(list(error.errors)), "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("请先登录，或提供有效的接口令牌")}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # ninja's own words are English: an unreadable body, a session write without CSRF.
    detail = {
        400: _("请求体无法解析，请发送 JSON 或表单数据"),
        403: _("缺少或无效的 CSRF 令牌，请刷新页面后重试"),
    }.get(error.status_code, str(error))
    return api.create_response(request, {"detail": detail}, status=error.status_code)


# Imported last: the routers' modules register their operations on import.
from zhenggai.api import ledger, offices, plan, rounds, work  # noqa: E402

api.add_router("", ledger.router)
# Before work's: its /inspections/{id}/plan/{move} would take plan/review and plan/versions.
api.add_router("", plan.router)
api.add_router("", work.router)
api.add_router("", offices.router)
api.add_router("", rounds.router)
