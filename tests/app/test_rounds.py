"""The office's register: rounds, teams, registered inspections, and the rules in
force for an inspection (its round's, else its office's) with its due dates."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Round, Team
from zhenggai.inspections.rules import Rules, combine, due_dates, rules_in_force
from zhenggai.orgs.models import Membership, OfficeSettings, Organisation, Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import rounds as services
from zhenggai.services import sources
from zhenggai.services.rounds import RoundFields

FEEDBACK = Path(__file__).parent.parent / "feedback" / "a_wrapper.txt"


@pytest.fixture(autouse=True)
def a_data_folder_of_our_own(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def _rules(**changed: Any) -> Rules:
    fields = dict(
        warn_person_days=20,
        warn_leader_days=10,
        plan_days=30,
        report_days=60,
        reviews_plans=True,
        longest_term_days=365,
    )
    return Rules(**(fields | changed))


# --- Pure rules ----------------------------------------------------------------------


def test_due_dates_count_the_days_from_the_feedback() -> None:
    due = due_dates(dt.date(2024, 6, 12), _rules(plan_days=30, report_days=60))
    assert due is not None
    assert (due.plan, due.report) == (dt.date(2024, 7, 12), dt.date(2024, 8, 11))


def test_there_are_no_due_dates_before_the_feedback_date_is_known() -> None:
    assert due_dates(None, _rules()) is None


def test_a_round_sets_what_it_sets_and_the_office_the_rest() -> None:
    office = OfficeSettings(plan_days=45, report_days=90, warn_person_days=25, reviews_plans=False)
    round = Round(plan_days=15, warn_leader_days=5)
    rules = combine(office, round)
    assert (rules.plan_days, rules.report_days) == (15, 90)
    assert (rules.warn_person_days, rules.warn_leader_days) == (25, 5)
    assert rules.reviews_plans is False
    assert combine(office, None).plan_days == 45
    assert combine(OfficeSettings(), Round()).plan_days == 30  # both left at the defaults


# --- Services ----------------------------------------------------------------------------


def _round(cast: Cast, **fields: Any) -> Round:
    made = RoundFields(**({"name": "十二届县委第五轮巡察"} | fields))
    return services.round_create(actor=cast.office_user, office_id=cast.office.pk, fields=made)


def _actions() -> list[str]:
    return list(Event.objects.order_by("seq").values_list("action", flat=True))


@pytest.mark.django_db
def test_the_office_creates_and_edits_a_round_each_audited(cast: Cast) -> None:
    made = _round(cast, kind=Round.Kind.SPECIAL, start=dt.date(2025, 3, 1), plan_days=20)
    assert (made.office, made.kind, made.plan_days) == (cast.office, "专项", 20)
    fields = RoundFields(name="十二届县委第五轮巡察", kind=Round.Kind.FOLLOW_UP, report_days=40)
    services.round_edit(actor=cast.office_user, round_id=made.pk, fields=fields)
    made.refresh_from_db()
    assert (made.kind, made.plan_days, made.report_days) == ("回头看", None, 40)
    assert _actions() == ["round.create", "round.edit"]
    edit = Event.objects.get(action="round.edit")
    assert edit.before is not None and edit.after is not None
    assert (edit.before["kind"], edit.after["kind"]) == ("专项", "回头看")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"name": " "}, "轮次名称不能为空"),
        ({"kind": "临时"}, "巡察类型应为常规、专项、机动或回头看"),
        ({"start": dt.date(2025, 5, 1), "end": dt.date(2025, 4, 1)}, "结束日期不能早于开始日期"),
        ({"plan_days": 90, "report_days": 60}, "整改方案的报送天数不能多于整改情况报告的"),
        ({"plan_days": 0}, "报送天数应在 1 到 730 之间"),
        ({"warn_person_days": 5, "warn_leader_days": 9}, "提醒责任领导的天数不能多于"),
    ],
)
def test_a_round_is_refused_in_chinese_when_its_fields_are_wrong(
    cast: Cast, fields: dict[str, Any], why: str
) -> None:
    with pytest.raises(Refused, match=why):
        _round(cast, **fields)
    assert not Round.objects.exists() and not Event.objects.exists()


@pytest.mark.django_db
def test_a_rounds_name_is_unique_within_its_office(cast: Cast) -> None:
    _round(cast)
    with pytest.raises(Refused, match="本巡察办已有名为「十二届县委第五轮巡察」的轮次"):
        _round(cast)


@pytest.mark.django_db
def test_only_the_inspection_office_keeps_rounds(cast: Cast) -> None:
    made = _round(cast)
    for user in cast.a.users.values():
        with pytest.raises(Refused, match="只有巡察办可以管理巡察轮次"):
            services.round_create(actor=user, office_id=cast.office.pk, fields=RoundFields("x"))
        with pytest.raises(Refused, match="只有巡察办可以管理巡察轮次"):
            services.team_create(actor=user, round_id=made.pk, name="县委第一巡察组")
        with pytest.raises(Refused, match="只有巡察办"):
            services.inspection_register(
                actor=user, round_id=made.pk, organisation_id=cast.a.org.pk
            )
    assert not Team.objects.exists() and Round.objects.count() == 1


def _other_office() -> tuple[Organisation, User, Organisation]:
    office = Organisation.objects.create(name="市委巡察办", kind=Organisation.Kind.OFFICE)
    user = User.objects.create_user(username="other_office")
    Membership.objects.create(user=user, organisation=office, role=Role.INSPECTION_OFFICE)
    unit = Organisation.objects.create(
        name="市文旅局", kind=Organisation.Kind.INSPECTED, parent=office
    )
    return office, user, unit


@pytest.mark.django_db
def test_another_office_finds_nothing_of_this_ones(cast: Cast) -> None:
    made = _round(cast)
    team = services.team_create(actor=cast.office_user, round_id=made.pk, name="县委第一巡察组")
    _office, stranger, _unit = _other_office()
    with pytest.raises(NotFound, match="未找到该巡察轮次"):
        services.round_edit(actor=stranger, round_id=made.pk, fields=RoundFields("改名"))
    with pytest.raises(NotFound, match="未找到该巡察组"):
        services.team_assign(actor=stranger, team_id=team.pk, organisation_ids=[])
    with pytest.raises(NotFound, match="未找到该巡察办"):
        services.round_create(actor=stranger, office_id=cast.office.pk, fields=RoundFields("x"))


@pytest.mark.django_db
def test_teams_inspect_only_organisations_of_the_offices_tree(cast: Cast) -> None:
    made = _round(cast)
    team = services.team_create(
        actor=cast.office_user, round_id=made.pk, name="县委第一巡察组", leader="王某"
    )
    services.team_assign(
        actor=cast.office_user, team_id=team.pk, organisation_ids=[cast.a.org.pk, cast.b.org.pk]
    )
    assert set(team.organisations.all()) == {cast.a.org, cast.b.org}
    _office, _user, elsewhere = _other_office()
    for wrong in (elsewhere.pk, cast.a.department.pk, cast.office.pk):
        with pytest.raises(NotFound, match="不在本巡察办的被巡察单位之中"):
            services.team_assign(actor=cast.office_user, team_id=team.pk, organisation_ids=[wrong])
    assert set(team.organisations.all()) == {cast.a.org, cast.b.org}
    assert _actions() == ["round.create", "team.create", "team.assign"]
    with pytest.raises(Refused, match="本轮次已有名为「县委第一巡察组」的巡察组"):
        services.team_create(actor=cast.office_user, round_id=made.pk, name="县委第一巡察组")


@pytest.mark.django_db
def test_the_office_registers_an_inspection_without_a_document(cast: Cast) -> None:
    made = _round(cast, kind=Round.Kind.MOBILE)
    team = services.team_create(actor=cast.office_user, round_id=made.pk, name="县委第二巡察组")
    found = services.inspection_register(
        actor=cast.office_user,
        round_id=made.pk,
        organisation_id=cast.b.org.pk,
        team_id=team.pk,
        feedback_date=dt.date(2025, 6, 1),
    )
    assert (found.round, found.team, found.kind, found.inspection_body) == (
        made,
        team,
        "机动",
        "县委第二巡察组",
    )
    assert not found.sources.exists() and list(team.organisations.all()) == [cast.b.org]
    event = Event.objects.get(action="inspection.register")
    assert event.inspection_id == found.pk
    with pytest.raises(Refused, match="「县文旅局」在本轮次已登记巡察"):
        services.inspection_register(
            actor=cast.office_user, round_id=made.pk, organisation_id=cast.b.org.pk
        )
    _office, _user, elsewhere = _other_office()
    with pytest.raises(NotFound):
        services.inspection_register(
            actor=cast.office_user, round_id=made.pk, organisation_id=elsewhere.pk
        )


@pytest.mark.django_db
def test_the_rules_in_force_are_the_rounds_else_the_offices(cast: Cast) -> None:
    OfficeSettings.objects.create(office=cast.office, plan_days=40, report_days=80)
    made = _round(cast, report_days=50)
    found = services.inspection_register(
        actor=cast.office_user,
        round_id=made.pk,
        organisation_id=cast.b.org.pk,
        feedback_date=dt.date(2025, 1, 1),
    )
    rules = rules_in_force(found)
    assert (rules.plan_days, rules.report_days) == (40, 50)
    due = due_dates(found.feedback_date, rules)
    assert due is not None and (due.plan, due.report) == (
        dt.date(2025, 2, 10),
        dt.date(2025, 2, 20),
    )
    assert rules_in_force(cast.a.inspection).report_days == 80  # no round: the office's


# --- Attaching the feedback later --------------------------------------------------------


def _register(cast: Cast) -> Inspection:
    made = _round(cast)
    return services.inspection_register(
        actor=cast.office_user, round_id=made.pk, organisation_id=cast.b.org.pk
    )


def _attach(user: User, cast: Cast, inspection: Inspection) -> sources.Imported:
    return sources.feedback_import(
        actor=user,
        organisation_id=cast.b.org.pk,
        name=FEEDBACK.name,
        content=FEEDBACK.read_bytes(),
        other_organisation_ok=True,
        inspection_id=inspection.pk,
    )


@pytest.mark.django_db
def test_the_organisation_attaches_the_feedback_to_the_registered_inspection(cast: Cast) -> None:
    registered = _register(cast)
    before = Inspection.objects.count()
    done = _attach(cast.b.users[Role.RECTIFICATION_OFFICE], cast, registered)
    assert done.created and done.inspection is not None and done.inspection.pk == registered.pk
    assert Inspection.objects.count() == before  # no new inspection
    registered.refresh_from_db()
    assert registered.categories.exists() and registered.sources.count() == 1
    assert registered.round is not None and registered.feedback_date == dt.date(2024, 6, 12)
    assert Event.objects.filter(action="inspection.feedback_attach").count() == 1
    # The same file again (a job run twice) changes nothing.
    again = _attach(cast.office_user, cast, registered)
    assert not again.created and registered.sources.count() == 1


@pytest.mark.django_db
def test_a_second_feedback_is_refused_in_chinese(cast: Cast) -> None:
    registered = _register(cast)
    _attach(cast.office_user, cast, registered)
    other = Path(__file__).parent.parent / "feedback" / "b_no_wrapper.txt"
    with pytest.raises(Refused, match="该巡察已上传反馈意见，不能再次上传"):
        sources.feedback_import(
            actor=cast.office_user,
            organisation_id=cast.b.org.pk,
            name=other.name,
            content=other.read_bytes(),
            other_organisation_ok=True,
            inspection_id=registered.pk,
        )
    assert registered.sources.count() == 1


@pytest.mark.django_db
def test_an_inspection_of_another_organisation_is_not_a_target(cast: Cast) -> None:
    registered = _register(cast)
    with pytest.raises(NotFound):
        _attach(cast.a.users[Role.RECTIFICATION_OFFICE], cast, registered)
    with pytest.raises(Refused, match="该巡察不属于所选单位"):
        sources.feedback_import(
            actor=cast.office_user,
            organisation_id=cast.a.org.pk,
            name=FEEDBACK.name,
            content=FEEDBACK.read_bytes(),
            other_organisation_ok=True,
            inspection_id=registered.pk,
        )


def _named_round(cast: Cast, name: str) -> Round:
    return services.round_create(
        actor=cast.office_user, office_id=cast.office.pk, fields=RoundFields(name=name)
    )


def test_the_office_edits_a_team_audited_and_its_name_stays_unique(cast: Cast) -> None:
    round = _named_round(cast, "第一轮")
    team = services.team_create(actor=cast.office_user, round_id=round.pk, name="第一巡察组")
    services.team_create(actor=cast.office_user, round_id=round.pk, name="第二巡察组")
    edited = services.team_edit(
        actor=cast.office_user, team_id=team.pk, name="第三巡察组", leader="张组长"
    )
    assert (edited.name, edited.leader) == ("第三巡察组", "张组长")
    event = Event.objects.get(action="team.edit")
    assert event.before is not None and event.after is not None
    assert (event.before["name"], event.after["name"]) == ("第一巡察组", "第三巡察组")
    with pytest.raises(Refused, match="本轮次已有名为「第二巡察组」的巡察组"):
        services.team_edit(actor=cast.office_user, team_id=team.pk, name="第二巡察组")
    with pytest.raises(Refused, match="不能为空"):
        services.team_edit(actor=cast.office_user, team_id=team.pk, name="  ")
    for user in (cast.a.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        with pytest.raises((NotFound, Refused)):
            services.team_edit(actor=user, team_id=team.pk, name="改名")
    assert Team.objects.get(pk=team.pk).name == "第三巡察组"


def test_an_inspection_moves_to_another_round_and_team_audited(cast: Cast) -> None:
    first, second = _named_round(cast, "第一轮"), _named_round(cast, "第二轮")
    team = services.team_create(actor=cast.office_user, round_id=second.pk, name="第二巡察组")
    registered = services.inspection_register(
        actor=cast.office_user, round_id=first.pk, organisation_id=cast.a.org.pk
    )
    moved = services.inspection_move(
        actor=cast.office_user, inspection_id=registered.pk, round_id=second.pk, team_id=team.pk
    )
    assert (moved.round_id, moved.team_id, moved.inspection_body) == (
        second.pk, team.pk, "第二巡察组",
    )  # fmt: skip
    assert list(team.organisations.all()) == [cast.a.org]
    event = Event.objects.get(action="inspection.move")
    assert event.before is not None and event.after is not None
    assert (event.before["round_id"], event.after["round_id"]) == (first.pk, second.pk)
    # An inspection imported before its round was registered joins it the same way.
    services.inspection_move(
        actor=cast.office_user, inspection_id=cast.b.inspection.pk, round_id=first.pk
    )
    assert Inspection.objects.get(pk=cast.b.inspection.pk).round_id == first.pk


def test_a_move_is_refused_where_it_would_not_hold(cast: Cast) -> None:
    first, second = _named_round(cast, "第一轮"), _named_round(cast, "第二轮")
    other_team = services.team_create(actor=cast.office_user, round_id=first.pk, name="组")
    one = services.inspection_register(
        actor=cast.office_user, round_id=first.pk, organisation_id=cast.a.org.pk
    )
    services.inspection_register(
        actor=cast.office_user, round_id=second.pk, organisation_id=cast.a.org.pk
    )
    with pytest.raises(Refused, match="在该轮次已登记巡察"):
        services.inspection_move(actor=cast.office_user, inspection_id=one.pk, round_id=second.pk)
    with pytest.raises(NotFound, match="不属于本轮次"):
        services.inspection_move(
            actor=cast.office_user, inspection_id=one.pk, round_id=first.pk, team_id=0
        )
    other = Organisation.objects.create(name="市委巡察办", kind=Organisation.Kind.OFFICE)
    stranger = User.objects.create_user(username="other_office")
    Membership.objects.create(user=stranger, organisation=other, role=Role.INSPECTION_OFFICE)
    for user in (stranger, cast.a.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        with pytest.raises((NotFound, Refused)):
            services.inspection_move(actor=user, inspection_id=one.pk, round_id=first.pk)
    assert Inspection.objects.get(pk=one.pk).round_id == first.pk
    assert not Event.objects.filter(action="inspection.move").exists()
    del other_team
