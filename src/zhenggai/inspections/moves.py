"""What every workflow table is made of: moves, their requirements, and the check
that either names the move to make or refuses with the reason."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from django.utils.translation import gettext as _

from zhenggai.orgs.models import Role, role_names
from zhenggai.refusals import Refused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Item = TypeVar("Item")


@dataclass(frozen=True)
class MoveInput:
    """What a user may send with a move; each move requires its own part of it."""

    comment: str = ""
    reason: str = ""
    next_steps: str = ""
    new_deadline: dt.date | None = None


# A requirement looks at the item and the input and returns why it fails, or None.
Requirement = Callable[[Item, MoveInput], str | None]


@dataclass(frozen=True)
class Move(Generic[Item]):
    label: "StrOrPromise"  # gettext_lazy: the tables are built at import time
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    requires: tuple[Requirement[Item], ...] = field(default=())
    # Conditions on the item itself under which the move exists at all (only a
    # long-term measure continues as one): a page offers the move only where they hold.
    applies: tuple[Requirement[Item], ...] = field(default=())


def permits(move: Move[Item], state: str, roles: set[Role], item: Item) -> bool:
    """Whether the roles may make the move from the state on this item: the rule a
    page's button and the check below share."""
    applies = all(condition(item, MoveInput()) is None for condition in move.applies)
    return bool(roles & move.roles) and state in move.sources and applies


def check(
    table: Mapping[str, Move[Item]],
    name: str,
    *,
    state: str,
    state_label: str,
    roles: set[Role],
    item: Item,
    data: MoveInput,
) -> Move[Item]:
    """The move to make, or Refused: unknown move, wrong role, wrong state, unmet requirement."""
    move = table.get(name)
    if move is None:
        raise Refused(_("未知的操作：%(name)s") % {"name": name[:50]})
    if not permits(move, state, roles, item):
        raise Refused(_refusal(move, state, state_label, roles, item))
    for requirement in move.requires:
        why = requirement(item, data)
        if why:
            raise Refused(why)
    return move


def _refusal(move: Move[Item], state: str, state_label: str, roles: set[Role], item: Item) -> str:
    """Why ``permits`` said no, in the words a person needs."""
    if not roles & move.roles:
        names = role_names(move.roles)
        return _("只有%(roles)s可以%(move)s") % {"roles": names, "move": move.label}
    if state not in move.sources:
        return _("当前状态为「%(state)s」，不能%(move)s") % {
            "state": state_label,
            "move": move.label,
        }
    reasons = (condition(item, MoveInput()) for condition in move.applies)
    return next(why for why in reasons if why)


def needs_comment(_item: object, data: MoveInput) -> str | None:
    return None if data.comment.strip() else _("请填写意见")
