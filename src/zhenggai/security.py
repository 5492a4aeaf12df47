"""What the production settings need beyond Django's own: the system checks that stop a
production start without a secret key of its own (``zhenggai.E001``) or with an
unknown ``ZHENGGAI_ENV`` (``zhenggai.E002``), a password-length rule that speaks
Chinese, and the client's address behind the proxy for the sign-in throttle.

Installed as the ``zhenggai`` application (settings.INSTALLED_APPS) so that Django
registers the checks when it starts, before `migrate` or `check` runs them.
"""

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core import checks
from django.http import HttpRequest
from django.utils.translation import gettext


class SecurityConfig(AppConfig):
    name = "zhenggai"
    verbose_name = "Zhenggai"

    def ready(self) -> None:
        checks.register(secret_key_check, checks.Tags.security)
        checks.register(environment_check, checks.Tags.security)


def secret_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Production signs sessions and CSRF tokens with ZHENGGAI_SECRET_KEY; the
    development key is in the repository, so anyone could forge them with it."""
    if not settings.ZHENGGAI_PRODUCTION:
        return []
    if settings.SECRET_KEY in ("", settings.ZHENGGAI_DEVELOPMENT_SECRET_KEY):
        return [
            checks.Error(
                "ZHENGGAI_ENV=production 时必须设置 ZHENGGAI_SECRET_KEY，"
                "且不能是公开的开发用密钥。",
                hint="设为一个只有本机知道的长随机值，例如 "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 的输出。",
                id="zhenggai.E001",
            )
        ]
    return []


def environment_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A mistyped ZHENGGAI_ENV ("prod") would otherwise run production as development:
    the public key, no HTTPS settings."""
    if settings.ZHENGGAI_ENV in settings.ZHENGGAI_ENVIRONMENTS:
        return []
    return [
        checks.Error(
            f"ZHENGGAI_ENV={settings.ZHENGGAI_ENV!r} 无效，"
            f"只能是 {' 或 '.join(settings.ZHENGGAI_ENVIRONMENTS)}。",
            id="zhenggai.E002",
        )
    ]


class MinimumLength(MinimumLengthValidator):
    """Django's rule with its message in the project's Chinese: Django 5.2 reworded the
    English and its zh-hans catalogue has no translation of the new wording yet."""

    def get_error_message(self) -> str:
        return gettext("密码太短：至少要有 %(min_length)d 个字符。") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return gettext("密码至少要有 %(min_length)d 个字符。") % {"min_length": self.min_length}


def client_behind_proxy(request: HttpRequest) -> str | None:
    """The client's address as the proxy saw it: the last one of X-Forwarded-For, which
    the proxy appends (earlier ones are whatever the client sent); without the header,
    the direct peer."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or request.META.get("REMOTE_ADDR")
