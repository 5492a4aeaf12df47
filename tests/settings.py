"""Settings for the test suite: the application's own, made fast and kept apart."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ZHENGGAI_DATA_DIR", tempfile.mkdtemp(prefix="zhenggai-test-"))

from zhenggai.settings import *  # noqa: F403

# STYLE.md 14: a cheap hasher, mail kept in memory.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(os.environ["ZHENGGAI_DATA_DIR"]) / "evidence"
