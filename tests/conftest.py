"""The whole suite: a test run leaves nothing behind in the system's temp folder."""

import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """pytest keeps the folders of its last runs under /tmp/pytest-of-USER; each run
    here gets its own folder instead, removed when the run ends."""
    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="zhenggai-pytest-")
        config.stash[_OWN_BASETEMP] = Path(config.option.basetemp)


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_OWN_BASETEMP, None)
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)


_OWN_BASETEMP = pytest.StashKey[Path]()
