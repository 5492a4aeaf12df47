"""The services refuse what the ledger cannot keep, whichever door it came through
(ledger/limits.py), and write nothing when they do."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.moves import MoveInput
from zhenggai.ledger import limits
from zhenggai.ledger.models import Extension, ProgressEntry
from zhenggai.orgs.models import Role
from zhenggai.refusals import Refused
from zhenggai.services import ledger as services

TODAY = dt.date.today()
TOO_LONG = "长" * (limits.LONG_TEXT + 1)


def _refused(call: Callable[[], object], words: str) -> None:
    events = Event.objects.count()
    with pytest.raises(Refused, match=words):
        call()
    assert Event.objects.count() == events


def test_progress_too_long_or_with_too_many_figures_is_refused(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]

    def progress(text: str, figures: dict[str, Any]) -> object:
        return services.progress_record(
            actor=person, measure_id=cast.a.measure.pk, date=TODAY, text=text, figures=figures
        )

    _refused(lambda: progress(TOO_LONG, {}), "整改进展不能超过 20000 个字")
    many = {f"数据{n}": n for n in range(limits.FIGURES + 1)}
    _refused(lambda: progress("进展", many), "数据最多 50 项")
    _refused(lambda: progress("进展", {"金额": 10**16}), "超出范围")
    _refused(lambda: progress("进展\x00", {}), "不能保存的字符")
    assert not ProgressEntry.objects.exists()


def test_a_reason_or_a_comment_too_long_is_refused(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    _refused(
        lambda: services.extension_request(
            actor=person,
            measure_id=cast.a.measure.pk,
            new_deadline=TODAY + dt.timedelta(days=90),
            reason=TOO_LONG,
        ),
        "延期理由不能超过",
    )
    assert not Extension.objects.exists()
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    _refused(
        lambda: services.measure_move(
            actor=office,
            measure_id=cast.a.measure.pk,
            move="start",
            data=MoveInput(comment="意" * (limits.COMMENT + 1)),
        ),
        "意见不能超过 5000 个字",
    )
