"""Authentication for the API: the browser's session, or a bearer token."""

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from zhenggai.orgs.models import ApiToken
from zhenggai.orgs.tokens import digest


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in user of the browser session; writes also need the CSRF token."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None
