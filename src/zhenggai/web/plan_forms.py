"""The forms of building a plan: the upload of the feedback, the corrections of one
problem, the plan's moves, and the assignment of many measures at once.

Choices come from what the page has already read (the plan's tree, the unit's
departments and people), so a form costs no query of its own.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from zhenggai.services import plans as plan_edits
from zhenggai.services import sources
from zhenggai.services.plans import Assignment

Choices = list[tuple[int, str]]


class PageForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels stand above their fields
        super().__init__(*args, **kwargs)

    def _choose(self, name: str, choices: Sequence[tuple[Any, Any]]) -> None:
        """Set the choices of the choice field ``name``."""
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class UploadForm(PageForm):
    organisation = forms.TypedChoiceField(label=_("被巡察单位"), coerce=int)
    file = forms.FileField(
        label=_("反馈意见文件"),
        help_text=_("Word（.docx）、文本（.txt）、PDF 或 Excel 台账（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(sources.SUFFIXES), "aria-describedby": "file-help"}
        ),
        error_messages={"empty": _("文件是空的"), "required": _("请选择要上传的文件")},
    )

    other_organisation_ok = forms.BooleanField(
        label=_("文件中写的单位与所选单位不同，仍然导入"), required=False
    )
    # The registered inspection the feedback goes into (services/sources.py).
    inspection = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("organisation", organisations)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refused before it is read, let alone kept.
        if (upload.size or 0) > sources.limit():
            raise forms.ValidationError(
                _("文件超过大小上限（%(mb)s MB）"), params={"mb": sources.limit() // 1048576}
            )
        return upload


class RetitleForm(PageForm):
    title = forms.CharField(
        label=_("问题标题"),
        max_length=plan_edits.TITLE_MAX,
        # The panel opens on this field, whether loaded or swapped in by htmx.
        widget=forms.Textarea(attrs={"rows": 2, "autofocus": True}),
    )


class MergeForm(PageForm):
    into = forms.TypedChoiceField(label=_("并入问题"), coerce=int)

    def __init__(self, *args: Any, problems: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("into", problems)


class SplitForm(PageForm):
    measures = forms.TypedMultipleChoiceField(
        label=_("拆分出去的整改措施"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(
        label=_("新问题的标题"),
        max_length=plan_edits.TITLE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, measures: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("measures", measures)


class RelocateForm(PageForm):
    category = forms.TypedChoiceField(label=_("移到类别"), coerce=int)
    position = forms.IntegerField(label=_("排在第几个问题"), min_value=1, max_value=10_000)

    def __init__(self, *args: Any, categories: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("category", categories)


class DecisionForm(PageForm):
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(PageForm):
    """One assignment for every ticked measure; an empty field leaves that part as it is."""

    measures = forms.TypedMultipleChoiceField(
        label=_("整改措施"),
        coerce=int,
        error_messages={"required": _("请勾选要分配的整改措施")},
    )
    department = forms.TypedChoiceField(
        label=_("责任部门"), coerce=int, required=False, empty_value=None
    )
    person = forms.TypedChoiceField(label=_("责任人"), coerce=int, required=False, empty_value=None)
    leader = forms.TypedChoiceField(
        label=_("责任领导"), coerce=int, required=False, empty_value=None
    )
    deadline = forms.DateField(
        label=_("首次整改时限"),
        required=False,
        help_text=_("只用于还没有整改时限的措施；已定的时限只能通过延期申请调整"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    weight = forms.IntegerField(label=_("权重"), required=False, min_value=1, max_value=100)

    def __init__(
        self,
        *args: Any,
        measures: list[int],
        departments: Choices,
        people: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unchanged = [("", _("（不修改）"))]
        self._choose("measures", [(pk, pk) for pk in measures])
        self._choose("department", unchanged + departments)
        self._choose("person", unchanged + people)
        self._choose("leader", unchanged + people)

    def assignment(self) -> Assignment:
        data = self.cleaned_data
        return Assignment(
            department_id=data["department"],
            person_id=data["person"],
            leader_id=data["leader"],
            deadline=data["deadline"],
            weight=data["weight"],
        )

    def ticked(self) -> set[int]:
        """The measures ticked, as sent: kept ticked when the form comes back refused."""
        found = set()
        for value in self.data.getlist("measures") if hasattr(self.data, "getlist") else []:
            if str(value).isdigit():
                found.add(int(value))
        return found
