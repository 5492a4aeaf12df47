"""The documents written from an inspection's ledger, by kind and format: one place
that the `zhenggai report` command and the ledger page's download both ask.

Everything is checked before anything is written: a kind or a format that cannot
be written is refused in Chinese, naming what can.
"""

from collections.abc import Callable
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.core.errors import ParseError
from zhenggai.core.readers import office
from zhenggai.core.writers.docx import write_docx
from zhenggai.core.writers.text import write_text
from zhenggai.core.writers.xlsx_ledger import write_ledger_xlsx
from zhenggai.documents.consistency import stated_differences
from zhenggai.documents.material import Material, material
from zhenggai.inspections.models import Inspection
from zhenggai.refusals import Refused

Writer = Callable[[Material], bytes]

KINDS = {
    "plan": gettext_lazy("整改方案"),
    "ledger": gettext_lazy("整改台账"),
    "report": gettext_lazy("整改情况报告"),
    "bulletin": gettext_lazy("整改进展情况的通报"),
}


def _docx(kind: str, m: Material) -> bytes:
    """With the organisation's template; one that fails on this ledger (it passed the
    sample at upload) gives way to the default, and the person is told why."""
    template = m.template(kind)
    if template is not None:
        try:
            return write_docx(kind, m.doc, template=template, extras=m.extras)
        except ParseError as error:
            m.notices.append(
                _("本单位上传的%(kind)s模板无法用于当前台账（%(why)s），已改用默认模板。")
                % {"kind": KINDS[kind], "why": error}
            )
    return write_docx(kind, m.doc, extras=m.extras)


def _pdf(kind: str, m: Material) -> bytes:
    return office.convert(_docx(kind, m), ".docx", "pdf")


def _text(m: Material) -> bytes:
    return write_text(m.doc).encode("utf-8")


def _xlsx(m: Material) -> bytes:
    return write_ledger_xlsx(m.doc, today=m.doc.date)


def _word(kind: str) -> dict[str, Writer]:
    return {".docx": partial(_docx, kind), ".pdf": partial(_pdf, kind)}


# What can be written, by kind and then by suffix.
WRITERS: dict[str, dict[str, Writer]] = {
    "plan": _word("plan"),
    "ledger": {".xlsx": _xlsx},
    "report": _word("report"),
    "bulletin": {**_word("bulletin"), ".txt": _text},
}


def writer_for(kind: str, suffix: str) -> Writer:
    """The writer of ``kind`` in the format of ``suffix``, or Refused saying why not."""
    if kind not in KINDS:
        raise Refused(_("未知的文书种类：%(kind)s") % {"kind": kind[:50]})
    by_suffix = WRITERS[kind]
    if suffix not in by_suffix:
        raise Refused(
            _("%(kind)s不能输出为“%(suffix)s”文件，请使用以下扩展名之一：%(allowed)s")
            % {
                "kind": KINDS[kind],
                "suffix": suffix or _("无扩展名"),
                "allowed": "、".join(by_suffix),
            }
        )
    if suffix == ".pdf" and office.soffice() is None:
        raise Refused(_("无法生成 PDF：需要 LibreOffice，但本机未安装（可改为输出 .docx）"))
    return by_suffix[suffix]


def write(inspection: Inspection, writer: Writer, notices: list[str] | None = None) -> bytes:
    """The document, with every figure computed from the ledger as it is now; what the
    writing had to say (a template replaced by the default, a figure a source stated
    that the ledger contradicts) goes into ``notices``."""
    given = material(inspection)
    try:
        return writer(given)
    except ParseError as error:  # LibreOffice could not convert
        raise Refused(_("无法生成文书：%(why)s") % {"why": error}) from error
    finally:
        if notices is not None:
            notices.extend(given.notices)
            notices.extend(stated_differences(inspection))


def file_name(inspection: Inspection, kind: str, suffix: str) -> str:
    return f"{inspection.organisation.name}{KINDS[kind]}{suffix}"
