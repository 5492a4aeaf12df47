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

from zhenggai.core import bounded
from zhenggai.core.errors import ParseError
from zhenggai.core.writers.gbt9704 import title_lines

KINDS = ("plan", "report", "bulletin")
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# What its parts may unpack to: a few MB of pictures at most, never a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def default_template(kind: str) -> bytes:
    return resources.files("zhenggai.core.writers").joinpath(f"templates/{kind}.docx").read_bytes()


# An office's template runs in a bounded child process (core/bounded.py): a loop
# without end or a value that grows without end stops there, not in a web worker.
UNTRUSTED = bounded.Limits(seconds=10, memory_bytes=768 * 1024 * 1024)
# The largest string or list one ``*`` may make ('x' * 200000000 is refused at once).
MAX_PRODUCT = 1_000_000


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, refusing a repetition that would make a huge value."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise jinja2.exceptions.SecurityError("exponent too large")
        if operator == "*" and _size(left) * _size(right) > MAX_PRODUCT:
            raise ParseError(f"模板中的重复运算结果过大（上限 {MAX_PRODUCT} 个字符或项）")
        return super().call_binop(context, operator, left, right)


def _size(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value)
    return len(value) if isinstance(value, (str, list, tuple)) else 1


def render(template: bytes, context: dict[str, Any], *, trusted: bool = False) -> bytes:
    """The filled document, or ParseError saying in Chinese what is wrong with the
    template; an untrusted one (an office's upload) runs under ``UNTRUSTED``."""
    if trusted:
        return _render(template, context)
    return bounded.run(_render, template, context, limits=UNTRUSTED)


def _render(template: bytes, context: dict[str, Any]) -> bytes:
    document = _open(template)
    environment = _Sandbox(autoescape=True, undefined=jinja2.StrictUndefined)
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
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        # Jinja evaluates Python expressions: a division by zero or a bad index in
        # the template is the template's fault, told as such.
        raise ParseError(f"模板无法填写：{type(error).__name__}") from None
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
