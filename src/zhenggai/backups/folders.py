"""The folders of the data folder a backup holds, and walking them.

``evidence`` is MEDIA_ROOT (the evidence files, named by digest); ``sources`` the
feedback originals and their lines (services/sources.py); ``exports`` the large
exports the background jobs finish (web/ledger_export.py). Everything else in the
data folder (the SQLite file, which the database part carries; static files; the
demo's passwords; backups) is not data to restore.
"""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from zhenggai.backups.databases import put

# The leftovers of a write cut short (services/ledger.py `_store`, sources.py `_write`).
PARTIAL = ".part"


def roots() -> dict[str, Path]:
    """Each folder by its name in the archive."""
    data = Path(settings.DATA_DIR).resolve()
    evidence = Path(settings.MEDIA_ROOT).resolve()
    return {"evidence": evidence, "sources": data / "sources", "exports": data / "exports"}


def files(root: Path, leaving: tuple[Path, ...] = ()) -> Iterator[Path]:
    """The regular files under ``root``, in a stable order: not links (their target
    may be anything), not .part leftovers, nothing at or under ``leaving``."""
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(n for n in subfolders if not _left(here / n, leaving))
        for name in sorted(names):
            path = here / name
            if name.endswith(PARTIAL) or _left(path, leaving):
                continue
            with_links = os.lstat(path)
            if stat.S_ISREG(with_links.st_mode):
                yield path


def first_file() -> Path | None:
    """Any file at all in the folders a restore writes to (a .part too), or None."""
    for root in roots().values():
        for folder, _subfolders, names in os.walk(root):
            if names:
                return Path(folder) / sorted(names)[0]
    return None


def place(staging: Path) -> int:
    """Move the unpacked folders from ``staging`` into place; how many files moved."""
    moved = 0
    for name, root in roots().items():
        for path in files(staging / name):
            put(path, root / path.relative_to(staging / name))
            moved += 1
    return moved


def _left(path: Path, leaving: tuple[Path, ...]) -> bool:
    return any(path == left or left in path.parents for left in leaving)
