"""The progress bulletins as they were published: each a snapshot, never regenerated.

A publication keeps the .docx that went out, its PDF when LibreOffice could make
one, and its paragraphs read back from that .docx, so the public page shows
exactly what was published however the ledger changes afterwards. Publishing
again adds a version; the earlier ones stay as they were.
"""

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Inspection


class Paragraph(TypedDict):
    """One paragraph of a published bulletin, below its title.

    ``level`` is the GB/T 9704 heading level its numbering shows (一、 1, （一） 2,
    1. 3, （1） 4), 0 for body text; ``align`` is "right" or "center" when the
    document set it (the signature and date are right-aligned), else "".
    """

    text: str
    level: int
    align: str


class Publication(models.Model):
    inspection = models.ForeignKey(
        # A public record: the inspection cannot be deleted from under it.
        Inspection,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    version = models.PositiveIntegerField(_("版本"))
    # The inspection's public address, the same on each of its versions: random, so
    # the public pages cannot be walked by counting.
    slug = models.SlugField(_("公开地址"), max_length=32)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.TextField(_("标题"))
    paragraphs = models.JSONField(_("正文"), default=list)  # list[Paragraph]
    docx = models.BinaryField(_("Word 文件"))
    pdf = models.BinaryField(_("PDF 文件"), null=True)
    # When a conversion to PDF last started: one try at a time, and not again at
    # once after a failure (see services.publication_pdf).
    pdf_tried_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("已发布的通报")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "version"], name="publication_unique_version"
            ),
            # The public pages' lookup: an address and its versions.
            models.UniqueConstraint(fields=["slug", "version"], name="publication_slug_version"),
        ]

    def __str__(self) -> str:
        return gettext("%(title)s（第%(version)s版）") % {
            "title": self.title,
            "version": self.version,
        }


class Acknowledgement(models.Model):
    """A contradiction of an imported document (a stated figure its parts do not add
    up to) that a publisher explained rather than resolved: the bulletin may go out
    with it, and the reason is kept (and is in the audit trail)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    warning = models.TextField(_("不一致之处"))
    reason = models.TextField(_("说明"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("说明时间"))

    class Meta:
        verbose_name = _("不一致之处的说明")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "warning"], name="acknowledgement_once_per_warning"
            )
        ]
