"""Uploading an office's template and returning to the default: the only writers
of ``Template``. A template is tried on a sample ledger before it is kept, so a
broken one is refused at upload, not when a bulletin is due."""

import hashlib

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.core.errors import ParseError
from zhenggai.core.writers.context import SAMPLE, SAMPLE_EXTRAS
from zhenggai.core.writers.docx import write_docx
from zhenggai.documents.models import Template
from zhenggai.inspections.models import Inspection
from zhenggai.orgs import scope
from zhenggai.refusals import Refused

# Who words the office's documents: those who write and sign them.


def live_templates(organisation_id: int) -> dict[str, Template]:
    """The organisation's templates in use, by kind (one query); a kind absent uses the
    default. The latest upload wins; earlier ones stay for the record."""
    live = Template.objects.filter(organisation_id=organisation_id, retired=False).select_related(
        "uploaded_by"
    )
    chosen: dict[str, Template] = {}
    for template in live.order_by("kind", "-uploaded_at", "-pk"):
        chosen.setdefault(template.kind, template)
    return chosen


def live_template(organisation_id: int, kind: str) -> bytes | None:
    """The content of the organisation's template of ``kind`` in use, None for the default."""
    content = (
        Template.objects.filter(organisation_id=organisation_id, kind=kind, retired=False)
        .order_by("-uploaded_at", "-pk")
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else bytes(content)


def template_upload(
    *, actor: User, inspection: Inspection, kind: str, name: str, content: bytes
) -> Template:
    _check(actor, inspection, kind)
    try:  # refuses a file too large, too large unpacked, or not a .docx, before trying it
        write_docx(kind, SAMPLE, template=content, extras=SAMPLE_EXTRAS)
    except ParseError as error:
        raise Refused(_("未能采用该模板：%(why)s") % {"why": error}) from error
    with transaction.atomic():
        template = Template.objects.create(
            organisation_id=inspection.organisation_id,
            kind=kind,
            name=name[:255],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        chain.record(
            actor=actor,
            action=Action.TEMPLATE_UPLOAD,
            obj=template,
            inspection_id=inspection.pk,
            after={"kind": kind, "name": template.name, "sha256": template.sha256},
        )
    return template


def template_reset(*, actor: User, inspection: Inspection, kind: str) -> int:
    """Back to the default wording; the uploads stay, retired. Returns how many."""
    _check(actor, inspection, kind)
    with transaction.atomic():
        live = Template.objects.select_for_update().filter(
            organisation_id=inspection.organisation_id, kind=kind, retired=False
        )
        retired = live.update(retired=True)
        chain.record(
            actor=actor,
            action=Action.TEMPLATE_RESET,
            object_type="template",
            inspection_id=inspection.pk,
            after={"kind": kind, "retired": retired},
        )
    return retired


def _check(actor: User, inspection: Inspection, kind: str) -> None:
    if kind not in Template.Kind.values:
        raise Refused(_("未知的文书种类：%(kind)s") % {"kind": kind[:50]})
    roles = scope.roles_in(actor, inspection.organisation_id)
    access.enforce(
        access.may_change_templates(roles), roles, access.TEMPLATE_EDITORS, _("更换文书模板")
    )
