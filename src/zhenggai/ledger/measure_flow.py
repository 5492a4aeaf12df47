"""The workflow of a measure (整改措施), as a table.

not_started ─start→ in_progress ─submit→ awaiting_sign_off ─sign_off→ signed_off
                         ↑                      │ └─continue_long_term→ long_term
                         └──────return──────────┘
signed_off / long_term ─reopen (follow-up review)→ reopened ─start/submit→ …
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zhenggai.inspections.moves import Move, MoveInput, needs_comment
from zhenggai.inspections.states import State as S
from zhenggai.ledger.models import Evidence, Measure
from zhenggai.orgs.models import Role as R

WORKERS = frozenset({R.RESPONSIBLE_PERSON, R.RECTIFICATION_OFFICE})
SIGNERS = frozenset({R.RESPONSIBLE_LEADER, R.FIRST_RESPONSIBLE})
# Who accepts or returns the evidence of a measure.
REVIEWERS = SIGNERS | {R.RECTIFICATION_OFFICE}


def has_evidence(measure: Measure, _data: MoveInput) -> str | None:
    live = measure.evidence.exclude(review=Evidence.Review.RETURNED)
    return None if live.exists() else _("请先上传佐证材料再申请销号")


def has_accepted_evidence(measure: Measure, _data: MoveInput) -> str | None:
    accepted = measure.evidence.filter(review=Evidence.Review.ACCEPTED)
    return None if accepted.exists() else _("佐证材料尚未审核认可，不能销号")


def is_long_term(measure: Measure, _data: MoveInput) -> str | None:
    if measure.type == Measure.Type.LONG_TERM:
        return None
    return _("只有长期坚持类措施可以转入长期坚持")


MOVES: dict[str, Move[Measure]] = {
    "start": Move(
        pgettext_lazy("move", "开始整改"),
        frozenset({S.NOT_STARTED, S.REOPENED}),
        S.IN_PROGRESS,
        WORKERS,
    ),
    "submit": Move(
        pgettext_lazy("move", "申请销号"),
        frozenset({S.IN_PROGRESS, S.REOPENED}),
        S.AWAITING_SIGN_OFF,
        WORKERS,
        (has_evidence,),
    ),
    "return": Move(
        pgettext_lazy("move", "退回整改"),
        frozenset({S.AWAITING_SIGN_OFF}),
        S.IN_PROGRESS,
        SIGNERS | {R.RECTIFICATION_OFFICE},
        (needs_comment,),
    ),
    "sign_off": Move(
        pgettext_lazy("move", "销号"),
        frozenset({S.AWAITING_SIGN_OFF}),
        S.SIGNED_OFF,
        SIGNERS,
        (has_accepted_evidence,),
    ),
    "continue_long_term": Move(
        pgettext_lazy("move", "转入长期坚持"),
        frozenset({S.AWAITING_SIGN_OFF}),
        S.LONG_TERM,
        SIGNERS,
        (has_accepted_evidence,),
        applies=(is_long_term,),
    ),
    "reopen": Move(
        pgettext_lazy("move", "重新整改"),
        frozenset({S.SIGNED_OFF, S.LONG_TERM}),
        S.REOPENED,
        frozenset({R.INSPECTION_OFFICE}),
        (needs_comment,),
    ),
}
