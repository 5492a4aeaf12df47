"""The forms of the office's register: a round, a team, the organisations a team
inspects, an inspection registered before its feedback. Choices come from what
the page has read."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Round
from zhenggai.services.rounds import LEADER_MAX, NAME_MAX, RoundFields
from zhenggai.web.plan_forms import Choices, PageForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _days(label: Any, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, help_text=help_text, required=False, min_value=0, max_value=730
    )


class RoundForm(PageForm):
    office = forms.TypedChoiceField(label=_("巡察办"), coerce=int)
    name = forms.CharField(label=_("轮次名称"), max_length=NAME_MAX)
    kind = forms.ChoiceField(label=_("巡察类型"), choices=Round.Kind.choices)
    start = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    plan_days = _days(_("反馈后报送整改方案（天）"), _("不填则按巡察办设置"))
    report_days = _days(_("反馈后报送整改情况报告（天）"), _("不填则按巡察办设置"))
    warn_person_days = _days(_("提醒责任人（剩余天数）"), _("不填则按巡察办设置"))
    warn_leader_days = _days(_("提醒责任领导（剩余天数）"), _("不填则按巡察办设置"))

    def __init__(self, *args: Any, offices: Choices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is None:  # editing: the round stays its office's
            del self.fields["office"]
        else:
            self._choose("office", offices)

    def round_fields(self) -> RoundFields:
        data = self.cleaned_data
        return RoundFields(**{k: data[k] for k in RoundFields.__dataclass_fields__})

    @staticmethod
    def initial_of(round: Round) -> dict[str, Any]:
        return {k: getattr(round, k) for k in RoundFields.__dataclass_fields__}


class TeamForm(PageForm):
    name = forms.CharField(label=_("巡察组名称"), max_length=NAME_MAX)
    leader = forms.CharField(label=_("组长"), max_length=LEADER_MAX, required=False)


class TeamAssignForm(PageForm):
    team = forms.TypedChoiceField(label=_("巡察组"), coerce=int)
    organisations = forms.TypedMultipleChoiceField(
        label=_("巡察的单位"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, teams: Choices, organisations: Choices, **kwargs: Any) -> None:
        # Ids of their own: the round page shows this form beside RegisterForm, whose
        # 巡察组 would otherwise share id_team, and a label would name the wrong field.
        kwargs.setdefault("auto_id", "id_assign_%s")
        super().__init__(*args, **kwargs)
        self._choose("team", teams)
        self._choose("organisations", organisations)


class RegisterForm(PageForm):
    organisation = forms.TypedChoiceField(label=_("被巡察单位"), coerce=int)
    team = forms.TypedChoiceField(label=_("巡察组"), coerce=int, required=False, empty_value=None)
    feedback_date = forms.DateField(label=_("反馈日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, teams: Choices, organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("organisation", organisations)
        self._choose("team", [("", _("（暂不指定）")), *teams])


class TeamEditForm(PageForm):
    team = forms.TypedChoiceField(label=_("巡察组"), coerce=int)
    name = forms.CharField(label=_("巡察组名称"), max_length=NAME_MAX)
    leader = forms.CharField(label=_("组长"), max_length=LEADER_MAX, required=False)

    def __init__(self, *args: Any, teams: Choices, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_team_edit_%s")
        super().__init__(*args, **kwargs)
        self._choose("team", teams)


class MoveForm(PageForm):
    """An inspection of this round put in another round, or under another team."""

    inspection = forms.TypedChoiceField(label=_("巡察"), coerce=int)
    round = forms.TypedChoiceField(label=_("调整到轮次"), coerce=int)
    team = forms.TypedChoiceField(label=_("巡察组"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, inspections: Choices, rounds: Choices, teams: Choices, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "id_move_%s")
        super().__init__(*args, **kwargs)
        self._choose("inspection", inspections)
        self._choose("round", rounds)
        self._choose("team", [("", _("（不指定）")), *teams])
