"""The plan editor's forms: one measure as the rectification office writes it, and
where a problem goes when it belongs under another.

Limits are the services' (a refusal names them in Chinese and the typed text
stays in the form); the form only turns strings into values.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Measure
from zhenggai.services.plan_measures import MeasureInput
from zhenggai.web.plan_forms import Choices, PageForm

_EMPTY = [("", "—")]


class MeasureForm(PageForm):
    text = forms.CharField(
        label=_("整改措施"),
        widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),
        error_messages={"required": _("请填写整改措施")},
    )
    target = forms.CharField(
        label=_("整改目标"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    type = forms.ChoiceField(
        label=_("整改类型"), choices=Measure.Type.choices, initial=Measure.Type.TIME_BOUND
    )
    leader = forms.TypedChoiceField(
        label=_("责任领导"), coerce=int, required=False, empty_value=None
    )
    department = forms.TypedChoiceField(
        label=_("责任部门"), coerce=int, required=False, empty_value=None
    )
    person = forms.TypedChoiceField(label=_("责任人"), coerce=int, required=False, empty_value=None)
    deadline = forms.DateField(
        label=_("整改时限"),
        required=False,
        # ISO, as a date input reads it: a localised value would show empty and be lost.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按 年-月-日 填写日期，如 2026-06-30")},
    )
    weight = forms.IntegerField(label=_("权重"), initial=1, min_value=1, max_value=100)
    expected_evidence = forms.CharField(
        label=_("佐证材料要求"),
        required=False,
        help_text=_("如：会议记录、制度文件、清退凭证"),
    )

    def __init__(self, *args: Any, departments: Choices, people: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("department", _EMPTY + list(departments))
        self._choose("leader", _EMPTY + list(people))
        self._choose("person", _EMPTY + list(people))

    def measure_input(self) -> MeasureInput:
        data = self.cleaned_data
        return MeasureInput(
            text=data["text"],
            target=data["target"],
            type=data["type"],
            leader_id=data["leader"],
            department_id=data["department"],
            person_id=data["person"],
            deadline=data["deadline"],
            weight=data["weight"],
            expected_evidence=data["expected_evidence"],
        )


def initial_of(measure: Any) -> dict[str, Any]:
    """A measure of the plan's tree as the form's initial values."""
    return {
        "text": measure.text,
        "target": measure.target,
        "type": measure.type_code,
        "leader": measure.leader_id,
        "department": measure.department_id,
        "person": measure.person_id,
        "deadline": measure.deadline,
        "weight": measure.weight,
        "expected_evidence": measure.expected_evidence,
    }


class NestForm(PageForm):
    parent = forms.TypedChoiceField(label=_("放到问题下（成为其子问题）"), coerce=int)

    def __init__(self, *args: Any, problems: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("parent", problems)
