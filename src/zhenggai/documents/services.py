"""Uploading an office's template and returning to the default: the only writers
of ``Template``. A template is tried on a sample ledger and on the organisation's
own before it is kept, so a broken one is refused at upload, not when a bulletin
is due."""

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
from zhenggai.documents.material import material
from zhenggai.documents.models import Template
from zhenggai.inspections.models import Inspection
from zhenggai.orgs import scope
from zhenggai.refusals import Refused

# Who words the office's documents: those who write and sign them.


def template_upload(
    *, actor: User, inspection: Inspection, kind: str, name: str, content: bytes
) -> Template:
    _check(actor, inspection, kind)
    real = material(inspection)
    # The sample, then this organisation's own ledger: a template that only fails on
    # real data is refused now, not when a bulletin is due.
    for tried in ((SAMPLE, SAMPLE_EXTRAS), (real.doc, real.extras)):
        try:  # refuses a file too large, too large unpacked, or not a .docx, first
            write_docx(kind, tried[0], template=content, extras=tried[1])
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
