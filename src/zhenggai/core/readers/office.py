"""Legacy .doc and WPS .wps files, converted to .docx by LibreOffice when installed."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from zhenggai.core.errors import ParseError
from zhenggai.core.fonts import fontconfig_env
from zhenggai.core.model import Document
from zhenggai.core.readers import docx as docx_reader
from zhenggai.core.readers.sniff import is_encrypted_ooxml

CONVERT_SECONDS = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str) -> bytes:
    """Convert with a private LibreOffice profile, so parallel runs do not collide.

    The GB/T 9704 font names resolve to free faces (zhenggai.core.fonts) for
    this process only; an office whose fonts are installed gets those.
    """
    program = soffice()
    if program is None:
        raise ParseError(
            f"无法读取 {suffix} 文件：需要 LibreOffice 转换此格式，但本机未安装"
            "（请安装 LibreOffice，或在 Word/WPS 中另存为 .docx 后再上传）"
        )
    with tempfile.TemporaryDirectory(prefix="zhenggai-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            f"{tmp}/out",
            str(source),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=CONVERT_SECONDS,
                check=False,
                env=fontconfig_env(Path(tmp)),
            )
        except subprocess.TimeoutExpired:
            raise ParseError(f"转换 {suffix} 文件超时（超过 {CONVERT_SECONDS} 秒）") from None
        produced = list(Path(tmp, "out").glob("*"))
        if not produced:
            raise ParseError(
                f"无法读取该 {suffix} 文件：LibreOffice 未能转换，文件可能已损坏或已加密"
            )
        return produced[0].read_bytes()


class OfficeReader:
    suffixes: tuple[str, ...] = (".doc", ".wps", ".rtf", ".odt")

    def read(self, data: bytes, suffix: str) -> Document:
        if is_encrypted_ooxml(data):
            raise ParseError("文件已加密，请先取消密码保护后再上传")
        return docx_reader.READER.read(convert(data, suffix, "docx"), ".docx")


READER = OfficeReader()
