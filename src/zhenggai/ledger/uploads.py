"""Checking an evidence file before it is kept (size, type by content, honest name),
and finding it again on disk.

The type is read from the first bytes, not trusted from the name, and the name's
suffix must agree with it, so a script renamed to .pdf is refused.
"""

import zipfile
from io import BytesIO
from pathlib import Path, PurePath
from typing import Protocol

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from zhenggai.refusals import NotFound, Refused


class Stored(Protocol):
    """A kept file's row: a measure's evidence, or a 回头看 check's (campaigns app)."""

    name: str
    path: str
    content_type: str


# suffix → content type, for the kinds of evidence offices file.
ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain",
}


def _sniff(content: bytes) -> set[str]:
    """The suffixes the content could honestly carry."""
    if content.startswith(b"%PDF-"):
        return {".pdf"}
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return {".png"}
    if content.startswith(b"\xff\xd8\xff"):
        return {".jpg", ".jpeg"}
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return {".doc", ".xls"}
    if content.startswith(b"PK\x03\x04"):
        return _office_zip(content)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return set()
    return {".txt"} if "\x00" not in text else set()


def _office_zip(content: bytes) -> set[str]:
    try:
        names = set(zipfile.ZipFile(BytesIO(content)).namelist())
    except zipfile.BadZipFile:
        return set()
    if "word/document.xml" in names:
        return {".docx"}
    if "xl/workbook.xml" in names:
        return {".xlsx"}
    return set()


def check_upload(name: str, content: bytes) -> str:
    """The content type to keep, or Refused with the reason in Chinese."""
    limit = settings.EVIDENCE_MAX_BYTES
    if not content:
        raise Refused(_("文件是空的"))
    if len(content) > limit:
        raise Refused(_("文件超过大小上限（%(size)s）") % {"size": f"{limit // 1048576} MB"})
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise Refused(_("不支持的文件类型，请上传 PDF、图片、Word、Excel 或文本文件"))
    if suffix not in _sniff(content):
        raise Refused(_("文件内容与扩展名不符"))
    return ALLOWED[suffix]


def file_response(evidence: Stored, *, inline: bool) -> FileResponse:
    """The stored file as a response: downloaded unless ``inline``, its stored type
    never second-guessed by the browser, sandboxed (no script, no forms, no access
    to the site) where it opens, and kept out of shared caches."""
    response = FileResponse(
        stored_path(evidence).open("rb"),
        as_attachment=not inline,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private"
    return response


def stored_path(evidence: Stored) -> Path:
    """The evidence's file on disk (``services._store`` names it by digest under
    MEDIA_ROOT); a path that leaves that folder is treated as missing."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / evidence.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(_("佐证材料文件不存在"))
    return path
