"""The layering contract (pyproject.toml, [tool.importlinter]) holds on the code,
and fails on each kind of breach planted in a copy of it: a lower layer importing
a higher one, the core importing Django or an app, two apps importing each other."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the package under ``source``, with the project's contracts."""
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", ROOT / "pyproject.toml"],
        cwd=source,
        env={**os.environ, "PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_every_contract() -> None:
    linted = _lint_imports(ROOT / "src")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "3 kept, 0 broken" in linted.stdout


@pytest.mark.parametrize(
    ("plants", "broken"),
    [
        (
            {"ledger/derived.py": "from zhenggai.web import pages"},
            "zhenggai.ledger is not allowed to import zhenggai.web",
        ),
        (
            {"core/dates.py": "import django"},
            "zhenggai.core is not allowed to import django",
        ),
        (
            {"core/numerals.py": "from zhenggai.inspections import models"},
            "zhenggai.core is not allowed to import zhenggai.inspections",
        ),
        (
            {
                "publications/present.py": "from zhenggai.inbox import models",
                "inbox/selectors.py": "from zhenggai.publications import models as published",
            },
            "zhenggai.publications is not allowed to import zhenggai.inbox",
        ),
    ],
)
def test_it_fails_on_a_planted_breach(tmp_path: Path, plants: dict[str, str], broken: str) -> None:
    copy = tmp_path / "zhenggai"
    shutil.copytree(ROOT / "src" / "zhenggai", copy, ignore=shutil.ignore_patterns("__pycache__"))
    for module, line in plants.items():
        with (copy / module).open("a", encoding="utf-8") as source:
            source.write(f"\n{line}  # planted\n")
    linted = _lint_imports(tmp_path)
    assert linted.returncode != 0
    assert broken in linted.stdout, linted.stdout
