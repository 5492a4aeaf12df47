"""`zhenggai remind`: the right people, once a day at most, safe when two runs
overlap, stopped cleanly by SIGTERM, mail only where SMTP is configured."""

import datetime as dt
import io
import os
import signal
import smtplib
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.app.conftest import Cast, plans_approved
from zhenggai.inbox import owed, reminders, services
from zhenggai.inbox.management.commands.remind import Stop
from zhenggai.inbox.models import Kind, Message, Reminder
from zhenggai.inspections.models import Problem
from zhenggai.inspections.states import State
from zhenggai.ledger import worklists
from zhenggai.ledger.models import Evidence, Measure
from zhenggai.orgs.models import Membership, OfficeSettings, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bound(cast: Cast) -> None:
    """Both plans approved: their deadlines bind (a draft's measures are never overdue)."""
    plans_approved(cast.a, cast.b)


DAY = dt.timedelta(days=1)


def _today() -> dt.date:
    return timezone.localdate()


def _deadline(measure: Measure, days: int, state: str = State.IN_PROGRESS) -> None:
    """Put the measure's deadline ``days`` from today (negative: overdue)."""
    Measure.objects.filter(pk=measure.pk).update(
        deadline=_today() + dt.timedelta(days=days), state=state
    )


def _pending_evidence(measure: Measure, by: User) -> None:
    Evidence.objects.create(
        measure=measure,
        name="会议记录.pdf",
        path="x",
        size=1,
        content_type="application/pdf",
        sha256="0" * 64,
        supplied_by=by,
        effective_date=_today(),
    )


def _remind(*args: str) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def _told() -> set[tuple[str, str, str]]:
    """Every message in every inbox, as (username, kind, link)."""
    return {
        (m.recipient.username, m.kind, m.link) for m in Message.objects.select_related("recipient")
    }


def _a_week_of_work(cast: Cast) -> None:
    """Something for every rule: a measure due in 3 days (red), one 2 days late, one
    awaiting sign-off, a problem awaiting sign-off, evidence awaiting review."""
    a, b = cast.a, cast.b
    _deadline(a.measure, 3)
    _deadline(a.other_measure, -2)
    _deadline(b.measure, 3, State.AWAITING_SIGN_OFF)  # its carrier has done their part
    Problem.objects.filter(pk=b.problem.pk).update(state=State.AWAITING_SIGN_OFF)
    _pending_evidence(b.other_measure, b.users[Role.RESPONSIBLE_PERSON])


def test_it_reminds_each_person_of_what_waits_on_them_once(cast: Cast) -> None:
    _a_week_of_work(cast)
    output = _remind()
    a, b = cast.a, cast.b
    measure = "/measures/{}/".format
    assert _told() == {
        # a's responsible person: their own measure, 3 days left.
        ("a_responsible_person", Kind.URGENT, measure(a.measure.pk)),
        # a's other measure is late; it names no leader, so every leader answers for it.
        ("a_responsible_leader", Kind.OVERDUE, measure(a.other_measure.pk)),
        ("a_first_responsible", Kind.OVERDUE, measure(a.other_measure.pk)),
        # b: a measure and a problem to sign off, evidence to review.
        ("b_responsible_leader", Kind.SIGN_OFF, measure(b.measure.pk)),
        ("b_first_responsible", Kind.SIGN_OFF, measure(b.measure.pk)),
        ("b_responsible_leader", Kind.SIGN_OFF, f"/problems/{b.problem.pk}/"),
        ("b_first_responsible", Kind.SIGN_OFF, f"/problems/{b.problem.pk}/"),
        ("b_rectification_office", Kind.EVIDENCE, measure(b.other_measure.pk)),
    }
    assert "已发送 8 条站内提醒" in output and "未配置邮件服务器" in output
    urgent = Message.objects.get(kind=Kind.URGENT)
    assert "县融媒体中心措施1" in urgent.text and "仅剩 3 天" in urgent.text
    assert urgent.read_at is None
    # Neither the carrier of a measure awaiting sign-off, nor readers, nor strangers.
    for name in ("b_responsible_person", "a_discipline", "office", "outsider"):
        assert not Message.objects.filter(recipient__username=name).exists()


def test_a_second_run_the_same_day_sends_nothing(cast: Cast) -> None:
    _a_week_of_work(cast)
    _remind()
    before = Message.objects.count()
    output = _remind()
    assert Message.objects.count() == before == 8
    assert "已发送 0 条站内提醒" in output


def test_a_reason_is_repeated_daily_and_a_coming_deadline_weekly(cast: Cast) -> None:
    _deadline(cast.a.measure, 3)  # red: daily
    _deadline(cast.a.other_measure, 19)  # yellow: weekly, once it is the person's own
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(
        person=cast.a.users[Role.RESPONSIBLE_PERSON]
    )
    now = timezone.now()
    counts = []
    for day in range(8):
        reminders.run(now=now + day * DAY)
        counts.append(Message.objects.filter(kind=Kind.DUE_SOON).count())
    urgent = Message.objects.filter(recipient__username="a_responsible_person")
    # 3 days left, then 2, 1, 0, and then late: one message every day.
    assert urgent.filter(link=f"/measures/{cast.a.measure.pk}/").count() == 8
    # The yellow one on day 0, again on day 7.
    assert counts == [1, 1, 1, 1, 1, 1, 1, 2]


def _kinds(username: str) -> list[str]:
    found = Message.objects.filter(recipient__username=username).order_by("created", "pk")
    return list(found.values_list("kind", flat=True))


def test_a_new_reason_is_told_at_once_but_never_twice_the_same_day(cast: Cast) -> None:
    a = cast.a
    now = timezone.now()
    _deadline(a.measure, 15)  # yellow
    reminders.run(now=now)
    _deadline(a.measure, 5)  # two days on, 3 days are left: red, told though yellow is weekly
    reminders.run(now=now + 2 * DAY)
    _deadline(a.measure, 1)  # later that day the deadline has passed: told tomorrow
    reminders.run(now=now + 2 * DAY)
    assert _kinds("a_responsible_person") == [Kind.DUE_SOON, Kind.URGENT]
    reminders.run(now=now + 3 * DAY)
    assert _kinds("a_responsible_person") == [Kind.DUE_SOON, Kind.URGENT, Kind.OVERDUE]


def test_two_runs_claiming_the_same_reminder_send_it_once(cast: Cast) -> None:
    _deadline(cast.a.measure, 3)
    now = timezone.now()
    found = owed.owed(_today())
    services.reminders_sync(owed=found, now=now)
    # Both runs read the same due row before either claims it.
    first, second = list(Reminder.objects.all()), list(Reminder.objects.all())
    assert len(first) == 1
    due = found[(first[0].recipient_id, first[0].item_type, first[0].item_id)]
    assert services.reminder_send(reminder=first[0], due=due, now=now) is not None
    assert services.reminder_send(reminder=second[0], due=due, now=now) is None
    assert Message.objects.count() == 1
    # And a whole second run, syncing again, finds nothing due.
    assert reminders.run(now=now).sent == []


def test_sigterm_ends_the_run_between_two_reminders(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    _a_week_of_work(cast)
    # Should the command not catch SIGTERM, this keeps pytest alive and the test fails.
    fallback: Callable[..., Any] = lambda *args: None  # noqa: E731
    previous = signal.signal(signal.SIGTERM, fallback)
    send = services.reminder_send

    def send_then_terminate(**kwargs: Any) -> Message | None:
        message = send(**kwargs)
        os.kill(os.getpid(), signal.SIGTERM)
        return message

    monkeypatch.setattr(services, "reminder_send", send_then_terminate)
    try:
        output = _remind()
        assert signal.getsignal(signal.SIGTERM) is fallback  # the command put it back
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert Message.objects.count() == 1
    assert "已发送 1 条站内提醒" in output and "收到终止信号，已停止" in output
    # The rest are sent by the next run.
    monkeypatch.setattr(services, "reminder_send", send)
    assert "已发送 7 条站内提醒" in _remind()


def test_the_sigterm_handler_only_raises_a_flag() -> None:
    stop = Stop()
    assert not stop
    stop(signal.SIGTERM, None)
    assert stop


def test_no_mail_is_attempted_without_an_smtp_host(cast: Cast) -> None:
    User.objects.filter(username="a_responsible_person").update(email="a@example.org")
    _deadline(cast.a.measure, 3)
    _remind()
    assert Message.objects.count() == 1
    assert mail.outbox == []


def test_with_smtp_configured_people_with_an_address_get_mail_too(
    cast: Cast, settings: Any
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    settings.ZHENGGAI_SITE_URL = "https://zhenggai.example.org/"
    User.objects.filter(username="a_responsible_leader").update(email="leader@example.org")
    _deadline(cast.a.other_measure, -2)  # tells a's leader (address) and first responsible (none)
    output = _remind()
    assert Message.objects.count() == 2
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["leader@example.org"]
    assert sent.subject == "【整改提醒】已逾期"
    assert "县融媒体中心措施2" in sent.body
    assert f"https://zhenggai.example.org/measures/{cast.a.other_measure.pk}/" in sent.body
    assert "邮件 1 封" in output


def test_a_mail_server_that_fails_loses_no_inbox_message(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    User.objects.filter(username__startswith="a_").update(email="someone@example.org")
    _deadline(cast.a.other_measure, -2)
    attempts = []

    def unreachable(*args: Any, **kwargs: Any) -> int:
        attempts.append(args)
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(reminders, "send_mail", unreachable)
    output = _remind()
    assert Message.objects.count() == 2  # both in the inbox
    assert len(attempts) == 1  # the server is not tried again for the second
    assert "1 封邮件发送失败" in output and "邮件服务器出错" in output


def test_a_refused_address_does_not_stop_the_others(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    User.objects.filter(username__startswith="a_").update(email="someone@example.org")
    _deadline(cast.a.other_measure, -2)
    calls = []

    def refuse(*args: Any, **kwargs: Any) -> int:
        calls.append(args)
        raise smtplib.SMTPRecipientsRefused({"someone@example.org": (550, b"no")})

    monkeypatch.setattr(reminders, "send_mail", refuse)
    outcome = reminders.run(now=timezone.now())
    assert len(calls) == 2 and outcome.mail_failed == 2 and len(outcome.sent) == 2


def test_a_dry_run_lists_and_writes_nothing(cast: Cast) -> None:
    _a_week_of_work(cast)
    output = _remind("--dry-run")
    assert "试运行：将发送 8 条提醒" in output
    assert "a_responsible_person" in output and "【即将到期】" in output
    assert Message.objects.count() == 0 and Reminder.objects.count() == 0


def test_the_offices_tiers_decide_what_is_urgent(cast: Cast) -> None:
    OfficeSettings.objects.create(office=cast.office, warn_person_days=6, warn_leader_days=2)
    _deadline(cast.a.measure, 4)  # yellow under these rules (red under the defaults)
    _deadline(cast.b.measure, 8)  # green: nothing
    _remind()
    assert _told() == {("a_responsible_person", Kind.DUE_SOON, f"/measures/{cast.a.measure.pk}/")}


def test_inactive_people_are_not_reminded(cast: Cast) -> None:
    User.objects.filter(username="a_responsible_person").update(is_active=False)
    _deadline(cast.a.measure, 3)
    _remind()
    assert Message.objects.count() == 0


def test_what_is_done_is_forgotten_once_its_day_is_over(cast: Cast) -> None:
    _deadline(cast.a.measure, 3)
    now = timezone.now()
    reminders.run(now=now)
    Measure.objects.filter(pk=cast.a.measure.pk).update(state=State.SIGNED_OFF)
    reminders.run(now=now)
    assert Reminder.objects.count() == 1  # still holds today's message
    reminders.run(now=now + DAY)
    assert Reminder.objects.count() == 0 and Message.objects.count() == 1


def test_who_is_owed_what_costs_the_same_queries_for_any_ledger(
    cast: Cast, django_assert_num_queries: Callable[..., Any]
) -> None:
    _a_week_of_work(cast)
    # Memberships, offices' rules, rounds' widest tier, measures, problems, evidence.
    with django_assert_num_queries(6):
        small = owed.owed(_today())
    a = cast.a
    for n in range(30):
        Measure.objects.create(
            inspection=a.inspection,
            category=a.problem.category,
            problem=a.problem,
            position=10 + n,
            text=f"新增措施{n}",
            person=a.users[Role.RESPONSIBLE_PERSON],
            deadline=_today() - dt.timedelta(days=n % 5),
        )
    with django_assert_num_queries(6):
        large = owed.owed(_today())
    assert len(large) > len(small)


def test_the_bulk_rules_agree_with_each_persons_worklists(cast: Cast) -> None:
    """The job matches every measure and problem to its people at once; the home page
    asks person by person. Both must name the same people."""
    _a_week_of_work(cast)
    a = cast.a
    Measure.objects.filter(pk=a.measure.pk).update(state=State.AWAITING_SIGN_OFF)
    # A measure of the person's department with no person named, and a second leader,
    # who does not sign what names the first.
    Measure.objects.create(
        inspection=a.inspection,
        category=a.problem.category,
        position=9,
        text="部门的措施",
        department=a.department,
    )
    second = User.objects.create_user("a_second_leader")
    Membership.objects.create(user=second, organisation=a.org, role=Role.RESPONSIBLE_LEADER)
    staff = worklists.Staff.load()
    measures = list(Measure.objects.select_related("inspection"))
    problems = list(Problem.objects.select_related("inspection"))
    awaiting = State.AWAITING_SIGN_OFF
    for user in User.objects.all():
        carried = {
            m.pk for m in measures if user.pk in staff.carriers(m) and m.state != "signed_off"
        }
        assert carried == {m.pk for m in worklists.open_measures_of(user)}, user
        signs = {m.pk for m in measures if m.state == awaiting and user.pk in staff.signers(m)}
        assert signs == {m.pk for m in worklists.measures_awaiting_sign_off(user)}, user
        problem_signs = {
            p.pk for p in problems if p.state == awaiting and user.pk in staff.problem_signers(p)
        }
        assert problem_signs == {p.pk for p in worklists.problems_awaiting_sign_off(user)}, user
