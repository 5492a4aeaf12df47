"""zhenggai setup: the office and its first administrator on an empty installation,
the password from a file, the environment or the terminal; refused once an
administrator exists unless --again. The sign-in page of an empty installation
says to run it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.app.office_support import actions
from zhenggai import access
from zhenggai.audit import chain
from zhenggai.orgs.models import Organisation
from zhenggai.web.management.commands.setup import PASSWORD_VARIABLE

pytestmark = pytest.mark.django_db

GOOD = "Xun-cha-2024!"


def _setup(tmp_path: Path, *args: str, password: str = GOOD) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text(f"{password}\n", "utf-8")
    call_command("setup", "--password-file", str(secret), *args)


def _signs_in(username: str, password: str) -> bool:
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_it_makes_the_office_and_its_administrator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _setup(tmp_path, "--office", "某县委巡察办", "--username", "admin", "--name", "张主任")
    office = Organisation.objects.get()
    assert (office.name, office.kind, office.parent_id) == ("某县委巡察办", "office", None)
    admin = User.objects.get(username="admin")
    assert admin.first_name == "张主任" and access.administered_office(admin) == office
    assert _signs_in("admin", GOOD)
    assert "系统管理员「admin」" in capsys.readouterr().out
    assert actions() == ["organisation.create", "person.create", "administrator.setup"]
    assert chain.verify() is None


def test_it_refuses_a_second_time_unless_told(tmp_path: Path) -> None:
    _setup(tmp_path, "--office", "某县委巡察办", "--username", "admin")
    with pytest.raises(CommandError, match="已有系统管理员"):
        _setup(tmp_path, "--office", "某县委巡察办", "--username", "admin2")
    _setup(tmp_path, "--office", "某县委巡察办", "--username", "admin2", "--again")
    assert Organisation.objects.count() == 1  # the same office, found by its name
    assert access.administered_office(User.objects.get(username="admin2")).name == "某县委巡察办"


def test_a_weak_password_is_refused_in_chinese_and_nothing_is_made(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="密码太短"):
        _setup(tmp_path, "--office", "某县委巡察办", "--username", "admin", password="abc")
    with pytest.raises(CommandError, match="相似"):
        _setup(
            tmp_path,
            "--office",
            "某县委巡察办",
            "--username",
            "wanglaoshi2024",
            password="wanglaoshi2024",
        )
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_the_password_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, GOOD)
    call_command("setup", "--office", "某县委巡察办", "--username", "admin")
    assert _signs_in("admin", GOOD)


def test_without_a_terminal_or_a_password_it_says_how_to_give_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(CommandError, match="--password-file"):
        call_command("setup", "--office", "某县委巡察办", "--username", "admin")


def test_at_a_terminal_the_password_is_typed_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    typed = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    with pytest.raises(CommandError, match="不一致"):
        call_command("setup", "--office", "某县委巡察办", "--username", "admin")
    typed = iter([GOOD, GOOD])
    call_command("setup", "--office", "某县委巡察办", "--username", "admin")
    assert _signs_in("admin", GOOD)


def test_an_empty_installation_s_sign_in_page_says_to_run_the_command(tmp_path: Path) -> None:
    body = Client().get("/login/").content.decode()
    assert "尚未初始化" in body and "zhenggai setup" in body
    assert 'name="password"' not in body
    _setup(tmp_path, "--office", "某县委巡察办", "--username", "admin")
    assert 'name="password"' in Client().get("/login/").content.decode()


def test_the_command_works_on_a_fresh_database(tmp_path: Path) -> None:
    """As the operator runs it: migrate, then setup, through the `zhenggai` program."""
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "ZHENGGAI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zhenggai.settings",
        PASSWORD_VARIABLE: GOOD,
    }
    program = str(Path(sys.executable).parent / "zhenggai")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [program, *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    assert run("migrate", "-v0").returncode == 0
    made = run("setup", "--office", "某县委巡察办", "--username", "admin")
    assert made.returncode == 0, made.stderr
    again = run("setup", "--office", "某县委巡察办", "--username", "admin2")
    assert again.returncode != 0 and "已有系统管理员" in again.stderr
