"""`zhenggai tidy`: the .part leftovers of writes that died are cleaned before a start."""

import io
import os
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command


def test_tidy_removes_old_leftovers_and_keeps_data_and_writes_in_progress(
    settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    left = tmp_path / "evidence" / "ab" / ".abcd.k2j.part"
    writing = tmp_path / "exports" / ".x.xlsx.9f.part"
    evidence = tmp_path / "evidence" / "ab" / "abcd"
    for path in (left, writing, evidence):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data")
    two_hours_ago = time.time() - 7200
    for path in (left, evidence):
        os.utime(path, (two_hours_ago, two_hours_ago))

    out = io.StringIO()
    call_command("tidy", stdout=out)

    assert not left.exists()
    assert writing.exists() and evidence.exists()
    assert "共清理 1 个遗留的临时文件" in out.getvalue()
