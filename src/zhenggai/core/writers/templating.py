"""Rendering a .docx template (docxtpl) with the values of ``context``.

The wording of the plan, the report and the bulletin lives in .docx templates an
office may edit in Word or WPS and upload; the defaults ship in ``templates/``.
An uploaded template is untrusted, so it runs in Jinja's sandbox with
autoescaping on: a template cannot reach Python objects, and no value can break
the document's XML.
"""

import io
import zipfile
from importlib import resources
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from zhenggai.core.errors import ParseError
from zhenggai.core.writers.gbt9704 import title_lines

KINDS = ("plan", "report", "bulletin")
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# What its parts may unpack to: a few MB of pictures at most, never a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def default_template(kind: str) -> bytes:
    return resources.files("zhenggai.core.writers").joinpath(f"templates/{kind}.docx").read_bytes()


def render(template: bytes, context: dict[str, Any]) -> bytes:
    """The filled document, or ParseError saying in Chinese what is wrong with the template."""
    document = _open(template)
    environment = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["title_lines"] = title_lines
    try:
        document.render(context, jinja_env=environment, autoescape=True)
    except jinja2.TemplateSyntaxError as error:
        raise ParseError(
            f"模板有语法错误（{error.message}），请检查 {{{{ }}}} 与 {{% %}} 标记"
        ) from None
    except jinja2.UndefinedError as error:
        raise ParseError(f"模板用到了未知的名称（{error.message}），请对照可用名称修改") from None
    except jinja2.exceptions.SecurityError:
        raise ParseError("模板试图访问不允许的内容，已拒绝") from None
    except jinja2.TemplateError as error:
        raise ParseError(f"模板无法填写：{error}") from None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _open(template: bytes) -> DocxTemplate:
    if len(template) > MAX_TEMPLATE_BYTES:
        raise ParseError(f"模板文件过大（上限 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB）")
    if not zipfile.is_zipfile(io.BytesIO(template)):
        raise ParseError(
            "模板不是 .docx 文件（Word 2007 及以后的格式），请在 Word 或 WPS 中另存为 .docx"
        )
    with zipfile.ZipFile(io.BytesIO(template)) as package:
        unpacked = sum(part.file_size for part in package.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise ParseError(f"模板文件解压后过大（上限 {MAX_UNPACKED_BYTES // 1024 // 1024} MB）")
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.init_docx()
    except Exception as error:  # python-docx raises many kinds for a broken package
        raise ParseError("模板无法打开：文件已损坏，或不是 Word 文档") from error
    return document
