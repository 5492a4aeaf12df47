"""The ledger page's export: exactly the measures its filter selects, in its order,
as .xlsx. A small one is answered at once; a large one is written by a background
job whose page shows its progress and then offers the file, so no request waits
on it."""

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai import access
from zhenggai.core.files import write_whole
from zhenggai.inspections.models import Inspection
from zhenggai.inspections.states import State
from zhenggai.jobs.kinds import Kind, Progress
from zhenggai.jobs.models import Job
from zhenggai.jobs.runner import job_start
from zhenggai.jobs.selectors import job_for
from zhenggai.ledger import derived, selectors
from zhenggai.refusals import NotFound
from zhenggai.web import sheets
from zhenggai.web.ledger_forms import LedgerFilters
from zhenggai.web.pages import SignedInRequest, signed_in

EXPORT_JOB = "ledger_export"
# Up to this many rows the export is written in the request (well under a second).
AT_ONCE = 2_000
CHUNK = 1_000  # rows read per step of a job, between two progress reports

# The export's columns: header, width in characters.
COLUMNS = [
    (gettext_lazy("序号"), 6),
    (gettext_lazy("问题类别"), 20),
    (gettext_lazy("具体问题"), 40),
    (gettext_lazy("整改措施"), 60),
    (gettext_lazy("责任领导"), 12),
    (gettext_lazy("责任部门"), 12),
    (gettext_lazy("责任人"), 12),
    (gettext_lazy("整改时限"), 12),
    (gettext_lazy("完成情况"), 12),
    (gettext_lazy("是否逾期"), 12),
]


def _row(number: int, m: selectors.Listed, today: dt.date) -> list[Any]:
    overdue = derived.is_overdue(m.deadline, m.state, today, m.plan_approved is not None)
    state = State(m.state).label if m.state in State.values else m.state
    return [
        number,
        m.category_title,
        m.problem_title,
        m.text,
        m.leader,
        m.department,
        m.person,
        m.deadline,
        str(state),
        _("逾期") if overdue else "",
    ]


def _rows(found: Any, count: int, today: dt.date, progress: Progress | None) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for page in range(1, -(-count // CHUNK) + 1):
        _total, listed = selectors.page_of(found, page, CHUNK)
        rows += [_row(len(rows) + n, m, today) for n, m in enumerate(listed, 1)]
        if progress is not None:
            progress(len(rows), count, _("正在读取整改措施"))
    return rows


def _exports() -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _found(inspection: Inspection, query: QueryDict) -> Any:
    """The measures the ledger page's filter (its query) selects, in its order."""
    wanted = LedgerFilters(query, inspection).wanted()
    scope = Inspection.objects.filter(pk=inspection.pk)
    return selectors.measures_matching(scope, wanted, timezone.localdate())


def _name(inspection: Inspection) -> str:
    return _("整改台账-%(id)s.xlsx") % {"id": inspection.pk}


@signed_in
def export(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection, _roles = access.inspection_for(request.user, pk)
    count = _found(inspection, request.GET).count()
    if count <= AT_ONCE:
        rows = _rows(_found(inspection, request.GET), count, timezone.localdate(), None)
        workbook = sheets.workbook([(_("整改台账"), COLUMNS, rows)])
        return sheets.download(workbook, _name(inspection))
    arguments = {"inspection": inspection.pk, "query": request.GET.urlencode()}
    job = job_start(owner=request.user, kind=EXPORT_JOB, arguments=arguments)
    return redirect("web:job", pk=job.pk)


def _export(job: Job, progress: Progress) -> dict[str, Any]:
    """The export a job was asked for, read through the owner's own door to the
    inspection (a role lost meanwhile stops it), written as one file under a name
    nobody can guess."""
    inspection, _roles = access.inspection_for(job.owner, int(job.arguments["inspection"]))
    found = _found(inspection, QueryDict(str(job.arguments["query"])))
    count = found.count()
    rows = _rows(found, count, timezone.localdate(), progress)
    progress(count, count, _("正在生成 Excel 文件"))
    file = f"{uuid.uuid4().hex}.xlsx"
    write_whole(_exports() / file, sheets.workbook([(_("整改台账"), COLUMNS, rows)]))
    return {"download": file, "name": _name(inspection), "back": inspection.pk}


# Run again when its worker died: it writes nothing but its own file, whole or not at all.
EXPORT = Kind(gettext_lazy("导出整改台账"), _export, rerun=True)


@signed_in
def download(request: SignedInRequest, pk: int) -> FileResponse:
    """The file a finished export job wrote, for the user who asked for it."""
    try:
        result = job_for(request.user, pk, done=True).result or {}
    except NotFound:
        result = {}
    path = _exports() / str(result.get("download", "")) if "download" in result else None
    if path is None or path.parent != _exports() or not path.is_file():
        raise NotFound(_("未找到该导出文件"))
    name = str(result.get("name", path.name))
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
