"""An organisation's own templates for the documents Zhenggai writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.orgs.models import Organisation


class Template(models.Model):
    """One uploaded .docx holding the wording of one kind of document.

    The latest live upload of a kind is the one used; uploads are never
    overwritten, and returning to the default retires them, so what a document
    was written from can always be found again.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", _("整改方案")
        REPORT = "report", _("整改情况报告")
        BULLETIN = "bulletin", _("整改进展情况的通报")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField(_("文书种类"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("模板文件"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    retired = models.BooleanField(_("已停用"), default=False)

    class Meta:
        verbose_name = _("文书模板")
        indexes = [models.Index(fields=["organisation", "kind", "retired"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.name}"
