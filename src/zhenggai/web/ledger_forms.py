"""The ledger page's filters: the query string read into a ``MeasureFilter``.

A value that does not parse (a wrong date, an unknown state) is named in Chinese
and left out of the filter; the rest of the filter still applies.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Inspection
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Measure
from zhenggai.ledger.selectors import ORDERS, MeasureFilter
from zhenggai.orgs import selectors as org_selectors

PAGE_SIZE = 50

SORTS = [
    ("position", _("台账顺序")),
    ("deadline", _("整改时限（早→晚）")),
    ("-deadline", _("整改时限（晚→早）")),
    ("state", _("状态")),
]
assert {name for name, _label in SORTS} == set(ORDERS)

OVERDUE = [("", _("全部")), ("1", _("仅逾期")), ("0", _("未逾期"))]


def _people_choices(
    inspection: Inspection, field: str, members: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Assigned users or units (``id:``) and the names the imported ledger gives (``name:``)."""
    names = (
        Measure.objects.filter(inspection=inspection)
        .exclude(**{field: ""})
        .values_list(field, flat=True)
        .distinct()
        .order_by(field)
    )
    return [("", _("全部")), *members, *((f"name:{n}", n) for n in names)]


class LedgerFilters(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    category = forms.TypedChoiceField(
        label=_("问题类别"), required=False, coerce=int, empty_value=None
    )
    state = forms.MultipleChoiceField(label=_("状态"), required=False, choices=State.choices)
    type = forms.MultipleChoiceField(
        label=_("措施类型"), required=False, choices=Measure.Type.choices
    )
    department = forms.ChoiceField(label=_("责任部门"), required=False)
    person = forms.ChoiceField(label=_("责任人"), required=False)
    overdue = forms.ChoiceField(label=_("逾期"), required=False, choices=OVERDUE)
    deadline_from = forms.DateField(label=_("时限从"), required=False)
    deadline_to = forms.DateField(label=_("时限到"), required=False)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, data: Any, inspection: Inspection) -> None:
        super().__init__(data, label_suffix="")
        self.inspection = inspection
        categories = inspection.categories.order_by("position").values_list(
            "pk", "position", "title"
        )
        named = [
            (pk, title or _("第%(n)s类") % {"n": position}) for pk, position, title in categories
        ]
        self._choose("category", [("", _("全部")), *named])
        unit = inspection.organisation_id
        departments = [(f"id:{pk}", name) for pk, name in org_selectors.department_choices(unit)]
        self._choose("department", _people_choices(inspection, "department_name", departments))
        people = [(f"id:{pk}", name) for pk, name in org_selectors.member_choices(unit)]
        self._choose("person", _people_choices(inspection, "person_name", people))

    def _choose(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def wanted(self) -> MeasureFilter:
        """The filter from the fields that parsed."""
        self.is_valid()  # a field that fails is absent from cleaned_data: left out
        data = self.cleaned_data
        department, department_name = _split(data.get("department"))
        person, person_name = _split(data.get("person"))
        overdue = data.get("overdue")
        return MeasureFilter(
            inspection=self.inspection.pk,
            category=data.get("category"),
            states=tuple(data.get("state") or ()),
            types=tuple(data.get("type") or ()),
            department=department,
            department_name=department_name,
            person=person,
            person_name=person_name,
            overdue=None if not overdue else overdue == "1",
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            q=data.get("q") or None,
            sort=data.get("sort") or "position",
        )

    def page_number(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("page") or 1


def _split(value: str | None) -> tuple[int | None, str | None]:
    """``id:7`` → (7, None); ``name:新闻部`` → (None, "新闻部")."""
    kind, _sep, rest = (value or "").partition(":")
    if kind == "id" and rest.isdigit():
        return int(rest), None
    if kind == "name" and rest:
        return None, rest
    return None, None
