"""The documents written from an inspection's ledger, by kind and format: one place
that the `zhenggai report` command and the ledger page's download both ask.

Everything is checked before anything is written: a kind or a format that cannot
be written is refused in Chinese, naming what can.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.core.errors import ParseError
from zhenggai.core.model import Document
from zhenggai.core.readers import office
from zhenggai.core.writers.docx import write_bulletin_docx
from zhenggai.core.writers.text import write_text
from zhenggai.core.writers.xlsx_ledger import write_ledger_xlsx
from zhenggai.inspections.ledger_document import ledger_document, ledger_rows
from zhenggai.inspections.models import Inspection
from zhenggai.refusals import Refused

Writer = Callable[[Document], bytes]

KINDS = {
    "plan": gettext_lazy("整改方案"),
    "ledger": gettext_lazy("整改台账"),
    "report": gettext_lazy("整改情况报告"),
    "bulletin": gettext_lazy("整改进展情况的通报"),
}


def _bulletin_pdf(doc: Document) -> bytes:
    return office.convert(write_bulletin_docx(doc), ".docx", "pdf")


def _bulletin_text(doc: Document) -> bytes:
    return write_text(doc).encode("utf-8")


# What can be written today, by kind and then by suffix.
WRITERS: dict[str, dict[str, Writer]] = {
    "bulletin": {".docx": write_bulletin_docx, ".txt": _bulletin_text, ".pdf": _bulletin_pdf},
    "ledger": {".xlsx": write_ledger_xlsx},
}


def _supported() -> str:
    return "；".join(f"{KINDS[kind]}（{'、'.join(by)}）" for kind, by in WRITERS.items())


def writer_for(kind: str, suffix: str) -> Writer:
    """The writer of ``kind`` in the format of ``suffix``, or Refused saying why not."""
    if kind not in KINDS:
        raise Refused(_("未知的文书种类：%(kind)s") % {"kind": kind[:50]})
    if kind not in WRITERS:
        raise Refused(
            _("尚未支持生成%(kind)s。目前可生成：%(supported)s")
            % {"kind": KINDS[kind], "supported": _supported()}
        )
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


def write(inspection: Inspection, writer: Writer) -> bytes:
    """The document, with every figure computed from the ledger as it is now."""
    try:
        return writer(ledger_document(ledger_rows(inspection)))
    except ParseError as error:  # LibreOffice could not convert
        raise Refused(_("无法生成文书：%(why)s") % {"why": error}) from error


def file_name(inspection: Inspection, kind: str, suffix: str) -> str:
    return f"{inspection.organisation.name}{KINDS[kind]}{suffix}"
