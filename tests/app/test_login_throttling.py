"""Signing in is throttled (django-axes, settings.AXES_*): five wrong passwords for one
user name from one address lock that pair out for a while, with a page in Chinese,
even for the right password; every failure is recorded; other users, and the same
user elsewhere, sign in as usual."""

import logging
from typing import TYPE_CHECKING

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from tests.app.conftest import PASSWORD, Cast
from zhenggai.orgs.models import Role

if TYPE_CHECKING:
    # What the test client answers, as django-stubs names it.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

HERE = "10.0.0.7"


def _sign_in(user: User, password: str, address: str = HERE) -> tuple[Client, "Response"]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("web:login"), {"username": user.username, "password": password})
    return client, response


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _fail(user: User, times: int, address: str = HERE) -> "Response":
    """``times`` wrong passwords; the last answer."""
    answers = [_sign_in(user, "wrong-password", address)[1] for _ in range(times)]
    return answers[-1]


def test_axes_checks_every_sign_in_before_the_password() -> None:
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5


def test_four_wrong_passwords_are_only_refused_and_the_right_one_still_works(
    cast: Cast,
) -> None:
    user = cast.a.users[Role.RESPONSIBLE_PERSON]

    response = _fail(user, 4)

    assert response.status_code == 200
    assert "用户名或密码不正确，请重新输入。" in response.content.decode()
    client, response = _sign_in(user, PASSWORD)
    assert response.status_code == 302 and _signed_in(client)


def test_after_five_wrong_passwords_even_the_right_one_is_refused_in_chinese(
    cast: Cast,
) -> None:
    user = cast.a.users[Role.RESPONSIBLE_PERSON]

    fifth = _fail(user, 5)
    client, response = _sign_in(user, PASSWORD)

    for refused in (fifth, response):
        assert refused.status_code == 429
        page = refused.content.decode()
        assert "暂时无法登录" in page
        assert "密码已连续输错 5 次，暂时不能用这个账户登录。" in page
        assert "请 15 分钟后再试" in page
        assert "Account locked" not in page
    assert not _signed_in(client)
    user.refresh_from_db()
    assert user.last_login is None


def test_every_failure_is_recorded_without_the_password(cast: Cast) -> None:
    user = cast.a.users[Role.RESPONSIBLE_LEADER]

    _fail(user, 3)

    [attempt] = AccessAttempt.objects.filter(username=user.username)
    assert attempt.failures_since_start == 3
    assert attempt.ip_address == HERE
    assert "wrong-password" not in attempt.post_data
    failures = AccessFailureLog.objects.filter(username=user.username, ip_address=HERE)
    assert failures.count() == 3
    assert not failures.filter(locked_out=True).exists()


def test_a_failure_is_logged_as_a_warning(cast: Cast, caplog: pytest.LogCaptureFixture) -> None:
    user = cast.a.users[Role.DISCIPLINE]

    with caplog.at_level(logging.WARNING, logger="axes"):
        _fail(user, 1)

    assert any("login failure" in r.getMessage() for r in caplog.records)


def test_another_user_and_the_same_user_elsewhere_are_not_locked(cast: Cast) -> None:
    locked = cast.a.users[Role.RESPONSIBLE_PERSON]
    _fail(locked, 5)

    colleague, response = _sign_in(cast.a.users[Role.RECTIFICATION_OFFICE], PASSWORD)
    assert response.status_code == 302 and _signed_in(colleague)
    elsewhere, response = _sign_in(locked, PASSWORD, address="10.0.0.8")
    assert response.status_code == 302 and _signed_in(elsewhere)
    _client, response = _sign_in(locked, PASSWORD)
    assert response.status_code == 429


def test_a_right_password_clears_the_count(cast: Cast) -> None:
    user = cast.a.users[Role.FIRST_RESPONSIBLE]
    _fail(user, 4)
    _sign_in(user, PASSWORD)

    response = _fail(user, 4)

    assert response.status_code == 200  # four again, not eight
    client, response = _sign_in(user, PASSWORD)
    assert _signed_in(client)


@override_settings(AXES_CLIENT_IP_CALLABLE="zhenggai.security.client_behind_proxy")
def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended(cast: Cast) -> None:
    """ZHENGGAI_PROXY: every request comes from the proxy; what the client wrote into
    X-Forwarded-For itself comes first and is not believed."""
    user = cast.a.users[Role.DISCIPLINE]
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.5")

    for _ in range(5):
        response = client.post(
            reverse("web:login"), {"username": user.username, "password": "wrong-password"}
        )

    assert response.status_code == 429
    [attempt] = AccessAttempt.objects.filter(username=user.username)
    assert attempt.ip_address == "203.0.113.5"
    _client, response = _sign_in(user, PASSWORD, address="127.0.0.1")  # another client
    assert response.status_code == 302
