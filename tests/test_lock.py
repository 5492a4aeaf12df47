"""The lock files in requirements/ install what pyproject.toml asks for: a
dependency added to pyproject.toml without `make lock` fails here, not on a
newcomer's machine."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)", re.MULTILINE)


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text("utf-8")
    return {canonicalize_name(name): version for name, version in PINNED.findall(text)}


def _asked(extras: bool) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = list(project["dependencies"])
    if extras:
        wanted += project["optional-dependencies"]["dev"]
    return [Requirement(line) for line in wanted]


@pytest.mark.parametrize(("lock", "extras"), [("run.lock", False), ("dev.lock", True)])
def test_every_dependency_is_pinned_within_its_range(lock: str, extras: bool) -> None:
    pins = _pins(lock)
    for requirement in _asked(extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements/{lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{requirement.name}=={pins[name]} in requirements/{lock} is outside "
            f"{requirement.specifier}: run `make lock`"
        )


@pytest.mark.parametrize("lock", ["run.lock", "dev.lock"])
def test_every_pin_carries_its_hashes(lock: str) -> None:
    text = (ROOT / "requirements" / lock).read_text("utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[1])
    for entry in entries:
        if PINNED.match(entry):
            assert "--hash=sha256:" in entry, f"no hash for {entry.splitlines()[0]}"


def test_the_run_lock_leaves_the_developer_tools_out() -> None:
    assert not {"pytest", "playwright", "mypy"} & set(_pins("run.lock"))
