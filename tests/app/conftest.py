"""The fixed cast of every database test (STYLE.md 12): an inspection office, two
sibling inspected organisations with one user per role each, and a small ledger."""

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from zhenggai.inspections.models import Category, Inspection, Problem, SourceDocument
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Membership, Organisation, Role

PASSWORD = "test-password"


@dataclass
class Unit:
    """An inspected organisation with its people, by role, and one inspection."""

    org: Organisation
    department: Organisation
    users: dict[Role, User]
    inspection: Inspection
    problem: Problem
    measure: Measure  # the responsible person's and leader's own
    other_measure: Measure  # someone else's, in another department


@dataclass
class Cast:
    office: Organisation
    office_user: User
    a: Unit
    b: Unit
    outsider: User  # signed in, member of nothing
    everyone: dict[str, User] = field(default_factory=dict)


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password=PASSWORD)


def _unit(prefix: str, name: str, office: Organisation) -> Unit:
    org = Organisation.objects.create(name=name, kind=Organisation.Kind.INSPECTED, parent=office)
    department = Organisation.objects.create(
        name="新闻部", kind=Organisation.Kind.DEPARTMENT, parent=org
    )
    elsewhere = Organisation.objects.create(
        name="办公室", kind=Organisation.Kind.DEPARTMENT, parent=org
    )
    users: dict[Role, User] = {}
    for role in Role:
        if role == Role.INSPECTION_OFFICE:
            continue
        user = users[role] = _user(f"{prefix}_{role.value}")
        Membership.objects.create(
            user=user,
            organisation=org,
            role=role,
            department=department if role == Role.RESPONSIBLE_PERSON else None,
        )
    inspection = Inspection.objects.create(organisation=org, title=f"{name}巡察整改", level="巡察")
    category = Category.objects.create(inspection=inspection, position=1, title="政治建设方面")
    problem = Problem.objects.create(
        inspection=inspection, category=category, position=1, title="理论学习不深入"
    )
    deadline = dt.date.today() + dt.timedelta(days=30)

    def measure(position: int, unit: Organisation, own: bool) -> Measure:
        return Measure.objects.create(
            inspection=inspection,
            category=category,
            problem=problem,
            position=position,
            text=f"{name}措施{position}",
            department=unit,
            person=users[Role.RESPONSIBLE_PERSON] if own else None,
            leader=users[Role.RESPONSIBLE_LEADER] if own else None,
            original_deadline=deadline,
            deadline=deadline,
        )

    return Unit(
        org,
        department,
        users,
        inspection,
        problem,
        measure(1, department, True),
        measure(2, elsewhere, False),
    )


@pytest.fixture(autouse=True, scope="session")
def _audit_files_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The run's audit key and anchor in pytest's folder, not the data folder: what a
    module's fixture writes (test_demo.py loads the demo once) is signed with it."""
    folder = tmp_path_factory.mktemp("audit")
    with override_settings(
        AUDIT_KEY_FILE=folder / "audit.key", AUDIT_ANCHOR_FILE=folder / "audit.anchor"
    ):
        yield folder / "audit.key"


@pytest.fixture(autouse=True)
def _audit_files_of_its_own(
    settings: Any, tmp_path_factory: pytest.TempPathFactory, _audit_files_of_the_run: Path
) -> None:
    """Each test its own copy of the key, to lose or change, and its own anchor: an
    anchor a test leaves would otherwise describe the next test's (rolled back)
    database. In a folder beside the test's tmp_path, which stays the test's alone."""
    folder = tmp_path_factory.mktemp("audit")
    if _audit_files_of_the_run.exists():
        shutil.copy2(_audit_files_of_the_run, folder / "audit.key")
    settings.AUDIT_KEY_FILE = folder / "audit.key"
    settings.AUDIT_ANCHOR_FILE = folder / "audit.anchor"


@pytest.fixture(autouse=True)
def _chinese_after_each_test() -> Iterator[None]:
    """LocaleMiddleware leaves the last request's language active in the thread: a test
    that asked in English would otherwise turn the next one's messages English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def noted_on_import(inspection_id: int) -> list[str]:
    """What the parser noted of the documents imported into the inspection: a written
    document carries the source's contradictions (seed 004's) and adds none."""
    stored = SourceDocument.objects.filter(inspection_id=inspection_id).values_list(
        "warnings", flat=True
    )
    return [w["why"] for ws in stored for w in ws or []]


def plans_approved(*units: Unit) -> None:
    """The units' plans approved: their deadlines bind, so a measure past one is
    overdue (ledger.derived.is_overdue)."""
    ids = [unit.inspection.pk for unit in units]
    Inspection.objects.filter(pk__in=ids).update(plan_approved=timezone.now())
    for unit in units:
        unit.inspection.refresh_from_db()


@pytest.fixture
def cast(db: None) -> Cast:
    office = Organisation.objects.create(name="县委巡察办", kind=Organisation.Kind.OFFICE)
    office_user = _user("office")
    Membership.objects.create(user=office_user, organisation=office, role=Role.INSPECTION_OFFICE)
    result = Cast(
        office,
        office_user,
        _unit("a", "县融媒体中心", office),
        _unit("b", "县文旅局", office),
        _user("outsider"),
    )
    result.everyone = {u.username: u for u in User.objects.all()}
    return result


# The demo (zhenggai demo), loaded once per module that asks for it.
@dataclass(frozen=True)
class Loaded:
    output: str
    password_file: Path


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Loaded]:
    """The demo loaded once for the module, inside a transaction rolled back at its end;
    each test runs in a savepoint of its own within it (the loading takes seconds)."""
    password_file = tmp_path_factory.mktemp("demo") / "passwords.json"
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield Loaded(demo_output(password_file), password_file)
        finally:
            transaction.set_rollback(True)


def demo_output(password_file: Path) -> str:
    out = StringIO()
    call_command("demo", "--password-file", str(password_file), stdout=out)
    return out.getvalue()
