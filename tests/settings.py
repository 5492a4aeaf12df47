"""Settings for the test suite: the application's own, made fast and kept apart."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

if "ZHENGGAI_DATA_DIR" not in os.environ:
    # The run's own data folder, removed when the run ends (the servers and commands
    # the tests start are given it, or one of their own, and never remove it).
    os.environ["ZHENGGAI_DATA_DIR"] = tempfile.mkdtemp(prefix="zhenggai-test-")
    atexit.register(shutil.rmtree, os.environ["ZHENGGAI_DATA_DIR"], ignore_errors=True)

from zhenggai.settings import *  # noqa: F403

# STYLE.md 14: a cheap hasher, mail kept in memory.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(os.environ["ZHENGGAI_DATA_DIR"]) / "evidence"
# Django's test client asks for "testserver"; the application itself never answers to it.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405

# Kinds of job only the tests run (tests/app/job_kinds.py), as test_steps and so on.
JOBS_KINDS = {
    **JOBS_KINDS,  # noqa: F405
    **{
        f"test_{name}": f"tests.app.job_kinds.{name.upper()}"
        for name in ("steps", "refuse", "break", "overtime", "where", "nap", "nap_once")
    },
}
