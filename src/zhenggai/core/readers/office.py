"""LibreOffice, when installed: legacy .doc and WPS .wps files converted to .docx,
and written .docx files printed to PDF."""

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from zhenggai.core.errors import ParseError
from zhenggai.core.fonts import fontconfig_env
from zhenggai.core.model import Document
from zhenggai.core.readers import docx as docx_reader
from zhenggai.core.readers.sniff import is_encrypted_ooxml

CONVERT_SECONDS = 120
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = ("0", "false", "off")  # ST_OnOff's false values


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
        source.write_bytes(as_libreoffice_reads(data) if suffix == ".docx" else data)
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


def as_libreoffice_reads(data: bytes) -> bytes:
    """The .docx with every ``w:overflowPunct`` turned round, for LibreOffice to lay
    out as Word does.

    The switch lets punctuation hang past the right margin when on (ECMA-376,
    Word's 「允许标点溢出边界」). LibreOffice's import reads it the wrong way round
    (writerfilter's DomainMapper: ``ParaIsHangingPunctuation = val == 0``, in every
    version to date) while its export writes it the right way, so a document that
    forbids hanging for Word hangs in LibreOffice's PDF. An absent switch is on for
    both and stays absent. Anything that is not a readable .docx goes as it came.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [(item, package.read(item)) for item in package.infolist()]
        turned = [(item, _turned(item.filename, body)) for item, body in parts]
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError):
        return data
    if all(body is new for (_, body), (_, new) in zip(parts, turned, strict=True)):
        return data  # no switch anywhere: the package as it came, not a copy
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for item, body in turned:
            package.writestr(item, body)
    return out.getvalue()


def _turned(name: str, body: bytes) -> bytes:
    if not (name.startswith("word/") and name.endswith(".xml") and b"overflowPunct" in body):
        return body
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(body, parser)
    for switch in root.iter(f"{_W}overflowPunct"):
        on = switch.get(f"{_W}val", "1").lower() not in _OFF
        switch.set(f"{_W}val", "0" if on else "1")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


class OfficeReader:
    suffixes: tuple[str, ...] = (".doc", ".wps", ".rtf", ".odt")

    def read(self, data: bytes, suffix: str) -> Document:
        if is_encrypted_ooxml(data):
            raise ParseError("文件已加密，请先取消密码保护后再上传")
        return docx_reader.READER.read(convert(data, suffix, "docx"), ".docx")


READER = OfficeReader()
