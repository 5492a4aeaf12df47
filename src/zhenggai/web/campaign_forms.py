"""The forms of a 回头看 campaign: the new campaign with its filters, the assignment
of checks, the result of one check. Choices come from what the page has read."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.campaigns.models import CampaignCheck
from zhenggai.campaigns.selectors import Selection
from zhenggai.inspections.models import Round
from zhenggai.services.campaigns import NAME_MAX, CampaignFields
from zhenggai.web.plan_forms import Choices, PageForm
from zhenggai.web.round_forms import DATE


def _optional(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


class CampaignForm(PageForm):
    office = forms.TypedChoiceField(label=_("巡察办"), coerce=int)
    name = forms.CharField(label=_("专项名称"), max_length=NAME_MAX)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea({"rows": 2}))
    start = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    round_id = _optional(_("巡察轮次"))
    kind = forms.ChoiceField(label=_("巡察类型"), required=False)
    category = forms.CharField(label=_("问题类别（含以下文字）"), required=False, max_length=100)
    topic_id = _optional(_("问题分类"))
    signed_from = forms.DateField(label=_("销号日期自"), required=False, widget=DATE)
    signed_to = forms.DateField(label=_("销号日期至"), required=False, widget=DATE)

    def __init__(
        self, *args: Any, offices: Choices, rounds: Choices, topics: Choices, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("（全部）"))
        self._choose("office", offices)
        self._choose("round_id", [every, *rounds])
        self._choose("kind", [every, *Round.Kind.choices])
        self._choose("topic_id", [every, *topics])

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(**{k: data[k] for k in Selection.__dataclass_fields__})

    def campaign_fields(self) -> CampaignFields:
        data = self.cleaned_data
        return CampaignFields(**{k: data[k] for k in CampaignFields.__dataclass_fields__})


class AssignForm(PageForm):
    checks = forms.TypedMultipleChoiceField(
        label=_("检查事项"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    assignee = forms.TypedChoiceField(label=_("检查人"), coerce=int)

    def __init__(self, *args: Any, checks: Choices, people: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("checks", checks)
        self._choose("assignee", people)


class RecordForm(PageForm):
    check_id = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("检查结果"),
        choices=[
            (CampaignCheck.Result.HELD, CampaignCheck.Result.HELD.label),
            (CampaignCheck.Result.RELAPSED, CampaignCheck.Result.RELAPSED.label),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("检查情况（问题反弹的，写明原因）"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    checked_on = forms.DateField(label=_("检查日期"), widget=DATE)
    evidence = forms.FileField(label=_("佐证材料"), required=False)
