"""Publishing the progress bulletin, and its PDF made later when it could not be made
at once. The only writers of publications (STYLE.md 2)."""

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.core.errors import ParseError
from zhenggai.core.readers import office
from zhenggai.documents import reports
from zhenggai.inspections.models import Inspection
from zhenggai.publications import paragraphs, selectors
from zhenggai.publications.models import Acknowledgement, Publication
from zhenggai.refusals import Refused

logger = logging.getLogger(__name__)

# After a failed conversion, the public PDF link tries again no sooner than this.
PDF_RETRY = dt.timedelta(minutes=10)


def publishable(actor: User, inspection_id: int) -> Inspection:
    """The inspection, if ``actor`` may publish its bulletin; else NotFound or Refused."""
    inspection, roles = access.inspection_for(actor, inspection_id, related=("organisation",))
    access.enforce(access.may_publish(roles), roles, access.PUBLISHERS, _("发布整改进展情况的通报"))
    return inspection


def _pdf(docx: bytes) -> bytes | None:
    """The PDF of the .docx, or None without LibreOffice or when it fails (the
    publication goes out without it; the public link can make it later)."""
    if office.soffice() is None:
        return None
    try:
        return office.convert(docx, ".docx", "pdf")
    except ParseError:
        logger.exception("the bulletin could not be converted to PDF")
        return None


def _digest(content: bytes | None) -> str | None:
    return hashlib.sha256(content).hexdigest() if content is not None else None


def _record(publication: Publication, actor: User | None, *, action: Action) -> None:
    """The audit event: what went out, by digest (the files themselves are the row's)."""
    after: dict[str, Any] = {
        "version": publication.version,
        "slug": publication.slug,
        "title": publication.title,
        "published_at": publication.published_at,
        "docx_sha256": _digest(bytes(publication.docx)),
        "pdf_sha256": _digest(bytes(publication.pdf) if publication.pdf is not None else None),
    }
    chain.record(
        actor=actor,
        action=action,
        obj=publication,
        inspection_id=publication.inspection_id,
        after=after,
    )


def publish(*, actor: User, inspection_id: int, notices: list[str] | None = None) -> Publication:
    """Publish the bulletin as the ledger says it now, as the next version.

    1. Check that the actor may publish.
    2. Write the .docx from the ledger and convert it to PDF, outside the
       transaction: LibreOffice takes seconds, and a row lock held that long
       would stall the inspection's other work.
    3. In one transaction: lock the inspection (publications of it queue here),
       number the version, keep the snapshot and record the audit event.
    """
    inspection = publishable(actor, inspection_id)
    unexplained = selectors.open_contradictions(inspection.pk)
    if unexplained:
        raise Refused(
            _("发布前请先核实，或逐条说明以下不一致之处：%(list)s")
            % {"list": "；".join(unexplained)}
        )
    docx = reports.write(inspection, reports.writer_for("bulletin", ".docx"), notices)
    pdf = _pdf(docx)
    tried = timezone.now() if pdf is None and office.soffice() else None
    title, body = paragraphs.read(docx)
    with transaction.atomic():
        Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
        earlier = Publication.objects.filter(inspection_id=inspection.pk)
        last = earlier.aggregate(last=Max("version"))["last"] or 0
        slug = earlier.values_list("slug", flat=True).first() or secrets.token_urlsafe(12)
        publication = Publication.objects.create(
            inspection_id=inspection.pk,
            version=last + 1,
            slug=slug,
            published_at=timezone.now(),
            published_by=actor,
            title=title or _("整改进展情况的通报"),
            paragraphs=body,
            docx=docx,
            pdf=pdf,
            pdf_tried_at=tried,
        )
        _record(publication, actor, action=Action.PUBLICATION_PUBLISH)
    return publication


REASON_MOST = 2_000


def contradiction_explain(
    *, actor: User, inspection_id: int, warning: str, reason: str
) -> Acknowledgement:
    """A publisher explains a contradiction the imported document holds (why the
    bulletin may go out with it), once per contradiction, audited."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("请写明说明理由"))
    if len(reason) > REASON_MOST:
        raise Refused(_("说明理由不超过%(n)s字") % {"n": REASON_MOST})
    with transaction.atomic():
        inspection = publishable(actor, inspection_id)
        Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
        if warning not in selectors.open_contradictions(inspection.pk):
            raise Refused(_("该不一致之处不存在或已说明"))
        made = Acknowledgement.objects.create(
            inspection=inspection,
            warning=warning,
            reason=reason,
            acknowledged_by=actor,
            acknowledged_at=timezone.now(),
        )
        chain.created(
            actor=actor, obj=made, inspection_id=inspection.pk, action=Action.CONTRADICTION_EXPLAIN
        )
    return made


def _claim_conversion(publication_id: int) -> bool:
    """Compare-and-swap on ``pdf_tried_at``: True for the one request that may convert
    now; the others, and everyone for a while after a failure, are told to wait."""
    now = timezone.now()
    stale = Q(pdf_tried_at__isnull=True) | Q(pdf_tried_at__lt=now - PDF_RETRY)
    claimed = Publication.objects.filter(stale, pk=publication_id, pdf__isnull=True).update(
        pdf_tried_at=now
    )
    return claimed == 1


def publication_pdf(*, publication_id: int) -> bytes | None:
    """The version's PDF; converted now, once, if it was published without one and
    LibreOffice is here now. None while it cannot be had."""
    row = Publication.objects.filter(pk=publication_id).values_list("pdf", flat=True).first()
    if row is not None:
        return bytes(row)
    if office.soffice() is None or not _claim_conversion(publication_id):
        return None
    docx = Publication.objects.values_list("docx", flat=True).get(pk=publication_id)
    pdf = _pdf(bytes(docx))
    if pdf is None:
        return None
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication_id)
        if publication.pdf is None:
            publication.pdf = pdf
            publication.save(update_fields=["pdf"])
            # No actor: the first public request for it caused the conversion.
            _record(publication, None, action=Action.PUBLICATION_PDF)
    return bytes(publication.pdf)
