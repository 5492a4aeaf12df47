"""The audit vocabulary: every action the code may record reads as a phrase in a
history, in Chinese and in English, and the names built from a workflow's move, an
imported model or a review's outcome are all in it."""

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pytest
from django.db import models
from django.utils import translation

from zhenggai.accountability.models import Action as AccountabilityAction
from zhenggai.accountability.models import Regulation
from zhenggai.audit.actions import Action
from zhenggai.audit.models import Event
from zhenggai.inspections import plan_flow
from zhenggai.inspections.models import Category, Problem, SourceDocument
from zhenggai.inspections.moves import Move
from zhenggai.ledger import measure_flow, problem_flow
from zhenggai.ledger.models import Measure, Unfinished
from zhenggai.services import ledger as services
from zhenggai.web.history import phrase, told

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FLOWS: dict[str, Mapping[str, Move[Any]]] = {
    "measure": measure_flow.MOVES,
    "problem": problem_flow.MOVES,
    "plan": plan_flow.MOVES,
}
IMPORTED: tuple[type[models.Model], ...] = (
    SourceDocument,
    Category,
    Problem,
    Measure,
    Regulation,
    AccountabilityAction,
    Unfinished,
)


def _event(seq: int, action: str) -> Event:
    return Event(seq=seq, at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), action=action, after={})


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_the_history_tells_every_action_of_the_vocabulary_by_its_phrase(action: Action) -> None:
    with translation.override("zh-hans"):
        [line] = told([_event(1, action.value)])
        assert line.what == str(action.label) != action.value
        assert CHINESE.search(line.what)
    with translation.override("en"):
        english = phrase(action.value)
        assert english != action.value
        assert not CHINESE.search(english), f"{action.value}: no English for {english}"


def test_an_action_outside_the_vocabulary_is_shown_as_it_is_stored() -> None:
    assert phrase("something.new") == "something.new"
    assert [line.what for line in told([_event(1, "something.new")])] == ["something.new"]


def test_every_move_of_every_workflow_is_an_action_labelled_as_its_move() -> None:
    for flow, table in FLOWS.items():
        for move, step in table.items():
            assert str(Action.named(flow, move).label) == str(step.label)


def test_every_row_the_importer_writes_and_every_outcome_is_an_action() -> None:
    for model in IMPORTED:
        assert Action.named(model._meta.model_name or "", "import")
    assert set(services.REVIEWED.values()) == {Action.EVIDENCE_ACCEPTED, Action.EVIDENCE_RETURNED}
    assert set(services.DECIDED.values()) == {Action.EXTENSION_APPROVED, Action.EXTENSION_REFUSED}
    with pytest.raises(ValueError, match=r"measure\.sign_of"):
        Action.named("measure", "sign_of")
