"""What the services require, and the decisions the best trackers get wrong:
deadlines, evidence revisions, approvals, weighted progress, office settings."""

import datetime as dt
import hashlib

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.rules import rules_in_force
from zhenggai.inspections.states import State
from zhenggai.ledger import derived
from zhenggai.ledger.models import Approval, Evidence, Extension, Measure, Unfinished
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.refusals import Refused
from zhenggai.services import ledger as services

TODAY = dt.date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(cast: Cast, name: str = "会议纪要.pdf", content: bytes = PDF) -> Evidence:
    return services.evidence_add(
        actor=cast.a.users[Role.RESPONSIBLE_PERSON],
        measure_id=cast.a.measure.pk,
        name=name,
        content=content,
        effective_date=TODAY - dt.timedelta(days=3),
    )


def _move(cast: Cast, role: Role, move: str, comment: str = "") -> Measure:
    return services.measure_move(
        actor=cast.a.users[role],
        measure_id=cast.a.measure.pk,
        move=move,
        data=MoveInput(comment=comment),
    )


def test_sign_off_needs_accepted_evidence(cast: Cast) -> None:
    _move(cast, Role.RESPONSIBLE_PERSON, "start")
    with pytest.raises(Refused, match="佐证材料"):
        _move(cast, Role.RESPONSIBLE_PERSON, "submit")
    evidence = _upload(cast)
    _move(cast, Role.RESPONSIBLE_PERSON, "submit")
    with pytest.raises(Refused, match="尚未审核认可"):
        _move(cast, Role.RESPONSIBLE_LEADER, "sign_off")
    services.evidence_review(
        actor=cast.a.users[Role.RESPONSIBLE_LEADER],
        evidence_id=evidence.pk,
        accept=True,
        comment="",
    )
    assert _move(cast, Role.RESPONSIBLE_LEADER, "sign_off").state == State.SIGNED_OFF


def test_returning_needs_a_comment(cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.measure.pk).update(state=State.AWAITING_SIGN_OFF)
    with pytest.raises(Refused, match="意见"):
        _move(cast, Role.RESPONSIBLE_LEADER, "return")
    assert _move(cast, Role.RESPONSIBLE_LEADER, "return", comment="材料不全").state == (
        State.IN_PROGRESS
    )


def test_only_long_term_measures_continue_long_term(cast: Cast) -> None:
    Measure.objects.filter(pk=cast.a.measure.pk).update(state=State.AWAITING_SIGN_OFF)
    with pytest.raises(Refused, match="长期坚持类"):
        _move(cast, Role.RESPONSIBLE_LEADER, "continue_long_term")


def test_an_unfinished_problem_needs_reason_next_steps_and_a_new_deadline(cast: Cast) -> None:
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    with pytest.raises(Refused, match="未完成整改原因、下一步整改措施、新的整改时限"):
        services.problem_move(
            actor=office, problem_id=cast.a.problem.pk, move="carry_over", data=MoveInput()
        )
    with pytest.raises(Refused, match="晚于今天"):
        services.problem_move(
            actor=office,
            problem_id=cast.a.problem.pk,
            move="carry_over",
            data=MoveInput(reason="a", next_steps="b", new_deadline=TODAY),
        )
    services.problem_move(
        actor=office,
        problem_id=cast.a.problem.pk,
        move="carry_over",
        data=MoveInput(
            reason="资金未到位", next_steps="年底前完成", new_deadline=TODAY + dt.timedelta(days=60)
        ),
    )
    item = Unfinished.objects.get(problem=cast.a.problem)
    assert (item.reason, item.next_steps) == ("资金未到位", "年底前完成")


def test_a_problem_is_signed_off_only_when_its_measures_are(cast: Cast) -> None:
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    services.problem_move(
        actor=office, problem_id=cast.a.problem.pk, move="start", data=MoveInput()
    )
    with pytest.raises(Refused, match="未销号"):
        services.problem_move(
            actor=office, problem_id=cast.a.problem.pk, move="submit", data=MoveInput()
        )


def test_a_deadline_changes_only_through_an_approved_extension(cast: Cast) -> None:
    person, leader = cast.a.users[Role.RESPONSIBLE_PERSON], cast.a.users[Role.RESPONSIBLE_LEADER]
    first = cast.a.measure.deadline
    assert first is not None
    later, latest = first + dt.timedelta(days=30), first + dt.timedelta(days=60)
    with pytest.raises(Refused, match="晚于"):
        services.extension_request(
            actor=person, measure_id=cast.a.measure.pk, new_deadline=first, reason="x"
        )
    refused = services.extension_request(
        actor=person, measure_id=cast.a.measure.pk, new_deadline=later, reason="设备未到货"
    )
    with pytest.raises(Refused, match="只有"):
        services.extension_decide(actor=person, extension_id=refused.pk, approve=True, comment="")
    services.extension_decide(
        actor=leader, extension_id=refused.pk, approve=False, comment="理由不充分"
    )
    assert Measure.objects.get(pk=cast.a.measure.pk).deadline == first
    granted = services.extension_request(
        actor=person, measure_id=cast.a.measure.pk, new_deadline=latest, reason="需报县政府审批"
    )
    services.extension_decide(actor=leader, extension_id=granted.pk, approve=True, comment="同意")
    measure = Measure.objects.get(pk=cast.a.measure.pk)
    assert (measure.original_deadline, measure.deadline) == (first, latest)
    history = list(measure.extensions.values_list("old_deadline", "new_deadline", "decision"))
    assert history == [
        (first, later, Extension.Decision.REFUSED),
        (first, latest, Extension.Decision.APPROVED),
    ]
    approval = Approval.objects.get(extension=granted)
    assert (approval.approver, approval.decision) == (leader, Extension.Decision.APPROVED)
    assert approval.state_before["deadline"] == str(first)


def test_evidence_keeps_every_revision_with_its_digest_and_who_supplied_it(cast: Cast) -> None:
    first = _upload(cast)
    services.evidence_review(
        actor=cast.a.users[Role.RECTIFICATION_OFFICE],
        evidence_id=first.pk,
        accept=False,
        comment="缺少签字页",
    )
    second = services.evidence_add(
        actor=cast.a.users[Role.RESPONSIBLE_PERSON],
        measure_id=cast.a.measure.pk,
        name="会议纪要（签字版）.pdf",
        content=PDF + b"%signed\n",
        effective_date=TODAY,
        replaces_id=first.pk,
    )
    first.refresh_from_db()
    assert (first.review, first.review_comment) == (Evidence.Review.RETURNED, "缺少签字页")
    assert second.replaces == first
    assert second.sha256 == hashlib.sha256(PDF + b"%signed\n").hexdigest()
    assert second.supplied_by == cast.a.users[Role.RESPONSIBLE_PERSON]
    assert second.effective_date == TODAY and second.uploaded_at is not None
    stored = settings.MEDIA_ROOT / second.path
    assert stored.read_bytes() == PDF + b"%signed\n"


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("脚本.pdf", b"<script>alert(1)</script>", "不符"),
        ("程序.exe", b"MZ\x90\x00", "不支持"),
        ("空.pdf", b"", "空"),
        ("图片.png", PDF, "不符"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_kept(
    cast: Cast, name: str, content: bytes, why: str
) -> None:
    events = Event.objects.count()
    with pytest.raises(Refused, match=why):
        _upload(cast, name, content)
    assert (Evidence.objects.count(), Event.objects.count()) == (0, events)


def test_oversized_evidence_is_refused(cast: Cast) -> None:
    with override_settings(EVIDENCE_MAX_BYTES=10), pytest.raises(Refused, match="大小上限"):
        _upload(cast)
    assert Evidence.objects.count() == 0


def test_progress_in_the_future_or_empty_is_refused(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    with pytest.raises(Refused, match="晚于今天"):
        services.progress_record(
            actor=person, measure_id=cast.a.measure.pk, date=TODAY + dt.timedelta(days=1), text="x"
        )
    with pytest.raises(Refused, match="请填写"):
        services.progress_record(actor=person, measure_id=cast.a.measure.pk, date=TODAY, text="  ")


def test_completion_counts_weighted_measures_done_not_states() -> None:
    assert derived.completion([]) == 0.0
    assert derived.completion([(State.SIGNED_OFF, 3), (State.AWAITING_SIGN_OFF, 1)]) == 0.75
    assert derived.completion([(State.LONG_TERM, 1), (State.IN_PROGRESS, 1)]) == 0.5


def test_warnings_follow_the_offices_settings(cast: Cast) -> None:
    rules = rules_in_force(cast.a.inspection)
    assert (rules.warn_person_days, rules.warn_leader_days) == (20, 10)
    in_15 = TODAY + dt.timedelta(days=15)
    assert derived.warning(in_15, State.IN_PROGRESS, TODAY, rules) == derived.Warning.YELLOW
    OfficeSettings.objects.create(office=cast.office, warn_person_days=30, warn_leader_days=15)
    rules = rules_in_force(cast.a.inspection)
    assert derived.warning(in_15, State.IN_PROGRESS, TODAY, rules) == derived.Warning.RED
    assert derived.warning(TODAY + dt.timedelta(days=40), State.IN_PROGRESS, TODAY, rules) == (
        derived.Warning.GREEN
    )
    assert derived.warning(TODAY - dt.timedelta(days=1), State.SIGNED_OFF, TODAY, rules) == (
        derived.Warning.DONE
    )
    assert derived.is_overdue(TODAY - dt.timedelta(days=1), State.IN_PROGRESS, TODAY, True)
    assert not derived.is_overdue(TODAY - dt.timedelta(days=1), State.SIGNED_OFF, TODAY, True)
    # A draft plan's deadlines bind no one yet.
    assert not derived.is_overdue(TODAY - dt.timedelta(days=1), State.IN_PROGRESS, TODAY, False)


def test_the_plan_and_report_are_due_as_the_office_sets(cast: Cast) -> None:
    inspection = cast.a.inspection
    inspection.feedback_date = dt.date(2026, 3, 1)
    rules = OfficeSettings.objects.create(office=cast.office, plan_days=90, report_days=120)
    assert inspection.due_dates(rules.plan_days, rules.report_days) == (
        dt.date(2026, 5, 30),
        dt.date(2026, 6, 29),
    )


def test_a_follow_up_review_with_a_relapse_reopens_the_problem(cast: Cast) -> None:
    from zhenggai.inspections.models import Problem

    Problem.objects.filter(pk=cast.a.problem.pk).update(state=State.SIGNED_OFF)
    services.follow_up_record(
        actor=cast.office_user,
        problem_id=cast.a.problem.pk,
        date=TODAY,
        finding="学习制度未坚持，问题反弹",
        relapsed=True,
    )
    problem = Problem.objects.get(pk=cast.a.problem.pk)
    assert problem.state == State.REOPENED
    assert problem.reviews.get().relapsed
    assert Approval.objects.get(problem=problem).kind == Approval.Kind.REOPEN


def test_a_parent_problem_is_done_when_its_sub_problems_are(cast: Cast) -> None:
    from zhenggai.inspections.models import Problem

    parent = Problem.objects.create(
        inspection=cast.a.inspection,
        category=cast.a.problem.category,
        position=2,
        title="针对意识形态工作的问题",
        state=State.IN_PROGRESS,
    )
    child = Problem.objects.create(
        inspection=cast.a.inspection,
        category=parent.category,
        parent=parent,
        position=1,
        title="阵地管理不到位",
        state=State.IN_PROGRESS,
    )
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    with pytest.raises(Refused, match="子问题"):
        services.problem_move(actor=office, problem_id=parent.pk, move="submit", data=MoveInput())
    Problem.objects.filter(pk=child.pk).update(state=State.SIGNED_OFF)
    services.problem_move(actor=office, problem_id=parent.pk, move="submit", data=MoveInput())
    assert Problem.objects.get(pk=parent.pk).state == State.AWAITING_SIGN_OFF


def _assign(
    actor: User,
    measure: Measure,
    department_id: int | None = None,
    person_id: int | None = None,
    leader_id: int | None = None,
    deadline: dt.date | None = None,
    weight: int | None = None,
) -> Measure:
    """An assignment of ``measure`` that sets only what it names."""
    return services.measure_assign(
        actor=actor,
        measure_id=measure.pk,
        department_id=department_id,
        person_id=person_id,
        leader_id=leader_id,
        deadline=deadline,
        weight=weight,
    )


def test_assigning_sets_owners_and_a_first_deadline_only(cast: Cast) -> None:
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    person, leader = cast.a.users[Role.RESPONSIBLE_PERSON], cast.a.users[Role.RESPONSIBLE_LEADER]
    measure = cast.a.other_measure
    Measure.objects.filter(pk=measure.pk).update(deadline=None, original_deadline=None)
    first = TODAY + dt.timedelta(days=20)
    _assign(office, measure, cast.a.department.pk, person.pk, leader.pk, deadline=first)
    measure.refresh_from_db()
    assert (measure.person, measure.leader, measure.deadline, measure.original_deadline) == (
        person,
        leader,
        first,
        first,
    )
    with pytest.raises(Refused, match="申请延期"):
        _assign(office, measure, deadline=first)
    with pytest.raises(Refused, match="不属于本单位"):
        _assign(office, measure, department_id=cast.b.department.pk)
    with pytest.raises(Refused, match="不是本单位人员"):
        _assign(office, measure, person_id=cast.b.users[Role.RESPONSIBLE_PERSON].pk)
    with pytest.raises(Refused, match="只有"):
        _assign(person, measure)
    with pytest.raises(Refused, match="权重"):
        _assign(office, measure, weight=0)
    _assign(office, measure, weight=3)
    assert Measure.objects.get(pk=measure.pk).weight == 3


def test_progress_with_evidence_keeps_both_or_neither(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    files = [("会议纪要.pdf", PDF), ("照片.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)]
    with pytest.raises(Refused):
        services.progress_with_evidence(
            actor=person,
            measure_id=cast.a.measure.pk,
            date=dt.date.today(),
            text="已召开专题会议",
            files=files,
        )
    assert not cast.a.measure.progress.exists() and not cast.a.measure.evidence.exists()
    assert Measure.objects.get(pk=cast.a.measure.pk).state == State.NOT_STARTED
    seq = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    entry = services.progress_with_evidence(
        actor=person,
        measure_id=cast.a.measure.pk,
        date=dt.date.today(),
        text="已召开专题会议",
        files=files[:1],
    )
    assert entry.text == "已召开专题会议"
    assert [e.name for e in cast.a.measure.evidence.all()] == ["会议纪要.pdf"]
    # The progress started the measure, and the measure its problem.
    events = list(Event.objects.filter(seq__gt=seq).order_by("seq"))
    assert [e.action for e in events] == [
        "measure.start",
        "problem.start",
        "progress.create",
        "evidence.create",
    ]
    assert Measure.objects.get(pk=cast.a.measure.pk).state == State.IN_PROGRESS
    assert (events[0].after or {})["comment"] == "随填报整改进展开始整改"


def test_a_problem_is_under_way_with_its_first_measure(cast: Cast) -> None:
    a = cast.a
    parent = Problem.objects.create(
        inspection=a.inspection, category=a.problem.category, position=9, title="上级问题"
    )
    Problem.objects.filter(pk=a.problem.pk).update(parent=parent)
    _move(cast, Role.RESPONSIBLE_PERSON, "start")
    states = dict(Problem.objects.values_list("pk", "state"))
    assert states[a.problem.pk] == states[parent.pk] == State.IN_PROGRESS
    started = Event.objects.filter(action="problem.start").order_by("seq")
    assert [e.object_id for e in started] == [a.problem.pk, parent.pk]
    assert started[0].actor_id == a.users[Role.RESPONSIBLE_PERSON].pk
    # A second measure starting changes nothing more.
    Measure.objects.filter(pk=a.other_measure.pk).update(person=a.users[Role.RESPONSIBLE_PERSON])
    services.measure_move(
        actor=a.users[Role.RESPONSIBLE_PERSON],
        measure_id=a.other_measure.pk,
        move="start",
        data=MoveInput(),
    )
    assert Event.objects.filter(action="problem.start").count() == 2


def test_the_tiers_counted_by_the_database_are_the_colours_of_each_measure(cast: Cast) -> None:
    """derived.tier_q is derived.warning as filters: every measure in exactly the tier
    that its own colour names, across both tiers' edges."""
    rules = rules_in_force(cast.a.inspection)
    a = cast.a
    days = [None, *range(-3, rules.warn_person_days + 3)]
    for n, offset in enumerate(days):
        deadline = None if offset is None else TODAY + dt.timedelta(days=offset)
        state = State.SIGNED_OFF if n % 5 == 0 else State.IN_PROGRESS
        Measure.objects.create(
            inspection=a.inspection, category=a.problem.category, problem=a.problem,
            position=100 + n, text=f"边界{n}", deadline=deadline, state=state,
        )  # fmt: skip
    measures = Measure.objects.filter(inspection=a.inspection)
    for colour, q in derived.tier_q(TODAY, rules).items():
        counted = set(measures.filter(q).values_list("pk", flat=True))
        coloured = {
            m.pk for m in measures if derived.warning(m.deadline, m.state, TODAY, rules) == colour
        }
        assert counted == coloured, colour
