"""What every workflow table is made of: moves, their requirements, and the check
that either names the move to make or refuses with the reason."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from zhenggai.orgs.models import Role
from zhenggai.refusals import Refused

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
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    requires: tuple[Requirement[Item], ...] = field(default=())


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
        raise Refused(f"未知的操作：{name[:50]}")
    if not roles & move.roles:
        names = "、".join(role.label for role in sorted(move.roles))
        raise Refused(f"只有{names}可以{move.label}")
    if state not in move.sources:
        raise Refused(f"当前状态为「{state_label}」，不能{move.label}")
    for requirement in move.requires:
        why = requirement(item, data)
        if why:
            raise Refused(why)
    return move


def needs_comment(_item: object, data: MoveInput) -> str | None:
    return None if data.comment.strip() else "请填写意见"
