"""The feedback a user uploads: checked, imported, and kept so its text can be read
beside what the parser understood.

The original is kept content-addressed under ``DATA_DIR/sources`` (the same file
twice is kept once, and no name a user chose reaches the disk), with its text as
lines beside it: the plan page reads those lines instead of parsing the file
again on every view.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePath

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.core import bounded
from zhenggai.core.errors import ParseError
from zhenggai.core.files import write_whole
from zhenggai.core.model import Document
from zhenggai.core.readers import source, text
from zhenggai.core.readers.sniff import guess_suffix
from zhenggai.core.readers.source import Line as Line  # re-exported: the pages name it
from zhenggai.inspections.models import Inspection, SourceDocument
from zhenggai.orgs import scope
from zhenggai.orgs.models import Organisation, Role
from zhenggai.refusals import Refused
from zhenggai.services.importing import import_document

# The formats feedback arrives in; others (.doc, .wps) need a converter a server may lack.
SUFFIXES = (".docx", ".txt", ".pdf", ".xlsx")

# Reading an upload runs in a bounded child (core/bounded.py): a document made to
# expand without end, or to take minutes, is refused without holding a web worker.
READING = bounded.Limits(seconds=60, memory_bytes=1536 * 1024 * 1024)

# progress(done, total, stage), as zhenggai.jobs.runner calls it.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Imported:
    """What an import did: ``inspection`` None when it stopped before storing anything
    because the document names another organisation (``named``)."""

    inspection: Inspection | None
    created: bool  # False: the same file was imported for this organisation before
    warnings: tuple[str, ...] = ()
    named: str = ""


def limit() -> int:
    return settings.EVIDENCE_MAX_BYTES


def check_feedback(name: str, content: bytes) -> str:
    """The file's suffix, or Refused: empty, too large, not a kind we read, or a
    suffix its content contradicts (a PDF renamed .docx, a picture renamed .txt)."""
    if not content:
        raise Refused(_("文件是空的"))
    if len(content) > limit():
        raise Refused(_("文件超过大小上限（%(mb)s MB）") % {"mb": limit() // 1048576})
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(_("不支持的文件类型，请上传 .docx、.txt、.pdf 或 .xlsx 文件"))
    if guess_suffix(content) != suffix:
        raise Refused(_("文件内容与扩展名不符"))
    if suffix == ".txt":
        try:
            text.decode(content)
        except ParseError as error:
            raise Refused(str(error)) from error
    return suffix


def importable_organisations(user: User) -> list[Organisation]:
    """The inspected organisations the user may import feedback for, by name."""
    own = {g.unit_id for g in scope.grants(user) if g.role == Role.RECTIFICATION_OFFICE}
    if any(g.role == Role.INSPECTION_OFFICE for g in scope.grants(user)):
        own |= scope.visible_organisations(user)
    found = Organisation.objects.filter(pk__in=own, kind=Organisation.Kind.INSPECTED)
    return list(found.order_by("name", "pk"))


def _organisation(actor: User, organisation_id: int) -> Organisation:
    organisation, roles = access.unit_for(actor, organisation_id)
    access.enforce(access.may_import(roles), roles, access.IMPORTERS, _("导入反馈意见"))
    return organisation


def feedback_import(
    *,
    actor: User,
    organisation_id: int,
    name: str,
    content: bytes,
    progress: Progress | None = None,
    other_organisation_ok: bool = False,
    inspection_id: int | None = None,
) -> Imported:
    """Import an uploaded feedback as a new inspection of the organisation, or into
    the inspection ``inspection_id`` the office registered without one (refused
    when it already has its feedback).

    A document that names another organisation than the one chosen is not stored
    unless ``other_organisation_ok``: a feedback filed under the wrong unit would
    show its problems to the wrong people.

    1. Check the file and the user's role; parse it (nothing is written yet).
    2. Keep the original and its lines (a file only: content-addressed, harmless
       if step 3 then fails).
    3. In one transaction: a file this organisation imported before gives back its
       inspection; otherwise a new inspection is made and the document imported
       into it.
    """
    step = progress or (lambda done, total, stage: None)
    organisation = _organisation(actor, organisation_id)
    if inspection_id is not None:
        # Refused before the file is parsed; checked again, locked, before writing.
        _awaiting_feedback(actor, organisation, inspection_id, hashlib.sha256(content).hexdigest())
    suffix = check_feedback(name, content)
    step(0, 3, _("正在解析文件"))
    document, lines = bounded.run(
        source.read_with_lines, content, name, suffix, limit(), limits=READING
    )
    if not other_organisation_ok and not same_organisation(document.org, organisation.name):
        step(3, 3, _("文件中的单位与所选单位不一致，未导入"))
        return Imported(None, False, named=document.org or "")
    step(1, 3, _("正在保存原文"))
    digest = store(content, lines)
    step(2, 3, _("正在写入整改方案"))
    with transaction.atomic():
        if inspection_id is not None:
            result = _attach(actor, organisation, inspection_id, document, content, name, digest)
        else:
            result = _import(actor, organisation, document, content, PurePath(name).name, digest)
    step(3, 3, _("导入完成") if result.created else _("该文件此前已导入，未重复导入"))
    return replace(result, warnings=tuple(w.why for w in document.warnings))


# Words around a unit's name that a feedback adds or leaves out: 中共…党组, …党委.
_AFFIXES = re.compile(r"^(?:中共|中国共产党)|(?:党组|党委|党总支|党支部|党工委|领导班子|委员会)+$")


def same_organisation(named: str | None, chosen: str) -> bool:
    """Whether the organisation a document names may be the one chosen: nothing named,
    or one name within the other once the party-body words around them are set aside."""
    if not named:
        return True
    a, b = (_AFFIXES.sub("", text.strip()) or text.strip() for text in (named, chosen))
    return a in b or b in a


def _import(
    actor: User,
    organisation: Organisation,
    document: Document,
    content: bytes,
    name: str,
    digest: str,
) -> Imported:
    seen = (
        SourceDocument.objects.filter(sha256=digest, inspection__organisation=organisation)
        .select_related("inspection")
        .first()
    )
    if seen is not None:
        return Imported(seen.inspection, False)
    # Made here rather than by the importer, which finds organisations by name:
    # two organisations may share one under different offices.
    inspection = Inspection.objects.create(organisation=organisation)
    chain.created(
        actor=actor, obj=inspection, inspection_id=inspection.pk, action=Action.INSPECTION_IMPORT
    )
    import_document(
        document=document,
        content=content,
        source_name=name,
        org_name=organisation.name,
        inspection_id=inspection.pk,
        actor=actor,
    )
    inspection.refresh_from_db()
    return Imported(inspection, True)


def _awaiting_feedback(
    actor: User, organisation: Organisation, inspection_id: int, digest: str, lock: bool = False
) -> Inspection | None:
    """The registered inspection the upload is for; None when this very file went
    into it already (a job run again). Refused when it is another organisation's,
    or has a feedback of its own."""
    inspection, _roles = access.inspection_for(actor, inspection_id, lock=lock)
    if inspection.organisation_id != organisation.pk:
        raise Refused(_("该巡察不属于所选单位"))
    sources = SourceDocument.objects.filter(inspection_id=inspection.pk)
    if sources.filter(sha256=digest).exists():
        return None
    if sources.exists() or inspection.categories.exists():
        raise Refused(_("该巡察已上传反馈意见，不能再次上传；如需更正，请在整改方案页面修改"))
    return inspection


def _attach(
    actor: User,
    organisation: Organisation,
    inspection_id: int,
    document: Document,
    content: bytes,
    name: str,
    digest: str,
) -> Imported:
    """The feedback imported into the registered inspection that awaited it."""
    inspection = _awaiting_feedback(actor, organisation, inspection_id, digest, lock=True)
    if inspection is None:
        return Imported(Inspection.objects.get(pk=inspection_id), False)
    chain.record(
        actor=actor,
        action=Action.FEEDBACK_ATTACH,
        obj=inspection,
        inspection_id=inspection.pk,
        after={"name": PurePath(name).name[:300], "sha256": digest},
    )
    import_document(
        document=document,
        content=content,
        source_name=PurePath(name).name,
        org_name=organisation.name,
        inspection_id=inspection.pk,
        actor=actor,
    )
    inspection.refresh_from_db()
    return Imported(inspection, True)


# --- Keeping the original -----------------------------------------------------------


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "sources"


def _path(digest: str) -> Path:
    return _folder() / digest[:2] / digest


def store(content: bytes, lines: list[Line]) -> str:
    """Keep the original and its lines; returns the SHA-256 they are kept under."""
    digest = hashlib.sha256(content).hexdigest()
    path = _path(digest)
    if not path.exists():
        write_whole(path, content)
    listed = json.dumps([asdict(line) for line in lines], ensure_ascii=False)
    write_whole(path.with_name(f"{digest}.lines.json"), listed.encode())
    return digest


def lines_of(digest: str) -> list[Line] | None:
    """The kept lines of a source; None when it was not kept (imported from the
    command line, or a data folder moved without its sources)."""
    if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        return None
    try:
        rows = json.loads(_path(digest).with_name(f"{digest}.lines.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return [Line(str(row["text"]), str(row["where"])) for row in rows]
