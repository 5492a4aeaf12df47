"""Files written whole or not at all, and the leftovers of writes that died.

A file is written under a temporary name beside its place (``.NAME.RANDOM.part``),
flushed to disk, then renamed over it: a reader sees the old file or the new one,
never half of one. Each writer has its own temporary name, so two processes that
write the same file do not write into each other's. A crash between the write and
the rename leaves the ``.part`` file; ``sweep`` removes those once they are old
enough that no live writer can still own them.
"""

import contextlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

PARTIAL = ".part"


def write_whole(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Put ``data`` at ``path`` in one rename, private to this user unless ``mode`` says."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PARTIAL)
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        partial.chmod(mode)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def partial_files(folders: Iterable[Path]) -> Iterator[Path]:
    """Every ``.part`` file under the folders (missing folders hold none)."""
    for folder in folders:
        if folder.is_dir():
            yield from (p for p in folder.rglob(f"*{PARTIAL}") if p.is_file())


def sweep(folders: Iterable[Path], older_than_seconds: float) -> list[Path]:
    """Remove the ``.part`` files last written longer ago than the given age; the
    removed ones are returned. A younger one may belong to a write in progress."""
    limit = time.time() - older_than_seconds
    removed = []
    for path in partial_files(folders):
        with contextlib.suppress(FileNotFoundError):  # its writer finished meanwhile
            if path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path)
    return removed
