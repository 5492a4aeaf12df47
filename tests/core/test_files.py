"""Files written whole or not at all, and the leftovers swept."""

import errno
import os
import time
from pathlib import Path

import pytest

from zhenggai.core import files


def test_a_file_is_written_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.bin"
    files.write_whole(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert target.stat().st_mode & 0o777 == 0o600
    assert list(files.partial_files([tmp_path])) == []


def test_a_write_that_fails_leaves_the_old_file_and_no_leftover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "b.bin"
    files.write_whole(target, b"old")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        files.write_whole(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert list(files.partial_files([tmp_path])) == []


def test_old_leftovers_are_swept_and_young_ones_kept(tmp_path: Path) -> None:
    old = tmp_path / "evidence" / "ab" / ".abc.x1.part"
    young = tmp_path / "sources" / ".def.x2.part"
    kept = tmp_path / "evidence" / "ab" / "abc"
    for path in (old, young, kept):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    hour_ago = time.time() - 3601
    os.utime(old, (hour_ago, hour_ago))
    os.utime(kept, (hour_ago, hour_ago))
    assert files.sweep([tmp_path, tmp_path / "missing"], 3600) == [old]
    assert not old.exists()
    assert young.exists()
    assert kept.exists()
