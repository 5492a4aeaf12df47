"""zhenggai demo: the five seed bulletins as five organisations' ledgers, worked through
the services as each bulletin reports, one user per role; loading again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from tests.app.conftest import Loaded, demo_output
from tests.support import SAMPLES
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.core.model import Document
from zhenggai.demo import loader as demo
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.rules import combine, office_settings
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger import derived, problem_flow
from zhenggai.ledger.models import Approval, Evidence, Measure
from zhenggai.orgs.models import Membership, Organisation, Role

# Per seed: the organisation, categories, problems (sub-problems included), and the
# problems without sub-problems that the bulletin reports done and not done: 001 says
# 「17项问题已有16项整改完毕」, 004 lists five 「需要进一步整改的事项」.
SEEDS = {
    "000_0c9441f02b679b4a.txt": ("县融媒体中心", 4, 31, 31, 0),
    "001_2c543929d3ae0399.txt": ("黄陂区融媒体中心", 5, 17, 16, 1),
    "002_1385efacdcc48c67.txt": ("宽甸满族自治县融媒体中心", 1, 4, 4, 0),
    "003_e6326c23bdc634e7.txt": ("市广播电视台", 3, 17, 13, 0),
    "004_3e95463d206eb501.txt": ("晋江市融媒体中心", 4, 39, 25, 5),
}


def _printed(output: str) -> dict[str, str]:
    """username → the password column of the users table."""
    rows = [line.split() for line in output.splitlines()[1:]]
    return {row[0]: row[1] for row in rows}


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_packaged_seeds_are_the_test_samples() -> None:
    assert [(name, content) for name, content in demo.seeds()] == [
        (sample.name, sample.read_bytes()) for sample in SAMPLES
    ]


@pytest.mark.parametrize(
    ("title", "org", "expected"),
    [
        ("黄陂区融媒体中心关于巡察反馈意见整改落实情况的通报", "区融媒体中心", "黄陂区融媒体中心"),
        ("县融媒体中心2022年巡察整改进展情况报告", "县融媒体中心", "县融媒体中心"),
        ("关于县文旅局巡察整改进展情况的通报", "县文旅局", "县文旅局"),
        (None, "市广播电视台", "市广播电视台"),
        ("县文旅局关于巡察整改进展情况的通报", None, "县文旅局"),
        (None, None, "000_seed"),
    ],
)
def test_it_names_the_organisation_as_fully_as_the_bulletin_does(
    title: str | None, org: str | None, expected: str
) -> None:
    assert demo.organisation_name(Document(title=title, org=org), "000_seed") == expected


@pytest.mark.django_db
def test_it_builds_the_office_the_organisations_and_a_user_for_every_role(loaded: Loaded) -> None:
    printed = _printed(loaded.output)

    office = Organisation.objects.get(kind=Organisation.Kind.OFFICE)
    assert office.name == "县委巡察办"
    orgs = Organisation.objects.filter(kind=Organisation.Kind.INSPECTED).order_by("pk")
    assert [org.name for org in orgs] == [name for name, *_ in SEEDS.values()]
    for number, org in enumerate(orgs, 1):
        assert org.parent == office
        assert sorted(org.children.values_list("name", flat=True)) == sorted(demo.DEPARTMENTS)
        for role in demo.ROLES:
            user = User.objects.get(username=f"org{number}_{role.value}")
            assert Membership.objects.filter(user=user, organisation=org, role=role).exists()
            assert user.check_password(printed[user.username])
    office_user = User.objects.get(username="office")
    assert office_user.memberships.get().role == Role.INSPECTION_OFFICE
    assert office_user.check_password(printed["office"])
    assert len(printed) == 1 + 5 * len(demo.ROLES)
    assert loaded.password_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_it_works_each_ledger_as_its_bulletin_reports(loaded: Loaded) -> None:
    for name, (org, categories, problems, done, still_open) in SEEDS.items():
        inspection = Inspection.objects.get(sources__name=name)
        assert inspection.organisation.name == org
        assert inspection.plan_state == PlanState.APPROVED
        assert inspection.categories.count() == categories
        assert inspection.problems.count() == problems
        leaves = inspection.problems.filter(subproblems=None)
        assert leaves.filter(state=State.SIGNED_OFF).count() == done, name
        assert leaves.filter(state=State.IN_PROGRESS).count() == still_open, name
        for parent in inspection.problems.exclude(subproblems=None):
            assert parent.state == _expected_parent_state(parent), parent.title
    assert verify() is None


def _expected_parent_state(parent: Problem) -> str:
    """Done when its sub-problems are, if the problem workflow lets it be signed off."""
    if parent.subproblems.exclude(state=State.SIGNED_OFF).exists():
        return State.IN_PROGRESS
    signable = problem_flow.measures_done(parent, MoveInput()) is None
    return State.SIGNED_OFF if signable else State.IN_PROGRESS


@pytest.mark.django_db
def test_each_step_is_taken_by_the_user_whose_job_it_is(loaded: Loaded) -> None:
    measure = Measure.objects.filter(state=State.SIGNED_OFF).select_related("leader").first()
    assert measure is not None and measure.leader is not None and measure.person is not None
    assert measure.progress.get().text == measure.text
    evidence = measure.evidence.get()
    assert evidence.review == Evidence.Review.ACCEPTED
    assert evidence.supplied_by == measure.person
    approvals = {
        a.kind: a.approver.username if a.approver else ""
        for a in Approval.objects.filter(measure=measure)
    }
    assert approvals[Approval.Kind.EVIDENCE].endswith("_rectification_office")
    assert approvals[Approval.Kind.SIGN_OFF] == measure.leader.username
    sign_off = Event.objects.get(action="measure.sign_off", object_id=measure.pk)
    assert sign_off.actor_id == measure.leader.pk
    problem = Problem.objects.filter(state=State.SIGNED_OFF).first()
    assert problem is not None
    approver = Approval.objects.get(problem=problem).approver
    assert approver is not None and approver.username.endswith("_first_responsible")


@pytest.mark.django_db
def test_open_measures_show_every_warning(loaded: Loaded) -> None:
    today = timezone.localdate()
    rules = combine(
        office_settings(Organisation.objects.get(kind=Organisation.Kind.OFFICE).pk), None
    )
    open_measures = Measure.objects.filter(state=State.IN_PROGRESS)
    assert open_measures.count() > 0
    seen = {derived.warning(m.deadline, m.state, today, rules) for m in open_measures}
    assert seen == {derived.Warning.RED, derived.Warning.YELLOW, derived.Warning.GREEN}
    assert any(
        derived.is_overdue(m.deadline, m.state, today, m.inspection.plan_approved is not None)
        for m in open_measures.select_related("inspection")
    )
    # The bulletin's reasons for the unfinished items are in the progress record.
    reasons = Measure.objects.filter(progress__text__startswith="未完成整改原因")
    assert reasons.exists()
    assert not Measure.objects.filter(state=State.SIGNED_OFF, deadline__isnull=True).exists()


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_prints_the_same_users(loaded: Loaded) -> None:
    counts = _counts()

    assert demo_output(loaded.password_file) == loaded.output
    assert _counts() == counts
    assert verify() is None


@pytest.mark.django_db
def test_it_never_prints_a_password_that_was_changed_since(loaded: Loaded) -> None:
    first = _printed(loaded.output)
    user = User.objects.get(username="org2_discipline")
    user.set_password("chosen-by-the-user")
    user.save()

    again = _printed(demo_output(loaded.password_file))

    assert again["org2_discipline"] != first["org2_discipline"]
    assert again["org2_discipline"] not in first.values()
    assert {k: v for k, v in again.items() if k != "org2_discipline"} == {
        k: v for k, v in first.items() if k != "org2_discipline"
    }
    user.refresh_from_db()
    assert user.check_password("chosen-by-the-user")


@pytest.mark.django_db
def test_it_refuses_a_database_that_holds_real_organisations(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    from zhenggai.orgs.models import Organisation

    Organisation.objects.create(name="某市委巡察办", kind=Organisation.Kind.OFFICE)
    before = (Organisation.objects.count(), User.objects.count(), Inspection.objects.count())
    with pytest.raises(CommandError, match="已有演示以外的单位（如「某市委巡察办」）"):
        call_command("demo", password_file=tmp_path / "p.json", stdout=StringIO())
    after = (Organisation.objects.count(), User.objects.count(), Inspection.objects.count())
    assert after == before and not (tmp_path / "p.json").exists()
