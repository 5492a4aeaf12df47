"""The workflow of a plan (整改方案): drafted by the rectification office,
approved by the first responsible person, or returned with a comment."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zhenggai.inspections.models import Inspection
from zhenggai.inspections.moves import Move, MoveInput, needs_comment
from zhenggai.inspections.states import PlanState as P
from zhenggai.orgs.models import Role as R


def has_measures(inspection: Inspection, _data: MoveInput) -> str | None:
    return None if inspection.measures.exists() else _("整改方案还没有任何整改措施")


MOVES: dict[str, Move[Inspection]] = {
    "submit": Move(
        pgettext_lazy("move", "报送整改方案"),
        frozenset({P.DRAFT}),
        P.SUBMITTED,
        frozenset({R.RECTIFICATION_OFFICE}),
        (has_measures,),
    ),
    "approve": Move(
        pgettext_lazy("move", "审批整改方案"),
        frozenset({P.SUBMITTED}),
        P.APPROVED,
        frozenset({R.FIRST_RESPONSIBLE}),
    ),
    "return": Move(
        pgettext_lazy("move", "退回整改方案"),
        frozenset({P.SUBMITTED}),
        P.DRAFT,
        frozenset({R.FIRST_RESPONSIBLE}),
        (needs_comment,),
    ),
}
