"""The whole suite: a test run leaves nothing behind in the system's temp folder."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The suite's property tests draw the same examples on every run, so that a
# run on main passes or fails for what changed, not for the draw. Set
# HYPOTHESIS_PROFILE=explore to search fresh examples while developing.
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


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
