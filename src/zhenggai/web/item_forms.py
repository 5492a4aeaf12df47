"""The forms of a measure's and a problem's page and what each does when it is
submitted: one service call each (progress with its files is one, kept together).

The forms check only what a person can mistype, and what Django's fields do not:
figures written as 「名称：数值」 lines, evidence files checked before any is kept.
Who may do what, in which state, is the services' business; their refusals come
back as ``Rejected``, with the form as it was filled in.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.ledger import limits, measure_flow, problem_flow
from zhenggai.ledger.models import Measure
from zhenggai.ledger.uploads import ALLOWED, check_upload
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import ledger as services
from zhenggai.web.pages import SignedInRequest

# The ledger's own limits, which the services check; here too so that the browser
# stops the typing before the service refuses it.
LONG_TEXT, COMMENT = limits.LONG_TEXT, limits.COMMENT
FIGURES, FIGURE_NAME, FIGURE_TEXT = limits.FIGURES, limits.FIGURE_NAME, limits.FIGURE_TEXT
MAX_FIGURE = limits.MAX_FIGURE
# A submission's files; Django refuses more than DATA_UPLOAD_MAX_NUMBER_FILES outright.
MAX_FILES = 20
ACCEPT = ",".join(ALLOWED)

_LINE = re.compile(r"^(?P<name>[^:：]+?)\s*[:：]\s*(?P<value>.*?)$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?$")


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _figure(value: str) -> int | float | str:
    """A number where the value is one (``1,200`` too), else the text as written."""
    if not _NUMBER.match(value):
        return value
    plain = value.replace(",", "")
    number: int | float = float(plain) + 0.0 if "." in plain else int(plain)
    return number if abs(number) <= MAX_FIGURE else value


def parse_figures(text: str) -> dict[str, int | float | str]:
    """「名称：数值」 lines into a dict, or ValidationError naming the line."""
    found: dict[str, int | float | str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line.strip())
        if match is None or not match["value"]:
            raise ValidationError(_("第 %(n)s 行应写成「名称：数值」") % {"n": number})
        name, value = match["name"], match["value"]
        if len(name) > FIGURE_NAME or len(value) > FIGURE_TEXT:
            raise ValidationError(_("第 %(n)s 行太长") % {"n": number})
        if name in found:
            raise ValidationError(_("「%(name)s」写了两次") % {"name": name})
        found[name] = _figure(value)
    if len(found) > FIGURES:
        raise ValidationError(_("数据最多 %(n)s 项") % {"n": FIGURES})
    return found


def read_uploads(files: list[UploadedFile]) -> list[tuple[str, bytes]]:
    """Each file's name and bytes, once every one of them passed the checks the
    service makes: a submission whose last file is refused keeps none of them,
    and none reaches the disk."""
    limit: int = settings.EVIDENCE_MAX_BYTES
    if len(files) > MAX_FILES:
        raise Refused(_("一次最多上传 %(n)s 个文件") % {"n": MAX_FILES})
    for file in files:
        # Django counted the size while receiving it: refused before it is read.
        if file.size is not None and file.size > limit:
            raise Refused(
                _("文件「%(name)s」超过大小上限（%(size)s）")
                % {"name": file.name, "size": filesizeformat(limit)}
            )
    # One byte more than allowed, so that an oversize file is still seen as one.
    read = [(file.name or "", bytes(file.read(limit + 1))) for file in files]
    for name, content in read:
        try:
            check_upload(name, content)
        except Refused as why:
            raise Refused(_("文件「%(name)s」：%(why)s") % {"name": name, "why": why}) from None
    return read


class _Form(forms.Form):
    """No colon after labels (the page's labels stand above their fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# The moves each page's move form offers; carrying a problem over has its own form.
MEASURE_MOVES = measure_flow.MOVES
PROBLEM_MOVES = {k: v for k, v in problem_flow.MOVES.items() if k != "carry_over"}


# --- A measure's page ----------------------------------------------------------------


class ProgressForm(_Form):
    text = forms.CharField(label=gettext_lazy("进展内容"), max_length=LONG_TEXT, widget=_text(4))
    date = forms.DateField(label=gettext_lazy("进展日期"), widget=_date())
    figures = forms.CharField(
        label=gettext_lazy("数据（可选）"),
        required=False,
        max_length=FIGURES * (FIGURE_NAME + FIGURE_TEXT + 2),
        widget=_text(3),
        help_text=gettext_lazy("每行一项，写成「名称：数值」，如「清退资金（万元）：12.5」"),
    )

    def clean_figures(self) -> dict[str, int | float | str]:
        return parse_figures(self.cleaned_data["figures"])


class EvidenceForm(_Form):
    effective_date = forms.DateField(label=gettext_lazy("生效日期"), widget=_date())
    replaces = forms.TypedChoiceField(
        label=gettext_lazy("替换以前的版本（可选）"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice: Any = self.fields["replaces"]
        choice.choices = [("", _("不替换，新增一份")), *versions]


class MoveForm(_Form):
    """A move of a measure or a problem: the button pressed names it."""

    comment = forms.CharField(
        label=gettext_lazy("意见"),
        required=False,
        max_length=COMMENT,
        widget=_text(2),
        help_text=gettext_lazy("退回或重新整改时必填"),
    )
    move = forms.CharField(max_length=50)


class ReviewForm(_Form):
    comment = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        max_length=COMMENT,
        widget=_text(2),
        help_text=gettext_lazy("退回时必填"),
    )
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")])


class ExtensionForm(_Form):
    new_deadline = forms.DateField(label=gettext_lazy("申请延期至"), widget=_date())
    reason = forms.CharField(label=gettext_lazy("延期理由"), max_length=LONG_TEXT, widget=_text(3))


class DecisionForm(_Form):
    comment = forms.CharField(
        label=gettext_lazy("审批意见"), required=False, max_length=COMMENT, widget=_text(2)
    )
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])


# --- A problem's page ----------------------------------------------------------------


class CarryOverForm(_Form):
    reason = forms.CharField(
        label=gettext_lazy("未完成整改原因"), max_length=LONG_TEXT, widget=_text(3)
    )
    next_steps = forms.CharField(
        label=gettext_lazy("下一步整改措施"), max_length=LONG_TEXT, widget=_text(3)
    )
    new_deadline = forms.DateField(label=gettext_lazy("新的整改时限"), widget=_date())
    comment = forms.CharField(
        label=gettext_lazy("意见（可选）"), required=False, max_length=COMMENT, widget=_text(2)
    )


class FollowUpForm(_Form):
    date = forms.DateField(label=gettext_lazy("检查日期"), widget=_date())
    finding = forms.CharField(label=gettext_lazy("检查情况"), max_length=LONG_TEXT, widget=_text(3))
    relapsed = forms.BooleanField(
        label=gettext_lazy("发现问题反弹，重新整改"),
        required=False,
        help_text=gettext_lazy("勾选后该问题回到「回头看后重新整改」"),
    )


# --- Submitting ---------------------------------------------------------------------


class Rejected(Exception):
    """A form refused: which one, as it was filled in, and why."""

    def __init__(self, key: str, form: forms.Form | None, reason: str, status: int) -> None:
        super().__init__(reason)
        self.key, self.form, self.reason, self.status = key, form, reason, status


class _Unparsed(Refused):
    """Input the form itself rejects; its fields say why."""


@contextmanager
def _attempt(key: str, form: forms.Form, files: bool = False) -> Iterator[None]:
    """A refusal inside becomes the form shown again with the reason; files cannot
    be put back into a file input, so the reason says to choose them again."""
    try:
        yield
    except Refused as why:
        reason = str(why)
        if files:
            reason += _("（所选文件都没有保存，请重新选择。）")
        raise Rejected(key, form, reason, 400 if isinstance(why, _Unparsed) else 409) from why


def _cleaned(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise _Unparsed(_("请按提示修改后重新提交"))
    return form.cleaned_data


def _target(request: SignedInRequest, rows: Any) -> int:
    """The row of the item a per-row form names; another item's is not found."""
    try:
        pk = int(request.POST.get("target", ""))
    except ValueError:
        pk = 0
    if not rows.filter(pk=pk).exists():
        raise NotFound(_("未找到该记录，或您无权查看"))
    return pk


# --- A measure: writing ---------------------------------------------------------------

Handler = Callable[[SignedInRequest, Any], str]


def _progress(request: SignedInRequest, measure: Measure) -> str:
    """Progress with its evidence files, all kept or none."""
    form = ProgressForm(request.POST, prefix="progress")
    files = request.FILES.getlist("progress-files")
    with _attempt("progress", form, bool(files)):
        data = _cleaned(form)
        uploads = read_uploads(files)
        services.progress_with_evidence(
            actor=request.user,
            measure_id=measure.pk,
            date=data["date"],
            text=data["text"],
            figures=data["figures"],
            files=uploads,
        )
    if uploads:
        return _("已填报整改进展，并上传 %(n)s 份佐证材料") % {"n": len(uploads)}
    return _("已填报整改进展")


def _evidence(request: SignedInRequest, measure: Measure) -> str:
    versions = [(e.pk, e.name) for e in measure.evidence.all()]
    form = EvidenceForm(request.POST, prefix="evidence", versions=versions)
    files = request.FILES.getlist("evidence-files")
    with _attempt("evidence", form, bool(files)):
        data = _cleaned(form)
        if not files:
            raise Refused(_("请选择要上传的文件"))
        if data["replaces"] is not None and len(files) > 1:
            raise Refused(_("替换以前的版本时，请只选择一个文件"))
        uploads = read_uploads(files)
        services.evidence_add_all(
            actor=request.user,
            measure_id=measure.pk,
            files=uploads,
            effective_date=data["effective_date"],
            replaces_id=data["replaces"],
        )
    return _("已上传 %(n)s 份佐证材料") % {"n": len(uploads)}


def _measure_move(request: SignedInRequest, measure: Measure) -> str:
    form = MoveForm(request.POST, prefix="move")
    with _attempt("move", form):
        data = _cleaned(form)
        services.measure_move(
            actor=request.user,
            measure_id=measure.pk,
            move=data["move"],
            data=MoveInput(comment=data["comment"]),
        )
    return _("已完成：%(move)s") % {"move": MEASURE_MOVES[data["move"]].label}


def _review(request: SignedInRequest, measure: Measure) -> str:
    pk = _target(request, measure.evidence)
    form = ReviewForm(request.POST, prefix=f"review-{pk}")
    with _attempt(f"review-{pk}", form):
        data = _cleaned(form)
        accept = data["decision"] == "accept"
        services.evidence_review(
            actor=request.user, evidence_id=pk, accept=accept, comment=data["comment"]
        )
    return _("已认可佐证材料") if accept else _("已退回佐证材料")


def _extension(request: SignedInRequest, measure: Measure) -> str:
    form = ExtensionForm(request.POST, prefix="extension")
    with _attempt("extension", form):
        data = _cleaned(form)
        services.extension_request(
            actor=request.user,
            measure_id=measure.pk,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
        )
    return _("已提交延期申请")


def _decision(request: SignedInRequest, measure: Measure) -> str:
    pk = _target(request, measure.extensions)
    form = DecisionForm(request.POST, prefix=f"decide-{pk}")
    with _attempt(f"decide-{pk}", form):
        data = _cleaned(form)
        approve = data["decision"] == "approve"
        services.extension_decide(
            actor=request.user, extension_id=pk, approve=approve, comment=data["comment"]
        )
    return _("已同意延期") if approve else _("已不同意延期")


MEASURE_FORMS: dict[str, Handler] = {
    "progress": _progress,
    "evidence": _evidence,
    "move": _measure_move,
    "review": _review,
    "extension": _extension,
    "decide": _decision,
}


# --- A problem: writing ---------------------------------------------------------------


def _problem_move(request: SignedInRequest, problem: Problem) -> str:
    form = MoveForm(request.POST, prefix="move")
    with _attempt("move", form):
        data = _cleaned(form)
        if data["move"] not in PROBLEM_MOVES:
            raise Refused(_("未知的操作"))
        services.problem_move(
            actor=request.user,
            problem_id=problem.pk,
            move=data["move"],
            data=MoveInput(comment=data["comment"]),
        )
    return _("已完成：%(move)s") % {"move": PROBLEM_MOVES[data["move"]].label}


def _carry_over(request: SignedInRequest, problem: Problem) -> str:
    form = CarryOverForm(request.POST, prefix="carry")
    with _attempt("carry", form):
        data = _cleaned(form)
        given = MoveInput(data["comment"], data["reason"], data["next_steps"], data["new_deadline"])
        services.problem_move(
            actor=request.user, problem_id=problem.pk, move="carry_over", data=given
        )
    return _("已转入长期整改")


def _follow_up(request: SignedInRequest, problem: Problem) -> str:
    form = FollowUpForm(request.POST, prefix="follow")
    with _attempt("follow", form):
        data = _cleaned(form)
        services.follow_up_record(
            actor=request.user,
            problem_id=problem.pk,
            date=data["date"],
            finding=data["finding"],
            relapsed=data["relapsed"],
        )
    return _("已记录回头看，问题重新整改") if data["relapsed"] else _("已记录回头看")


PROBLEM_FORMS: dict[str, Handler] = {
    "move": _problem_move,
    "carry": _carry_over,
    "follow": _follow_up,
}


def submit(
    request: SignedInRequest,
    item: Any,
    handlers: Mapping[str, Handler],
    again: Callable[[Rejected], HttpResponse],
) -> HttpResponse:
    """Run the form the POST names: back to the page with a message, or the page
    again with the refusal."""
    handler = handlers.get(request.POST.get("form", ""))
    try:
        if handler is None:
            raise Rejected("", None, _("无法识别提交的表单，请刷新页面后重试"), 400)
        done = handler(request, item)
    except Rejected as rejected:
        return again(rejected)
    messages.success(request, done)
    return redirect(request.path)
