"""The figures an imported document states, checked against the registers and the
ledger as they stand: a bulletin that said 「建立完善制度18项」 while the register
holds 17, or 「反馈问题17个」 while the ledger holds 16, is told before anything is
downloaded, and holds publication back until it is put right or explained.

The documents written from the ledger count their own parts, so their figures
agree by construction; what can disagree is what a source stated.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from zhenggai.accountability.models import Regulation
from zhenggai.documents.ledger_document import chinese
from zhenggai.inspections.models import CaseLead, Category, Inspection, Problem


@dataclass(frozen=True)
class Check:
    stated: str  # the key in Inspection.stated_totals
    counted: Callable[[Inspection], int]
    message: StrOrPromise  # names both figures: %(stated)s and %(counted)s


def _problems(inspection: Inspection) -> int:
    return Problem.objects.filter(inspection=inspection, parent__isnull=True).count()


def _categories(inspection: Inspection) -> int:
    return Category.objects.filter(inspection=inspection, title__isnull=False).count()


def _regulations(inspection: Inspection) -> int:
    return Regulation.objects.filter(inspection=inspection).count()


def _case_leads(inspection: Inspection) -> int:
    return CaseLead.objects.filter(inspection=inspection).count()


CHECKS = (
    Check("problems", _problems, _("文书称反馈问题%(stated)s个，台账中有%(counted)s个")),
    Check("categories", _categories, _("文书称问题分%(stated)s类，台账中有%(counted)s类")),
    Check(
        "regulations",
        _regulations,
        _("文书称建立完善制度%(stated)s项，建章立制台账登记%(counted)s项"),
    ),
    Check(
        "case_leads", _case_leads, _("文书称移交问题线索%(stated)s件，线索台账登记%(counted)s件")
    ),
)


def stated_differences(inspection: Inspection) -> list[str]:
    """Each figure the inspection's sources state that the ledger now contradicts, in
    words that name both figures. Nothing for a figure no source stated.

    In Chinese whatever the page's language, as the parser's warnings are: a
    publisher's explanation is kept against these words (publications.Acknowledgement).
    """
    found = []
    stated = inspection.stated_totals or {}
    for check in CHECKS:
        figure = stated.get(check.stated)
        if figure is None:
            continue
        counted = check.counted(inspection)
        if counted != figure:
            found.append(chinese(check.message) % {"stated": figure, "counted": counted})
    return found
