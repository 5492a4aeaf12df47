"""zhenggai token create / revoke: a token shown once, stored as its digest, revocable."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhenggai.orgs.models import ApiToken
from zhenggai.orgs.tokens import digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user(username="alice")


def _create(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    call_command("token", "create", *args)
    return capsys.readouterr().out.strip()


def test_it_prints_a_token_and_keeps_only_its_digest(
    capsys: pytest.CaptureFixture[str], alice: User
) -> None:
    plain = _create(capsys, "alice", "--label", "OA 系统")
    token = ApiToken.objects.get(user=alice)
    assert token.digest == digest(plain)
    assert token.label == "OA 系统"
    assert not ApiToken.objects.filter(digest=plain).exists()


def test_the_printed_token_signs_in_to_the_api(
    capsys: pytest.CaptureFixture[str], client: Client, alice: User
) -> None:
    plain = _create(capsys, "alice")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_each_token_is_new(capsys: pytest.CaptureFixture[str], alice: User) -> None:
    assert _create(capsys, "alice") != _create(capsys, "alice")
    assert ApiToken.objects.filter(user=alice).count() == 2


def test_revoke_deletes_every_token_of_the_user(
    capsys: pytest.CaptureFixture[str], client: Client, alice: User
) -> None:
    plain = _create(capsys, "alice")
    _create(capsys, "alice")
    kept = User.objects.create_user(username="bob")
    ApiToken.objects.create(user=kept, digest=digest("bob's"))
    call_command("token", "revoke", "alice")
    assert "2" in capsys.readouterr().out
    assert not ApiToken.objects.filter(user=alice).exists()
    assert ApiToken.objects.filter(user=kept).exists()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 401


@pytest.mark.parametrize("action", ["create", "revoke"])
def test_an_unknown_user_is_refused_in_chinese(action: str) -> None:
    with pytest.raises(CommandError, match="用户「nobody」不存在"):
        call_command("token", action, "nobody")
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(alice: User) -> None:
    alice.is_active = False
    alice.save()
    with pytest.raises(CommandError, match="已停用"):
        call_command("token", "create", "alice")
    assert not ApiToken.objects.exists()
