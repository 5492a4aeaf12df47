"""整改方案, 整改情况报告 and 整改进展情况的通报 as GB/T 9704-2012 .docx files.

The wording comes from a template (the shipped default or an office's own, see
``templating``), the figures from ``context``; the layout is the template's,
and the defaults carry ``gbt9704``'s.
"""

import re

from zhenggai.core.model import Document
from zhenggai.core.writers.context import Extras, document_context
from zhenggai.core.writers.templating import default_template, render

# 「县委第一巡察组」 reports to 「县委巡察工作领导小组」
_COMMITTEE = re.compile(r"^(?P<committee>.*?委)(?:第.+?)?(?P<level>巡察|巡视)")


def write_docx(
    kind: str, doc: Document, *, template: bytes | None = None, extras: Extras | None = None
) -> bytes:
    """Document ``kind`` (plan, report, bulletin) from ``template`` or the default one."""
    context = document_context(doc, extras)
    context["superior"] = _superior(context["inspection_body"], context["level"])
    if template is None:
        return render(default_template(kind), context, trusted=True)
    return render(template, context)


def write_bulletin_docx(
    doc: Document, *, template: bytes | None = None, extras: Extras | None = None
) -> bytes:
    return write_docx("bulletin", doc, template=template, extras=extras)


def _superior(body: str, level: str) -> str:
    found = _COMMITTEE.match(body)
    committee = found["committee"] if found else ""
    return f"{committee}{level}工作领导小组"


__all__ = ["write_bulletin_docx", "write_docx"]
