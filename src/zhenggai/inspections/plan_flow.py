"""The workflow of a plan (整改方案): written by the rectification office, approved
by the first responsible person, then accepted by the inspection office (or
returned, with a comment per problem), as the office's settings say.

After its first approval the plan changes only by amendment: measures added to
the problems a 回头看 reopened, which go through the same approval.
"""

from django.utils.translation import pgettext_lazy

from zhenggai.inspections.models import Inspection
from zhenggai.inspections.moves import Move, needs_comment
from zhenggai.inspections.states import PlanState as P
from zhenggai.orgs.models import Role as R

WRITERS = frozenset({R.RECTIFICATION_OFFICE})
LEADERS = frozenset({R.FIRST_RESPONSIBLE})
OFFICE = frozenset({R.INSPECTION_OFFICE})

# The states in which the plan may be written, before and after its first approval.
DRAFTING = frozenset({P.DRAFT, P.RETURNED})
AMENDABLE = frozenset({P.APPROVED, P.AMENDING, P.RETURNED})

MOVES: dict[str, Move[Inspection]] = {
    "submit": Move(
        pgettext_lazy("move", "报送整改方案"),
        frozenset({P.DRAFT, P.RETURNED, P.AMENDING}),
        P.SUBMITTED,
        WRITERS,
    ),
    "approve": Move(
        pgettext_lazy("move", "审批整改方案"),
        frozenset({P.SUBMITTED}),
        P.OFFICE_REVIEW,
        LEADERS,
    ),
    "return": Move(
        pgettext_lazy("move", "退回整改方案"),
        frozenset({P.SUBMITTED}),
        P.RETURNED,
        LEADERS,
        (needs_comment,),
    ),
    "accept": Move(
        pgettext_lazy("move", "同意整改方案"),
        frozenset({P.OFFICE_REVIEW}),
        P.APPROVED,
        OFFICE,
    ),
    "send_back": Move(
        pgettext_lazy("move", "审核后退回整改方案"),
        frozenset({P.OFFICE_REVIEW}),
        P.RETURNED,
        OFFICE,
        (needs_comment,),
    ),
}
