"""What a file is by its first bytes, for names without a suffix and for lying suffixes."""

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def guess_suffix(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return ".zip"
        if "word/document.xml" in names:
            return ".docx"
        if "xl/workbook.xml" in names:
            return ".xlsx"
        return ".zip"
    if data.startswith(OLE_MAGIC):
        return ".doc"
    return ".txt"


def is_encrypted_ooxml(data: bytes) -> bool:
    """Password-protected .docx/.xlsx are OLE containers holding an EncryptionInfo stream."""
    return data.startswith(OLE_MAGIC) and "EncryptionInfo".encode("utf-16-le") in data
