"""The escalation ladder and its letters, through their services: the default
ladder and an office's own, numbering per office and year, the letter's facts on a
built ledger, its .docx, acknowledgement and answer (audited, refused in Chinese
to others), escalation after the ladder's days and not once answered, and the
plan's and report's due dates reminded before and after."""

import datetime as dt
import io
import threading

import docx
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.escalation import escalate, ladder, letters
from zhenggai.escalation.facts import facts_of
from zhenggai.escalation.models import Letter
from zhenggai.inbox.models import Message
from zhenggai.inspections.models import Inspection
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _late_ledger(cast: Cast, days: int = 12) -> Measure:
    """A's plan approved, its feedback long ago, its own measure ``days`` late."""
    inspection = cast.a.inspection
    inspection.plan_approved = timezone.now() - dt.timedelta(days=40)
    inspection.feedback_date = TODAY - dt.timedelta(days=100)
    inspection.save()
    measure = cast.a.measure
    measure.deadline = TODAY - dt.timedelta(days=days)
    measure.save()
    return measure


def _receiver(cast: Cast) -> User:
    return cast.a.users[Role.RECTIFICATION_OFFICE]


def test_the_default_ladder_is_made_on_first_use(cast: Cast) -> None:
    found, steps = ladder.ladder_for(cast.office)
    assert [s.name for s in steps] == ["通知书", "提醒书", "告诫书", "问责书"]
    assert found.prefix == cast.office.name
    assert ladder.ladder_for(cast.office)[0].pk == found.pk


def test_the_office_changes_its_ladder_audited(cast: Cast) -> None:
    rungs = [ladder.Rung("通知书", 3), ladder.Rung("约谈通知书", 5)]
    ladder.ladder_update(actor=cast.office_user, office=cast.office, prefix="县巡办", rungs=rungs)
    found, steps = ladder.ladder_for(cast.office)
    assert (found.prefix, [(s.name, s.days) for s in steps]) == (
        "县巡办",
        [("通知书", 3), ("约谈通知书", 5)],
    )
    assert Event.objects.filter(action="ladder.update").count() == 1


def test_no_one_else_changes_the_ladder(cast: Cast) -> None:
    with pytest.raises(Refused, match="只有巡察办可以"):
        ladder.ladder_update(
            actor=_receiver(cast), office=cast.office, prefix="x", rungs=[ladder.Rung("a", 1)]
        )


def test_a_letter_is_written_from_the_ledger_s_facts(cast: Cast) -> None:
    measure = _late_ledger(cast, days=12)
    letter = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    assert (letter.position, letter.name) == (1, "通知书")
    assert letter.number == f"{cast.office.name}〔{TODAY.year}〕1号"
    body = "".join(letter.paragraphs)
    assert measure.deadline is not None
    since = measure.deadline + dt.timedelta(days=1)
    assert measure.text in body and "已逾期 12 天" in body
    assert f"自{since.year}年{since.month}月{since.day}日起逾期" in body
    assert "整改情况报告应于" in body  # feedback 100 days ago, nothing published
    assert cast.a.other_measure.text not in body  # not late
    assert Event.objects.filter(action="letter.issue", object_id=letter.pk).exists()


def test_the_warning_list_counts_what_a_letter_names(cast: Cast) -> None:
    """Counted by the database (the list of every organisation) or measure by measure
    (a letter): the same tiers and the same number late."""
    _late_ledger(cast, days=12)
    other = cast.a.other_measure
    other.deadline = TODAY + dt.timedelta(days=5)
    other.save()
    inspections = list(
        Inspection.objects.filter(pk__in=[cast.a.inspection.pk, cast.b.inspection.pk])
    )
    named = facts_of(inspections, TODAY)
    counted = facts_of(inspections, TODAY, naming=False)
    a = cast.a.inspection.pk
    assert counted[a].late_count == named[a].late_count == len(named[a].late) == 1
    assert counted[a].late == []
    for pk in named:
        assert counted[pk].tiers == named[pk].tiers


def test_the_docx_opens_and_carries_the_number_and_the_facts(cast: Cast) -> None:
    measure = _late_ledger(cast)
    letter = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(letters.letter_docx(letter))).paragraphs
    )
    assert letter.number in text and measure.text in text and "通知书" in text


def test_numbers_run_per_office_and_year_and_the_ladder_climbs(cast: Cast) -> None:
    _late_ledger(cast)
    first = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    second = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    other = letters.letter_issue(actor=cast.office_user, inspection_id=cast.b.inspection.pk)
    assert [first.seq, second.seq, other.seq] == [1, 2, 3]
    assert (second.position, second.name, other.position) == (2, "提醒书", 1)


def test_the_letter_goes_to_the_organisation_s_inbox_only(cast: Cast) -> None:
    _late_ledger(cast)
    letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    told = set(Message.objects.values_list("recipient__username", flat=True))
    assert told == {"a_rectification_office", "a_first_responsible"}


def test_only_the_office_issues_letters(cast: Cast) -> None:
    with pytest.raises(Refused, match="只有巡察办可以发出督促函件"):
        letters.letter_issue(actor=_receiver(cast), inspection_id=cast.a.inspection.pk)
    with pytest.raises(NotFound):
        letters.letter_issue(
            actor=cast.b.users[Role.RECTIFICATION_OFFICE], inspection_id=cast.a.inspection.pk
        )
    assert not Letter.objects.exists()


def test_acknowledged_and_answered_by_the_organisation_audited(cast: Cast) -> None:
    measure = _late_ledger(cast)
    letter = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    letters.letter_acknowledge(actor=_receiver(cast), letter_id=letter.pk)
    with pytest.raises(Refused, match="已签收"):
        letters.letter_acknowledge(actor=_receiver(cast), letter_id=letter.pk)
    answered = letters.letter_answer(
        actor=cast.a.users[Role.FIRST_RESPONSIBLE],
        letter_id=letter.pk,
        reply="已召开专题会议推进。",
        measure_ids=[measure.pk],
    )
    assert list(answered.measures.all()) == [measure]
    actions = list(Event.objects.filter(object_id=letter.pk).values_list("action", flat=True))
    assert {"letter.acknowledge", "letter.answer"} <= set(actions)
    told = Message.objects.filter(recipient=cast.office_user).values_list("text", flat=True)
    assert any("已答复" in t for t in told)


def test_others_may_not_acknowledge_or_answer(cast: Cast) -> None:
    _late_ledger(cast)
    letter = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    with pytest.raises(Refused, match="只有"):
        letters.letter_acknowledge(actor=cast.a.users[Role.DISCIPLINE], letter_id=letter.pk)
    with pytest.raises(Refused, match="只有"):
        letters.letter_answer(actor=cast.office_user, letter_id=letter.pk, reply="好")
    with pytest.raises(NotFound):
        letters.letter_answer(
            actor=cast.b.users[Role.RECTIFICATION_OFFICE], letter_id=letter.pk, reply="好"
        )
    with pytest.raises(Refused, match="本单位"):
        letters.letter_answer(
            actor=_receiver(cast), letter_id=letter.pk, reply="好", measure_ids=[cast.b.measure.pk]
        )


def test_an_unanswered_letter_escalates_after_its_days(cast: Cast) -> None:
    _late_ledger(cast)
    letter = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    assert escalate.run(now=timezone.now()).escalated == []  # not yet due
    later = timezone.now() + dt.timedelta(days=11)
    outcome = escalate.run(now=later)
    assert [m.name for m in outcome.escalated] == ["提醒书"]
    letter.refresh_from_db()
    assert letter.escalated_at is not None
    assert escalate.run(now=later).escalated == []  # once
    assert Event.objects.filter(action="letter.escalate").count() == 1
    told = Message.objects.filter(recipient=cast.office_user).values_list("text", flat=True)
    assert any("已升级" in t for t in told)


def test_an_answered_letter_does_not_escalate(cast: Cast) -> None:
    _late_ledger(cast)
    letter = letters.letter_issue(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    letters.letter_answer(actor=_receiver(cast), letter_id=letter.pk, reply="已整改")
    assert escalate.run(now=timezone.now() + dt.timedelta(days=30)).escalated == []
    # After an answer, the ladder starts again.
    assert letters.next_position(cast.a.inspection.pk) == 1


def test_the_plan_due_date_is_reminded_before_to_the_organisation(cast: Cast) -> None:
    inspection = cast.a.inspection
    inspection.feedback_date = TODAY - dt.timedelta(days=28)  # default plan due after 30 days
    inspection.save()
    escalate.run(now=timezone.now())
    told = Message.objects.filter(text__contains="整改方案应于")
    assert set(told.values_list("recipient__username", flat=True)) == {"a_rectification_office"}
    escalate.run(now=timezone.now())
    assert told.count() == 1  # once a day


def test_a_passed_plan_due_date_is_told_to_the_office_too(cast: Cast) -> None:
    inspection = cast.a.inspection
    inspection.feedback_date = TODAY - dt.timedelta(days=45)
    inspection.save()
    escalate.run(now=timezone.now())
    told = Message.objects.filter(text__contains="整改方案应于", text__endswith="已逾期 15 天。")
    assert set(told.values_list("recipient__username", flat=True)) == {
        "a_rectification_office",
        "office",
    }


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_when_issued_at_once(cast: Cast) -> None:
    """Six letters of one office at once, each its own number. Threads that write at
    once need a server database: SQLite's test database (in memory, shared cache)
    refuses a second writer outright, so there they go one after another."""
    ladder.ladder_for(cast.office)
    errors: list[Exception] = []

    def issue(inspection_id: int) -> None:
        try:
            letters.letter_issue(actor=cast.office_user, inspection_id=inspection_id)
        except Exception as error:
            errors.append(error)
        finally:
            if connection.vendor == "postgresql":
                connection.close()

    wanted = (cast.a.inspection.pk, cast.b.inspection.pk) * 3
    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=issue, args=[i]) for i in wanted]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for inspection_id in wanted:
            issue(inspection_id)
    assert errors == []
    assert sorted(Letter.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
