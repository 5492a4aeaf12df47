"""The `zhenggai` command runs Django's management commands against DATABASE_URL,
so an operator never needs a separate manage.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.support import SAMPLES

pytestmark = pytest.mark.django_db


def _zhenggai(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
        "ZHENGGAI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zhenggai.settings",
    }
    program = Path(sys.executable).parent / "zhenggai"
    return subprocess.run(
        [str(program), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_migrate_import_and_verify_through_one_command(tmp_path: Path) -> None:
    assert _zhenggai(tmp_path, "migrate", "-v0").returncode == 0
    assert (tmp_path / "ledger.sqlite3").exists()
    imported = _zhenggai(tmp_path, "import", str(SAMPLES[2]), "--org", "宽甸县融媒体中心", "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["inspection"] == 1
    verified = _zhenggai(tmp_path, "audit", "verify")
    assert verified.returncode == 0 and "审计日志完整" in verified.stdout


def test_an_unknown_command_fails_with_django_s_message(tmp_path: Path) -> None:
    result = _zhenggai(tmp_path, "no-such-command")
    assert result.returncode != 0
    assert "no-such-command" in result.stderr


def test_parse_still_needs_no_database(tmp_path: Path) -> None:
    result = _zhenggai(tmp_path, "parse", str(SAMPLES[2]))
    assert result.returncode == 0 and json.loads(result.stdout)["categories"]
    assert not (tmp_path / "ledger.sqlite3").exists()


def test_the_migrations_match_the_models() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_system_checks_pass() -> None:
    call_command("check", "--fail-level", "WARNING")
