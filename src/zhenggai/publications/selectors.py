"""What the pages read of publications: only what was published, never the ledger.

The public pages find an inspection's versions by its random address; the
signed-in list finds them by the inspection the user may already read. Neither
loads the files unless it serves one.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q

from zhenggai.documents.consistency import stated_differences
from zhenggai.inspections.models import Inspection, SourceDocument
from zhenggai.publications.models import Acknowledgement, Publication

FILES = ("docx", "pdf")


@dataclass(frozen=True)
class Version:
    """A line of a list of versions."""

    pk: int
    version: int
    slug: str
    title: str
    published_at: dt.datetime
    has_pdf: bool


def _listed(**where: object) -> list[Version]:
    rows = (
        Publication.objects.filter(**where)
        .annotate(has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField()))
        .order_by("-version")
        .values_list("pk", "version", "slug", "title", "published_at", "has_pdf")
    )
    return [Version(*row) for row in rows]


def versions_at(slug: str) -> list[Version]:
    """The versions at a public address, newest first (none for an unknown one)."""
    return _listed(slug=slug)


def versions_of(inspection_id: int) -> list[Version]:
    """An inspection's versions, newest first, for the people who may read its ledger."""
    return _listed(inspection_id=inspection_id)


def version_named(slug: str, number: int) -> tuple[int, str] | None:
    """The id and title of a published version at its public address, if there is one."""
    return Publication.objects.filter(slug=slug, version=number).values_list("pk", "title").first()


def published(pk: int) -> Publication:
    """One version with its paragraphs, without its files."""
    return Publication.objects.defer(*FILES).get(pk=pk)


def open_contradictions(inspection_id: int) -> list[str]:
    """What the inspection's imported documents state that their parts contradict,
    or that the ledger now contradicts (documents.consistency), not yet explained by
    a publisher: the bulletin waits for these."""
    stored = SourceDocument.objects.filter(inspection_id=inspection_id).values_list(
        "warnings", flat=True
    )
    found = [w["why"] for ws in stored for w in ws or [] if w.get("contradiction")]
    found += stated_differences(Inspection.objects.get(pk=inspection_id))
    explained = set(
        Acknowledgement.objects.filter(inspection_id=inspection_id).values_list(
            "warning", flat=True
        )
    )
    return [why for why in dict.fromkeys(found) if why not in explained]
