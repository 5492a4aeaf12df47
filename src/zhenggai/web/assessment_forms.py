"""The forms of the assessment pages: the office's scheme (its indicators as rows,
deductions and grade thresholds) and an entered indicator's score with its basis
and evidence."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.assessment.models import DEDUCTIONS, THRESHOLDS, Scheme, Source
from zhenggai.services.assessments import NOTE_MAX, IndicatorFields, SchemeFields
from zhenggai.web.plan_forms import Choices, PageForm

ROWS = 8  # indicator rows offered; the blank ones are ignored


def _points(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_value=Decimal(100), decimal_places=1
    )


class SchemeForm(PageForm):
    overdue_each = _points(_("每项逾期措施扣分"))
    overdue_cap = _points(_("逾期扣分上限"))
    relapse_each = _points(_("每个反弹问题扣分"))
    relapse_cap = _points(_("反弹扣分上限"))
    false_limit = forms.IntegerField(label=_("虚报瞒报达到该次数总分计0分"), min_value=1)
    good = forms.IntegerField(label=_("“好”的最低分"), min_value=0, max_value=100)
    fairly_good = forms.IntegerField(label=_("“较好”的最低分"), min_value=0, max_value=100)
    fair = forms.IntegerField(label=_("“一般”的最低分"), min_value=0, max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(ROWS):
            self.fields[f"name_{n}"] = forms.CharField(
                label=_("指标 %(n)s") % {"n": n + 1}, max_length=100, required=False
            )
            self.fields[f"weight_{n}"] = forms.IntegerField(
                label=_("分值"), min_value=0, max_value=100, required=False
            )
            self.fields[f"source_{n}"] = forms.ChoiceField(
                label=_("来源"), choices=Source.choices, initial=Source.ENTERED
            )

    def rows(self) -> list[tuple[forms.BoundField, ...]]:
        """The indicator rows' fields, for the page's table."""
        return [(self[f"name_{n}"], self[f"weight_{n}"], self[f"source_{n}"]) for n in range(ROWS)]

    def rules_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*DEDUCTIONS, "false_limit", *THRESHOLDS)]

    def scheme_fields(self) -> SchemeFields:
        data = self.cleaned_data
        indicators = tuple(
            IndicatorFields(data[f"name_{n}"], data[f"weight_{n}"] or 0, data[f"source_{n}"])
            for n in range(ROWS)
            if data[f"name_{n}"].strip()
        )
        rest = {name: data[name] for name in (*DEDUCTIONS, "false_limit", *THRESHOLDS)}
        return SchemeFields(indicators=indicators, **rest)

    @staticmethod
    def initial_of(fields: SchemeFields | Scheme) -> dict[str, Any]:
        if isinstance(fields, Scheme):
            indicators = [
                IndicatorFields(i.name, i.weight, i.source) for i in fields.indicators.all()
            ]
        else:
            indicators = list(fields.indicators)
        found = {name: getattr(fields, name) for name in (*DEDUCTIONS, "false_limit", *THRESHOLDS)}
        for n, indicator in enumerate(indicators[:ROWS]):
            found |= {
                f"name_{n}": indicator.name,
                f"weight_{n}": indicator.weight,
                f"source_{n}": indicator.source,
            }
        return found


class EnterForm(PageForm):
    indicator = forms.TypedChoiceField(label=_("指标"), coerce=int)
    value = forms.DecimalField(
        label=_("得分（虚报瞒报填次数）"), min_value=Decimal(0), decimal_places=1
    )
    note = forms.CharField(label=_("评分依据"), max_length=NOTE_MAX, widget=forms.Textarea)
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def __init__(self, *args: Any, indicators: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("indicator", indicators)
