"""Readers: one small module per input format, registered here.

Each reader turns the bytes of one format into a ``Document``; text-like
formats go through the structure parser, ledgers (.xlsx) map their columns.
Adding a format: write ``readers/<format>.py`` with a ``Reader`` and add it to
``READERS`` (see CONTRIBUTING.md).
"""

from pathlib import Path
from typing import Protocol

from zhenggai.core.errors import ParseError
from zhenggai.core.model import Document
from zhenggai.core.readers import docx, office, pdf, text, xlsx
from zhenggai.core.readers.sniff import guess_suffix

MAX_BYTES = 20 * 1024 * 1024


class Reader(Protocol):
    suffixes: tuple[str, ...]

    def read(self, data: bytes, suffix: str) -> Document: ...


READERS: tuple[Reader, ...] = (text.READER, docx.READER, pdf.READER, xlsx.READER, office.READER)


def _reader_for(suffix: str) -> Reader:
    for reader in READERS:
        if suffix in reader.suffixes:
            return reader
    known = "、".join(s for r in READERS for s in r.suffixes)
    raise ParseError(f"不支持的文件类型“{suffix or '无扩展名'}”，可读取的类型：{known}")


def parse_bytes(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> Document:
    """Parse one document held in memory; ``name`` supplies the format by its suffix."""
    if not data:
        raise ParseError("文件为空")
    if len(data) > max_bytes:
        raise ParseError(
            f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB"
        )
    suffix = Path(name).suffix.lower() or guess_suffix(data)
    return _reader_for(suffix).read(data, suffix)


def parse_file(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ParseError(
                f"文件过大（{size / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise ParseError(f"这是一个文件夹，不是文件：{path}") from None
    except PermissionError:
        raise ParseError(f"没有读取权限：{path}") from None
    return parse_bytes(data, path.name, max_bytes)
