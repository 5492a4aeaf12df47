"""The demo that `make run` serves: one inspection office, the five seed bulletins
imported as five inspected organisations' ledgers, one user for every role, and
the progress each bulletin reports.

Every change to the ledger goes through the services of ``services/ledger.py``,
made by the demo user whose job it is, so the audit trail reads like real work:
the responsible person reports progress and files evidence, the rectification
office reviews it, the responsible leader signs the measure off, the first
responsible person the problem.

Which problems stay open: those the bulletin lists as unfinished (its
「需要进一步整改的事项」). Where it lists none but states fewer problems completed
than it has (「17项问题已有16项整改完毕」), the gap is left open, taken from the
last problems whose measures announce work still to come (拟…, 正在…). The rest
is signed off, as the bulletins say.

Loading again changes nothing: an inspection's ledger is worked only while its
plan is a draft nobody has started on, and accounts that exist keep their
passwords. The passwords the demo set are kept in a file (mode 0600) in the data
folder so that a second run can print them again; one whose account has since
changed its password is not printed.
"""

import datetime as dt
import json
import os
import re
import secrets
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.core.files import write_whole
from zhenggai.core.model import Document
from zhenggai.core.readers import parse_bytes
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger.models import Evidence, Measure, Unfinished
from zhenggai.orgs.models import Membership, Organisation, Role
from zhenggai.refusals import Refused
from zhenggai.services import ledger as services
from zhenggai.services import plan_review
from zhenggai.services.importing import import_document, organisation_named

OFFICE_NAME = "县委巡察办"
OFFICE_USER = "office"
DEPARTMENTS = ("办公室", "新闻部", "技术部")
PASSWORD_FILE = "demo-passwords.json"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread: no 0/o, 1/l/i
# Days from today to the deadline of a measure still open, in turn: overdue, red, yellow,
# green under the default warning tiers (10 and 20 days).
OPEN_DEADLINES = (-12, 6, 16, 45)
# Days from the feedback to the deadline of a finished measure, in turn.
DONE_DEADLINES = (30, 60, 90)
# Measures that announce work still to come: 拟开展…, 正在…, 目前正….
STILL_TO_COME = re.compile("拟|正在|目前正")
# The roles inside an inspected organisation; the inspection office's sits above them.
ROLES: list[Role] = [role for role in Role if role != Role.INSPECTION_OFFICE]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation: str
    password: str | None  # None: the account existed with a password the demo did not set


def seeds() -> list[tuple[str, bytes]]:
    """The seed bulletins shipped in the package, by file name."""
    folder = resources.files("zhenggai") / "demo_data"
    return sorted((f.name, f.read_bytes()) for f in folder.iterdir() if f.name.endswith(".txt"))


def organisation_name(document: Document, fallback: str) -> str:
    """The organisation the bulletin names, completed from its title where the title says
    more: 「黄陂区融媒体中心关于…」 turns 「区融媒体中心」 into 「黄陂区融媒体中心」."""
    title, named = document.title or "", document.org or ""
    if named and named in title:
        fuller = title[: title.index(named) + len(named)]
        return named if "关于" in fuller else fuller
    if named:
        return named
    return title.partition("关于")[0] if "关于" in title else fallback


@dataclass(frozen=True)
class _Bulletin:
    name: str
    content: bytes
    document: Document

    @property
    def organisation(self) -> str:
        return organisation_name(self.document, Path(self.name).stem)

    def load(self, org: Organisation, actor: User) -> Inspection:
        """Imported as the organisation's inspection (once: the importer knows the file)."""
        return import_document(
            document=self.document,
            content=self.content,
            source_name=self.name,
            org_name=org.name,
            actor=actor,
        ).inspection


def load(*, password_file: Path | None = None) -> list[DemoUser]:
    """Load the demo into the configured database; the demo users, with their passwords.

    1. the office, the five organisations and every account, then their memberships;
    2. each seed imported as its organisation's inspection, by the office user;
    3. each new ledger worked as the bulletin reports (see the module's docstring).
    """
    path = password_file or Path(settings.DATA_DIR) / PASSWORD_FILE
    stored = _read_passwords(path)
    bulletins = [_Bulletin(name, content, parse_bytes(content, name)) for name, content in seeds()]
    with transaction.atomic(), ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        _refuse_real_organisations([bulletin.organisation for bulletin in bulletins])
        office = _office()
        orgs = [organisation_named(bulletin.organisation) for bulletin in bulletins]
        wanted = _wanted(office, orgs)
        accounts, hashing = _accounts(wanted, stored, pool)
        for username, role, org in wanted:
            _member(accounts[username], org, role)
        for number, (bulletin, org) in enumerate(zip(bulletins, orgs, strict=True), 1):
            inspection = bulletin.load(org, accounts[OFFICE_USER])
            people = {role: accounts[_username(number, role)] for role in ROLES}
            _work(_Unit(inspection, org.name, _departments(org), people))
        _set_passwords(accounts, hashing, stored)
        _write_passwords(path, stored)
    return [
        DemoUser(username, role, org.name, _known_password(accounts[username], stored))
        for username, role, org in wanted
    ]


# Organisations, accounts and memberships.


def _refuse_real_organisations(demo_units: list[str]) -> None:
    """The demo goes only into an empty database or one that holds the demo alone:
    its users (the office account sees everything) must never reach real data."""
    demo = {OFFICE_NAME, *demo_units, *DEPARTMENTS}
    real = Organisation.objects.exclude(name__in=demo).order_by("pk").values_list("name", flat=True)
    found = real.first()
    if found is not None:
        raise Refused(
            _(
                "数据库中已有演示以外的单位（如「%(name)s」），演示数据不能载入：请为演示另用一个数据目录或数据库"
            )
            % {"name": found}
        )


def _username(number: int, role: Role) -> str:
    return f"org{number}_{role.value}"


def _wanted(office: Organisation, orgs: list[Organisation]) -> list[tuple[str, Role, Organisation]]:
    wanted = [(OFFICE_USER, Role.INSPECTION_OFFICE, office)]
    for number, org in enumerate(orgs, 1):
        wanted += [(_username(number, role), role, org) for role in ROLES]
    return wanted


def _office() -> Organisation:
    """The first office, as the importer's default_office() takes it, made if there is none."""
    found = Organisation.objects.filter(kind=Organisation.Kind.OFFICE).order_by("pk").first()
    return found or _organisation(OFFICE_NAME, Organisation.Kind.OFFICE, None)


def _departments(org: Organisation) -> list[Organisation]:
    return [_organisation(name, Organisation.Kind.DEPARTMENT, org) for name in DEPARTMENTS]


def _organisation(name: str, kind: str, parent: Organisation | None) -> Organisation:
    found, created = Organisation.objects.get_or_create(name=name, kind=kind, parent=parent)
    if created:
        _recorded(Action.ORGANISATION_CREATE, found)
    return found


def _member(user: User, org: Organisation, role: Role) -> None:
    membership, created = Membership.objects.get_or_create(user=user, organisation=org, role=role)
    if created:
        _recorded(Action.MEMBERSHIP_CREATE, membership)


def _recorded(action: Action, obj: models.Model) -> None:
    chain.record(actor=None, action=action, obj=obj, after=chain.snapshot(obj))


def _accounts(
    wanted: list[tuple[str, Role, Organisation]],
    stored: dict[str, dict[str, str]],
    pool: ThreadPoolExecutor,
) -> tuple[dict[str, User], dict[str, tuple[str, Future[str]]]]:
    """The accounts by username, and the passwords being hashed for the ones made here.

    A new account starts without a usable password while its hash is computed on the
    other cores: PBKDF2 takes a quarter of a second each and releases the GIL, so the
    26 hashes cost nothing beside the ledger work instead of three seconds before it.
    """
    names = [username for username, _, _ in wanted]
    accounts = {u.username: u for u in User.objects.filter(username__in=names)}
    hashing: dict[str, tuple[str, Future[str]]] = {}
    for username, role, org in wanted:
        if username not in accounts:
            password = stored.get(username, {}).get("password") or _new_password()
            hashing[username] = (password, pool.submit(make_password, password))
            accounts[username] = User.objects.create(
                username=username,
                password=make_password(None),
                first_name=f"{org.name}{role.label}"[:150],
            )
    return accounts, hashing


def _set_passwords(
    accounts: dict[str, User],
    hashing: dict[str, tuple[str, Future[str]]],
    stored: dict[str, dict[str, str]],
) -> None:
    for username, (password, digest) in hashing.items():
        user = accounts[username]
        user.password = digest.result()
        user.save(update_fields=["password"])
        stored[username] = {"password": password, "hash": user.password}


def _new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))


def _known_password(user: User, stored: dict[str, dict[str, str]]) -> str | None:
    """The password the demo set, if the account still has it: the stored hash, salt and
    all, is still the account's (cheaper than checking 26 passwords with PBKDF2)."""
    entry = stored.get(user.username, {})
    return entry.get("password") if entry.get("hash") == user.password else None


def _read_passwords(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        return {}  # unreadable: the accounts are there, their passwords just won't be printed
    return data if isinstance(data, dict) else {}


def _write_passwords(path: Path, passwords: dict[str, dict[str, str]]) -> None:
    """Written whole then renamed, readable by the owner only."""
    text = json.dumps(passwords, ensure_ascii=False, indent=1, sort_keys=True)
    write_whole(path, text.encode())


# Working a ledger through the services, as the bulletin reports it.


@dataclass
class _Unit:
    inspection: Inspection
    org_name: str
    departments: list[Organisation]
    people: dict[Role, User]

    @property
    def office(self) -> User:
        return self.people[Role.RECTIFICATION_OFFICE]

    @property
    def person(self) -> User:
        return self.people[Role.RESPONSIBLE_PERSON]

    @property
    def first(self) -> User:
        return self.people[Role.FIRST_RESPONSIBLE]

    @property
    def leaders(self) -> tuple[User, User]:
        return self.people[Role.RESPONSIBLE_LEADER], self.first


def _work(unit: _Unit) -> None:
    """1. find the problems left open; 2. assign every measure and approve the plan;
    3. finish or advance each measure; 4. sign off each problem, sub-problems first."""
    inspection = unit.inspection
    started = inspection.measures.exclude(state=State.NOT_STARTED).exists()
    if inspection.plan_state != PlanState.DRAFT or started:
        return
    today = timezone.localdate()
    problems = list(inspection.problems.order_by("pk"))
    measures = list(inspection.measures.order_by("pk"))
    still_open = _open_problems(inspection, problems, measures)
    days = _deadlines(inspection, measures, still_open, today)
    for index, measure in enumerate(measures):
        _assign(unit, measure, index, days[measure.pk])
    _approve_plan(unit)
    kept_open = 0
    for measure in measures:
        if measure.problem_id in still_open:
            _advance(unit, measure, still_open[measure.problem_id], kept_open, today)
            kept_open += 1
        else:
            _finish(unit, measure, min(days[measure.pk] - dt.timedelta(days=7), today))
    _close_problems(unit, problems, still_open)


def _open_problems(
    inspection: Inspection, problems: list[Problem], measures: list[Measure]
) -> dict[int, Unfinished | None]:
    """The problems left open, each with the bulletin's unfinished item where it has one,
    their parents included."""
    found: dict[int, Unfinished | None] = {}
    for item in inspection.unfinished.all():
        # The importer linked each item to the problem it names, where it could.
        if item.problem_id is not None:
            found[item.problem_id] = item
    if not found:
        found = dict.fromkeys((p.pk for p in _stated_gap(inspection, problems, measures)), None)
    parents = {p.pk: p.parent_id for p in problems}
    for pk in list(found):
        parent = parents[pk]
        while parent is not None:
            found.setdefault(parent, None)
            parent = parents[parent]
    return found


def _stated_gap(
    inspection: Inspection, problems: list[Problem], measures: list[Measure]
) -> list[Problem]:
    """As many problems as the bulletin says are not done yet, when it lists none itself."""
    stated = inspection.stated_totals
    total, completed = stated.get("problems"), stated.get("completed")
    if not isinstance(total, int) or not isinstance(completed, int) or completed >= total:
        return []
    top = [p for p in problems if p.parent_id is None]
    family = {p.pk: p.parent_id or p.pk for p in problems}
    announcing = {
        family[m.problem_id] for m in measures if m.problem_id and STILL_TO_COME.search(m.text)
    }
    ranked = sorted(top, key=lambda p: p.pk in announcing)  # stable: document order kept
    return ranked[-(total - completed) :]


def _deadlines(
    inspection: Inspection,
    measures: list[Measure],
    still_open: dict[int, Unfinished | None],
    today: dt.date,
) -> dict[int, dt.date]:
    """Finished measures: due some weeks after the feedback. Open ones: due around today,
    in turn overdue, red, yellow and green."""
    feedback = inspection.feedback_date or inspection.document_date
    base = feedback or today - dt.timedelta(days=120)
    days: dict[int, dt.date] = {}
    done = kept_open = 0
    for measure in measures:
        if measure.problem_id in still_open:
            offset = OPEN_DEADLINES[kept_open % len(OPEN_DEADLINES)]
            days[measure.pk] = today + dt.timedelta(days=offset)
            kept_open += 1
        else:
            days[measure.pk] = base + dt.timedelta(days=DONE_DEADLINES[done % len(DONE_DEADLINES)])
            done += 1
    return days


def _assign(unit: _Unit, measure: Measure, index: int, deadline: dt.date) -> None:
    """The plan's assignment of a measure, round-robin over the departments and leaders,
    by the rectification office. A deadline the document gave is kept."""
    leader = unit.leaders[index % len(unit.leaders)]
    updated = services.measure_assign(
        actor=unit.office,
        measure_id=measure.pk,
        department_id=unit.departments[index % len(unit.departments)].pk,
        person_id=unit.person.pk,
        leader_id=leader.pk,
        deadline=deadline if measure.deadline is None else None,
    )
    measure.department, measure.person, measure.leader = (
        updated.department,
        updated.person,
        updated.leader,
    )
    measure.deadline, measure.original_deadline = updated.deadline, updated.original_deadline


def _approve_plan(unit: _Unit) -> None:
    pk = unit.inspection.pk
    # The seeds report work done under plans approved on paper before the demo's today.
    plan_review.plan_record_approved(
        actor=unit.office, inspection_id=pk, comment="整改方案已经党组会议审定并报巡察办备案"
    )


def _finish(unit: _Unit, measure: Measure, day: dt.date) -> None:
    """Progress, evidence, its acceptance, the request and the sign-off."""
    pk, person, leader = measure.pk, unit.person, measure.leader
    assert leader is not None
    services.measure_move(actor=person, measure_id=pk, move="start", data=MoveInput())
    services.progress_record(actor=person, measure_id=pk, date=day, text=measure.text)
    evidence = _evidence(unit, measure, day)
    services.evidence_review(
        actor=unit.office, evidence_id=evidence.pk, accept=True, comment="材料齐全，予以认可"
    )
    request = MoveInput(comment="已按方案完成整改，申请销号")
    services.measure_move(actor=person, measure_id=pk, move="submit", data=request)
    services.measure_move(
        actor=leader, measure_id=pk, move="sign_off", data=MoveInput(comment="同意销号")
    )


def _advance(
    unit: _Unit, measure: Measure, item: Unfinished | None, index: int, today: dt.date
) -> None:
    """Started, with what was done so far and, for the bulletin's unfinished items, why it
    is not done; every other one has evidence waiting for review."""
    pk, person = measure.pk, unit.person
    day = today - dt.timedelta(days=3)
    services.measure_move(actor=person, measure_id=pk, move="start", data=MoveInput())
    services.progress_record(actor=person, measure_id=pk, date=day, text=measure.text)
    if item is not None and item.reason:
        why = f"未完成整改原因：{item.reason}\n下一步整改措施：{item.next_steps or ''}"
        services.progress_record(actor=person, measure_id=pk, date=today, text=why.strip())
    if index % 2 == 0:
        _evidence(unit, measure, day)


def _evidence(unit: _Unit, measure: Measure, day: dt.date) -> Evidence:
    text = (
        "佐证材料（演示数据）\n"
        f"单位：{unit.org_name}\n"
        f"整改措施：{measure.text}\n"
        f"日期：{day.year}年{day.month}月{day.day}日\n"
    )
    return services.evidence_add(
        actor=unit.person,
        measure_id=measure.pk,
        name=f"佐证材料-{measure.pk}.txt",
        content=text.encode(),
        effective_date=day,
    )


def _close_problems(
    unit: _Unit, problems: list[Problem], still_open: dict[int, Unfinished | None]
) -> None:
    """Every problem started; the finished ones signed off, sub-problems before parents."""
    parents = {p.pk: p.parent_id for p in problems}

    def depth(pk: int | None) -> int:
        return 0 if pk is None else 1 + depth(parents[pk])

    with_measures = set(
        Measure.objects.filter(problem__in=problems).values_list("problem_id", flat=True)
    )
    for problem in sorted(problems, key=lambda p: (-depth(p.pk), p.pk)):
        pk = problem.pk
        # Its first measure started it, if it has measures of its own.
        if Problem.objects.filter(pk=pk, state=State.NOT_STARTED).exists():
            services.problem_move(actor=unit.office, problem_id=pk, move="start", data=MoveInput())
        if pk in still_open:
            continue
        try:
            _sign_off_problem(unit, pk)
        except Refused:
            # problem_flow counts a problem's own measures only, so a parent whose measures
            # all sit in its sub-problems cannot be signed off yet: it stays in progress.
            if pk in with_measures:
                raise


def _sign_off_problem(unit: _Unit, pk: int) -> None:
    request = MoveInput(comment="各项整改措施均已销号，申请问题销号")
    services.problem_move(actor=unit.office, problem_id=pk, move="submit", data=request)
    agreed = MoveInput(comment="同意销号")
    services.problem_move(actor=unit.first, problem_id=pk, move="sign_off", data=agreed)
