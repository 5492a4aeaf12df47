"""The weekly dispatch (每周调度) of an inspection, for the Monday meeting: what moved
in the last seven days, what is late, who must act — as a page, and as a one-click
.xlsx with a sheet per list.

Both read ``ledger.dispatch.dispatch`` (a fixed number of queries). Whoever
may read the inspection's ledger may read its dispatch (``access.inspection_for``).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai import access
from zhenggai.inspections.models import Inspection
from zhenggai.ledger import derived
from zhenggai.ledger import dispatch as selectors
from zhenggai.web import sheets
from zhenggai.web.pages import SignedInRequest, signed_in

WARNINGS = {
    derived.Warning.RED: gettext_lazy("红"),
    derived.Warning.YELLOW: gettext_lazy("黄"),
    derived.Warning.GREEN: gettext_lazy("绿"),
    derived.Warning.DONE: gettext_lazy("已完成"),
}


def _inspection(request: SignedInRequest, pk: int) -> Inspection:
    inspection, _roles = access.inspection_for(request.user, pk, related=("organisation",))
    return inspection


@signed_in
def page(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    found = selectors.dispatch(inspection, timezone.now())
    context = {"inspection": inspection, "dispatch": found}
    return render(request, "web/dispatch.html", context)


# --- The sheet ---------------------------------------------------------------------


# Headers are translated when a sheet is written.
MOVED_COLUMNS = [
    (gettext_lazy("时间"), 18),
    (gettext_lazy("操作人"), 16),
    (gettext_lazy("事项"), 80),
]
LATE_COLUMNS = [
    (gettext_lazy("整改措施"), 50),
    (gettext_lazy("问题"), 30),
    (gettext_lazy("责任部门"), 16),
    (gettext_lazy("责任人"), 12),
    (gettext_lazy("责任领导"), 12),
    (gettext_lazy("整改时限"), 12),
    (gettext_lazy("逾期天数"), 10),
]
SIGN_COLUMNS = [
    (gettext_lazy("类型"), 10),
    (gettext_lazy("事项"), 50),
    (gettext_lazy("责任领导"), 12),
    (gettext_lazy("责任部门"), 16),
    (gettext_lazy("责任人"), 12),
    (gettext_lazy("整改时限"), 12),
]
REVIEW_COLUMNS = [
    (gettext_lazy("佐证材料"), 30),
    (gettext_lazy("整改措施"), 50),
    (gettext_lazy("责任部门"), 16),
    (gettext_lazy("提交人"), 12),
    (gettext_lazy("上传时间"), 18),
]
SOON_COLUMNS = [
    (gettext_lazy("责任部门"), 16),
    (gettext_lazy("责任人"), 12),
    (gettext_lazy("整改措施"), 50),
    (gettext_lazy("整改时限"), 12),
    (gettext_lazy("剩余天数"), 10),
    (gettext_lazy("预警"), 8),
]


def _parts(d: selectors.Dispatch) -> list[sheets.Sheet]:
    """A sheet per list of the page, in its order."""
    problem, measure = _("问题"), _("整改措施")
    signs = [[measure, m.text, m.leader, m.department, m.person, m.deadline] for m in d.to_sign]
    signs += [[problem, p.title, "", "", "", None] for p in d.problems_to_sign]
    return [
        (_("本周动态"), MOVED_COLUMNS, [[m.at, m.who, m.sentence] for m in d.moved]),
        (
            _("逾期事项"),
            LATE_COLUMNS,
            [
                [m.text, m.problem, m.department, m.person, m.leader, m.deadline, m.days]
                for m in d.late
            ],
        ),
        (_("待销号"), SIGN_COLUMNS, signs),
        (
            _("待审核佐证材料"),
            REVIEW_COLUMNS,
            [[r.name, r.measure, r.department, r.supplied_by, r.uploaded_at] for r in d.to_review],
        ),
        (
            _("临近时限"),
            SOON_COLUMNS,
            [
                [m.department, m.person, m.text, m.deadline, m.days, str(WARNINGS[m.warning])]
                for m in d.due_soon
            ],
        ),
    ]


@signed_in
def sheet(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    found = selectors.dispatch(inspection, timezone.now())
    name = _("每周调度-%(id)s-%(date)s.xlsx") % {"id": inspection.pk, "date": found.today}
    return sheets.download(sheets.workbook(_parts(found)), name)
