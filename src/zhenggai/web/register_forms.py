"""The forms of the registers page (web/registers.py): a person held accountable,
a case lead and its disposal, a regulation, funds and a work fact. Choices (the
inspection's problems and leads) come from what the page has read; each form has
ids of its own, as the page shows them together."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.accountability.models import (
    LEGACY_KINDS,
    Action,
    FundsRecovered,
    WorkFact,
    grade_fits,
)
from zhenggai.inspections.models import CaseLead
from zhenggai.ledger import limits
from zhenggai.services import accountability as rules
from zhenggai.services import registers as register_rules
from zhenggai.services.accountability import ActionFields
from zhenggai.services.registers import Disposal
from zhenggai.web.plan_forms import Choices, PageForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
NOTHING = ("", _("（不关联）"))


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


def _optional_choice(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


class RegisterForm(PageForm):
    """A form of the page: its own ids (``auto_id``) and the problems to choose from."""

    prefix_id = ""

    def __init__(self, *args: Any, problems: Choices, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.prefix_id}_%s")
        super().__init__(*args, **kwargs)
        if "problem" in self.fields:
            self._choose("problem", [NOTHING, *problems])


class ActionForm(RegisterForm):
    prefix_id = "action"
    person_name = forms.CharField(label=_("被处理人"), max_length=rules.NAME_MAX)
    post = forms.CharField(label=_("职务"), max_length=rules.POST_MAX, required=False)
    kind = forms.ChoiceField(
        label=_("处理方式"),
        choices=[(k, label) for k, label in Action.Kind.choices if k not in LEGACY_KINDS],
    )
    kind_text = forms.CharField(
        label=_("具体方式"),
        max_length=rules.KIND_TEXT_MAX,
        required=False,
        help_text=_("处理方式为「其他」时填写，如通报批评"),
    )
    grade = forms.ChoiceField(
        label=_("处分档次"),
        choices=Action.Grade.choices,
        required=False,
        help_text=_("仅党纪处分、政务处分填写"),
    )
    reason = forms.CharField(label=_("事由"), max_length=limits.LONG_TEXT, widget=TEXT)
    problem = _optional_choice(_("涉及问题"))
    case_lead = _optional_choice(_("来源线索"))
    date = _date(_("处理日期"))
    deciding_body = forms.CharField(label=_("决定机关"), max_length=rules.BODY_MAX, required=False)
    document_number = forms.CharField(label=_("文号"), max_length=rules.NUMBER_MAX, required=False)

    def __init__(self, *args: Any, problems: Choices, leads: Choices, **kwargs: Any) -> None:
        super().__init__(*args, problems=problems, **kwargs)
        self._choose("case_lead", [NOTHING, *leads])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, grade = data.get("kind"), data.get("grade", "")
        # The service's own rule (models.grade_fits), told beside the field.
        if kind is not None and not grade_fits(kind, grade):
            self.add_error(
                "grade",
                _("「%(kind)s」没有「%(grade)s」这一档次")
                % {"kind": Action.Kind(kind).label, "grade": Action.Grade(grade).label},
            )
        return data

    def fields_of(self) -> ActionFields:
        data = self.cleaned_data
        names = ActionFields.__dataclass_fields__
        given = {k: data[k] for k in names if k in data}
        return ActionFields(**given, problem_id=data["problem"], case_lead_id=data["case_lead"])


class DisposalForm(RegisterForm):
    """How a lead was disposed of; with ``lead`` chosen, one already registered."""

    prefix_id = "lead"
    case_lead = forms.TypedChoiceField(label=_("问题线索"), coerce=int)
    disposal = forms.ChoiceField(label=_("处置方式"), choices=CaseLead.Disposal.choices)
    received = _date(_("接收日期"))
    deadline = _date(_("办结时限"))
    outcome = forms.CharField(
        label=_("办理结果"), max_length=limits.LONG_TEXT, widget=TEXT, required=False
    )
    problem = _optional_choice(_("涉及问题"))

    def __init__(self, *args: Any, problems: Choices, leads: Choices, **kwargs: Any) -> None:
        super().__init__(*args, problems=problems, **kwargs)
        self._choose("case_lead", leads)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received, deadline = data.get("received"), data.get("deadline")
        if received and deadline and deadline < received:
            self.add_error("deadline", _("办结时限不能早于接收日期"))
        return data

    def disposal_of(self) -> Disposal:
        data = self.cleaned_data
        names = ("disposal", "received", "deadline", "outcome")
        return Disposal(**{k: data[k] for k in names}, problem_id=data["problem"])


class NewLeadForm(DisposalForm):
    prefix_id = "newlead"
    description = forms.CharField(label=_("线索"), max_length=limits.LONG_TEXT, widget=TEXT)
    handed_to = forms.CharField(
        label=_("移交单位"), max_length=register_rules.HANDED_TO_MAX, required=False
    )
    field_order = ["description", "handed_to"]

    def __init__(self, *args: Any, problems: Choices, **kwargs: Any) -> None:
        super().__init__(*args, problems=problems, leads=[], **kwargs)
        del self.fields["case_lead"]


class RegulationForm(RegisterForm):
    prefix_id = "regulation"
    title = forms.CharField(label=_("制度名称"), max_length=limits.COMMENT)
    adopted_on = _date(_("出台日期"))
    issuing_body = forms.CharField(label=_("制发单位"), max_length=rules.BODY_MAX, required=False)


class FundsForm(RegisterForm):
    prefix_id = "funds"
    kind = forms.ChoiceField(label=_("类别"), choices=FundsRecovered.Kind.choices)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=rules.MAX_AMOUNT,
    )
    problem = _optional_choice(_("涉及问题"))
    date = _date(_("日期"))
    description = forms.CharField(
        label=_("说明"), max_length=limits.COMMENT, widget=TEXT, required=False
    )


class WorkFactForm(RegisterForm):
    prefix_id = "work"
    kind = forms.ChoiceField(label=_("类别"), choices=WorkFact.Kind.choices)
    date = _date(_("日期"))
    count = forms.IntegerField(
        label=_("次数"), min_value=1, max_value=register_rules.MAX_COUNT, initial=1
    )
    note = forms.CharField(label=_("说明"), max_length=limits.COMMENT, widget=TEXT, required=False)


class OwnWordsForm(RegisterForm):
    """The organisation's own paragraphs the documents print, one paragraph a line."""

    prefix_id = "words"
    work_text = forms.CharField(
        label=_("组织整改工作情况"),
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        strip=False,
    )
    next_steps_text = forms.CharField(
        label=_("下一步工作打算"),
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        strip=False,
    )
