"""Who may see and do what: the one place that decides.

A user's roles for an inspection come from memberships in its organisation
(or one of that organisation's departments) and, for the inspection office,
in any organisation above it. Everything readable is scoped through
``visible_inspections``; everything fetched by id goes through ``inspection_for``
and friends, which answer NotFound to someone who should not know it exists.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.models import User as AuthUser
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from zhenggai.assessment.models import Assessment
from zhenggai.campaigns.models import Campaign, CampaignCheck, CheckEvidence
from zhenggai.inspections import plan_flow
from zhenggai.inspections.models import CaseLead, Inspection, Problem, Round, Team
from zhenggai.inspections.moves import Item, Move, permits
from zhenggai.inspections.states import DONE_STATES, State
from zhenggai.ledger import measure_flow
from zhenggai.ledger.models import Evidence, Extension, Measure
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Account, Organisation, Role, role_names
from zhenggai.orgs.scope import (
    User,
    grants,
    roles_in,
    supervised_organisations,
    visible_organisations,
)
from zhenggai.refusals import NotFound, Refused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Row = TypeVar("Row", bound=Model)


def visible_inspections(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(organisation_id__in=visible_organisations(user))


def office_inspections(user: User) -> QuerySet[Inspection]:
    """The inspections of the organisations under the offices where the user is the
    inspection office (its cockpit); NotFound to anyone who is not: an organisation's
    own people never see the cockpit, nor any other organisation's figures."""
    if not any(g.role == Role.INSPECTION_OFFICE for g in grants(user)):
        raise NotFound(_("未找到该页面，或您无权查看"))
    return Inspection.objects.filter(organisation_id__in=supervised_organisations(user))


def _fetch(rows: "QuerySet[Row]", pk: int, lock: bool, related: Sequence[str]) -> "Row | None":
    """One row by id: locked for the caller's transaction (a service about to change
    it), with the related rows a page shows in the same query."""
    if lock:
        rows = rows.select_for_update()
    if related:
        rows = rows.select_related(*related)
    return rows.filter(pk=pk).first()


def _guarded(
    user: User, row: "Row | None", organisation_of: Callable[["Row"], int], missing: str
) -> tuple["Row", set[Role]]:
    """The row and the user's roles in its organisation; NotFound when there is no
    such row or the user holds no role there: both look the same from outside."""
    roles = roles_in(user, organisation_of(row)) if row is not None else set()
    if row is None or not roles:
        raise NotFound(missing)
    return row, roles


def _own_organisation(inspection: Inspection) -> int:
    return inspection.organisation_id


def _inspected(row: Problem | Measure) -> int:
    return row.inspection.organisation_id


def inspection_for(
    user: User, pk: int, *, lock: bool = False, related: Sequence[str] = ()
) -> tuple[Inspection, set[Role]]:
    """The inspection and the user's roles in it; NotFound to whoever may not know it."""
    inspection = _fetch(Inspection.objects.all(), pk, lock, related)
    return _guarded(user, inspection, _own_organisation, _("未找到该巡察，或您无权查看"))


# The parents a problem's page shows come in the same row: they cost no extra query.
# (A locked row takes only its inspection: PostgreSQL locks no outer join's side.)
PROBLEM_PAGE = ("inspection__organisation", "category", "parent")


def problem_for(
    user: User, pk: int, *, lock: bool = False, related: Sequence[str] = PROBLEM_PAGE
) -> tuple[Problem, set[Role]]:
    problem = _fetch(Problem.objects.all(), pk, lock, related)
    return _guarded(user, problem, _inspected, _("未找到该问题，或您无权查看"))


def measure_for(
    user: User, pk: int, *, lock: bool = False, related: Sequence[str] = ("inspection",)
) -> tuple[Measure, set[Role]]:
    """The measure and the roles the user may act with on it (possibly none: a reader)."""
    found = _fetch(Measure.objects.all(), pk, lock, related)
    measure, roles = _guarded(user, found, _inspected, _("未找到该整改措施，或您无权查看"))
    return measure, narrow_to_measure(user, measure, roles)


def _measure_of(
    user: User, part: type[Evidence | Extension], pk: int, lock: bool, missing: str
) -> tuple[Measure, set[Role]]:
    """The measure a part of it belongs to, through the measure's door; one NotFound,
    naming the part, whether the part or its measure is what the user may not see."""
    measure_id = part.objects.filter(pk=pk).values_list("measure_id", flat=True).first()
    try:
        if measure_id is None:
            raise NotFound(missing)
        return measure_for(user, measure_id, lock=lock)
    except NotFound:
        raise NotFound(missing) from None


def evidence_for(user: User, pk: int, *, lock: bool = False) -> tuple[Evidence, Measure, set[Role]]:
    """A file of evidence, its measure (locked with it when asked) and the user's roles
    on that measure; NotFound to whoever may not see the measure."""
    measure, roles = _measure_of(user, Evidence, pk, lock, _("未找到该佐证材料，或您无权查看"))
    evidence = _fetch(Evidence.objects.all(), pk, lock, ())
    assert evidence is not None
    return evidence, measure, roles


def extension_for(
    user: User, pk: int, *, lock: bool = False
) -> tuple[Extension, Measure, set[Role]]:
    """An extension request, its measure and the user's roles on that measure."""
    measure, roles = _measure_of(user, Extension, pk, lock, _("未找到该延期申请，或您无权查看"))
    extension = _fetch(Extension.objects.all(), pk, lock, ())
    assert extension is not None
    return extension, measure, roles


def unit_for(user: User, pk: int) -> tuple[Organisation, set[Role]]:
    """An inspected organisation and the user's roles for its work."""
    unit = Organisation.objects.filter(pk=pk, kind=Organisation.Kind.INSPECTED).first()
    return _guarded(user, unit, lambda found: found.pk, _("未找到该单位，或您无权查看"))


def office_for(user: User, pk: int, *, lock: bool = False) -> Organisation:
    """An inspection office, to a member of it only; NotFound to anyone else."""
    office = _fetch(Organisation.objects.filter(kind=Organisation.Kind.OFFICE), pk, lock, ())
    if office is None or not any(
        g.role == Role.INSPECTION_OFFICE and g.organisation_id == office.pk for g in grants(user)
    ):
        raise NotFound(_("未找到该巡察办，或您无权查看"))
    return office


# --- Administering an office: its organisations and its people --------------------
# An administrator reaches their own office's tree (office → inspected organisations
# → departments) and its people, nothing else: another office's look like nothing.


def may_administer(user: User, office: Organisation) -> bool:
    """The office's administrator, while their account is active."""
    if not user.is_authenticated or not user.is_active:
        return False
    mine = Account.objects.filter(user_id=user.pk, office_id=office.pk, administrator=True)
    return mine.exists()


def office_administered_by(user: User) -> Organisation | None:
    """The office the user administers, if any (the home page's link)."""
    if not user.is_authenticated or not user.is_active:
        return None
    mine = Account.objects.filter(user_id=user.pk, administrator=True).select_related("office")
    account = mine.first()
    return account.office if account is not None else None


def administered_office(user: User) -> Organisation:
    """The office the user administers; NotFound to anyone else."""
    office = office_administered_by(user)
    if office is None or not may_administer(user, office):
        raise NotFound(_("未找到该页面，或您无权查看"))
    return office


def tree_organisation_for(user: User, pk: int) -> tuple[Organisation, Organisation]:
    """An organisation of the office the user administers, and that office."""
    office = administered_office(user)
    found = next((o for o in org_selectors.office_tree(office.pk) if o.pk == pk), None)
    if found is None:
        raise NotFound(_("未找到该单位，或您无权查看"))
    return found, office


def person_for(user: User, pk: int, *, lock: bool = False) -> tuple[AuthUser, Organisation]:
    """A person of the office the user administers, and that office."""
    office = administered_office(user)
    tree = [o.pk for o in org_selectors.office_tree(office.pk)]
    rows = org_selectors.people(office.pk, tree).filter(pk=pk)
    found = rows.first()
    if found is not None and lock:
        found = AuthUser.objects.select_for_update().get(pk=found.pk)
    if found is None:
        raise NotFound(_("未找到该人员，或您无权查看"))
    return found, office


# --- Rounds: the inspection office's register of its rounds, teams and inspections ---
# Only the office's own people keep its rounds; another office's look like nothing.

ROUND_KEEPERS = frozenset({Role.INSPECTION_OFFICE})


def offices_kept_by(user: User) -> list[Organisation]:
    """The offices whose rounds the user keeps (usually one), by name."""
    ids = {g.organisation_id for g in grants(user) if g.role in ROUND_KEEPERS}
    found = Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.OFFICE)
    return list(found.order_by("name", "pk"))


def may_keep_rounds(user: User, office: Organisation) -> bool:
    """Register the office's rounds, their teams and inspections: its inspection office."""
    return any(g.role in ROUND_KEEPERS and g.organisation_id == office.pk for g in grants(user))


def in_office_tree(office: Organisation, organisation: Organisation) -> bool:
    """An organisation a round of the office may inspect: one inspected under it."""
    inspected = organisation.kind == Organisation.Kind.INSPECTED
    return inspected and organisation.parent_id == office.pk


def require_round_keeper(user: User) -> None:
    """Refused, naming the role, to whoever keeps no office's rounds."""
    if not any(g.role in ROUND_KEEPERS for g in grants(user)):
        require(set(), ROUND_KEEPERS, _("管理巡察轮次"))


def round_for(user: User, pk: int, *, lock: bool = False) -> Round:
    """A round, with its office, to the office's keepers; NotFound to anyone else."""
    require_round_keeper(user)
    found = _fetch(Round.objects.all(), pk, lock, () if lock else ("office",))
    if found is None or not may_keep_rounds(user, found.office):
        raise NotFound(_("未找到该巡察轮次，或您无权查看"))
    return found


def team_for(user: User, pk: int, *, lock: bool = False) -> Team:
    """A team, through its round's door."""
    team_round = Team.objects.filter(pk=pk).values_list("round_id", flat=True).first()
    try:
        if team_round is None:
            raise NotFound("")
        round_for(user, team_round)
    except NotFound:
        raise NotFound(_("未找到该巡察组，或您无权查看")) from None
    found = _fetch(Team.objects.all(), pk, lock, ())
    assert found is not None
    return found


def narrow_to_measure(user: User, measure: Measure, roles: set[Role]) -> set[Role]:
    """A responsible person and a responsible leader act only on what is theirs."""
    roles = set(roles)
    own_units = {g.department_id or g.organisation_id for g in grants(user)}
    if Role.RESPONSIBLE_PERSON in roles and not (
        measure.person_id == user.pk or measure.department_id in own_units
    ):
        roles.discard(Role.RESPONSIBLE_PERSON)
    if Role.RESPONSIBLE_LEADER in roles and measure.leader_id not in (None, user.pk):
        roles.discard(Role.RESPONSIBLE_LEADER)
    return roles


# --- Who may do what: one predicate per rule --------------------------------------
# Each is called by the service before it writes, and by the page to decide
# whether to show the control (tests/app/test_controls.py holds them together).

# The inspected organisation speaks for itself: its office assembles the bulletin,
# its first responsible person answers for it. The inspection office does not.
PUBLISHERS = frozenset({Role.RECTIFICATION_OFFICE, Role.FIRST_RESPONSIBLE})
# Those who sign the documents may change their wording.
TEMPLATE_EDITORS = frozenset({Role.RECTIFICATION_OFFICE, Role.FIRST_RESPONSIBLE})
PLAN_EDITORS = frozenset({Role.RECTIFICATION_OFFICE})
ASSIGNERS = frozenset({Role.RECTIFICATION_OFFICE})
IMPORTERS = frozenset({Role.RECTIFICATION_OFFICE, Role.INSPECTION_OFFICE})
FOLLOW_UP_REVIEWERS = frozenset({Role.INSPECTION_OFFICE})


def may_move(
    table: Mapping[str, Move[Item]], name: str, item: Item, state: str, roles: set[Role]
) -> bool:
    """A workflow move: the roles and the state its table names, and the kind of
    item it applies to. What the call must bring (evidence, a comment) is checked
    when it is made, and its reason shown."""
    move = table.get(name)
    return move is not None and permits(move, state, roles, item)


def may_work(roles: set[Role], measure: Measure) -> bool:
    """Report progress, add evidence, ask for more time: on a measure not signed off."""
    return bool(roles & measure_flow.WORKERS) and measure.state not in DONE_STATES


def may_request_extension(roles: set[Role], measure: Measure, pending: bool) -> bool:
    return may_work(roles, measure) and not pending


def may_review_evidence(roles: set[Role], evidence: Evidence) -> bool:
    return bool(roles & measure_flow.REVIEWERS) and evidence.review == Evidence.Review.PENDING


def may_decide_extension(roles: set[Role], extension: Extension) -> bool:
    pending = extension.decision == Extension.Decision.PENDING
    return bool(roles & measure_flow.SIGNERS) and pending


def may_follow_up(roles: set[Role], problem: Problem) -> bool:
    """回头看 looks again at what was closed."""
    return bool(roles & FOLLOW_UP_REVIEWERS) and problem.state in DONE_STATES


def may_assign(roles: set[Role]) -> bool:
    return bool(roles & ASSIGNERS)


def may_edit_plan(roles: set[Role], inspection: Inspection) -> bool:
    """Write the whole plan: while it is drafted or returned, before its first approval."""
    drafting = inspection.plan_state in plan_flow.DRAFTING and inspection.plan_approved is None
    return bool(roles & PLAN_EDITORS) and drafting


def may_amend(roles: set[Role], inspection: Inspection, problem_state: str) -> bool:
    """After the first approval, add measures to a problem a 回头看 reopened (an
    amendment, approved as the plan was)."""
    amendable = inspection.plan_approved is not None and (
        inspection.plan_state in plan_flow.AMENDABLE
    )
    return bool(roles & PLAN_EDITORS) and amendable and problem_state == State.REOPENED


def may_write_measure(
    roles: set[Role], inspection: Inspection, problem_state: str, measure_state: str | None = None
) -> bool:
    """Add a measure under a problem (``measure_state`` None), or change or delete
    one: anywhere in a draft; in an amendment only the new measures, not yet started."""
    if may_edit_plan(roles, inspection):
        return True
    fresh = measure_state in (None, State.NOT_STARTED)
    return may_amend(roles, inspection, problem_state) and fresh


def may_publish(roles: set[Role]) -> bool:
    return bool(roles & PUBLISHERS)


def may_change_templates(roles: set[Role]) -> bool:
    return bool(roles & TEMPLATE_EDITORS)


def may_import(roles: set[Role]) -> bool:
    return bool(roles & IMPORTERS)


# --- The registers of what the rectification led to (web/registers.py) -------------
# The discipline group records the outcomes it decides and disposes of the case
# leads handed to it; the rectification office may record outcomes too, and alone
# files what the organisation did (regulations, meetings, training, reminders).
# Everyone of the organisation and the inspection office reads them.

ACCOUNTABILITY_RECORDERS = frozenset({Role.DISCIPLINE, Role.RECTIFICATION_OFFICE})
CASE_LEAD_KEEPERS = frozenset({Role.DISCIPLINE})
WORK_RECORDERS = frozenset({Role.RECTIFICATION_OFFICE})


def may_record_accountability(roles: set[Role]) -> bool:
    """Record a person held accountable, or money recovered or refunded."""
    return bool(roles & ACCOUNTABILITY_RECORDERS)


def may_dispose_case_lead(roles: set[Role]) -> bool:
    """Register a lead handed over and record how it was disposed of."""
    return bool(roles & CASE_LEAD_KEEPERS)


def may_record_work(roles: set[Role]) -> bool:
    """Record a regulation adopted, a meeting, training or reminder held."""
    return bool(roles & WORK_RECORDERS)


def case_lead_for(user: User, pk: int, *, lock: bool = False) -> tuple[CaseLead, set[Role]]:
    """A handed-over lead and the user's roles in its inspection's organisation."""
    lead = _fetch(CaseLead.objects.all(), pk, lock, () if lock else ("inspection",))
    return _guarded(
        user,
        lead,
        lambda found: found.inspection.organisation_id,
        _("未找到该问题线索，或您无权查看"),
    )


def enforce(
    allowed: bool,
    roles: set[Role],
    holders: Iterable[Role],
    what: "StrOrPromise",
    otherwise: "StrOrPromise" = "",
) -> None:
    """Refused unless the predicate allowed it: naming the roles that may when the
    user holds none of them, else the reason of the state (``otherwise``)."""
    if allowed:
        return
    require(roles, holders, what)
    raise Refused(str(otherwise))


def require(roles: set[Role], allowed: Iterable[Role], what: "StrOrPromise") -> None:
    """Refused unless one of the roles is allowed; ``what`` names the act, translated."""
    if not roles & set(allowed):
        raise Refused(_("只有%(roles)s可以%(move)s") % {"roles": role_names(allowed), "move": what})


# --- Letters of the escalation ladder (zhenggai/escalation) -----------------------
# The inspection office writes them and keeps its ladder; the organisation's
# rectification office and first responsible person receive, sign for and answer
# them. Everyone else of the organisation reads them; other organisations never.

LETTER_WRITERS = frozenset({Role.INSPECTION_OFFICE})
LETTER_RECEIVERS = frozenset({Role.RECTIFICATION_OFFICE, Role.FIRST_RESPONSIBLE})


def may_issue_letter(roles: set[Role]) -> bool:
    return bool(roles & LETTER_WRITERS)


def may_acknowledge_letter(roles: set[Role], acknowledged: bool) -> bool:
    """签收: once, by those it is addressed to."""
    return bool(roles & LETTER_RECEIVERS) and not acknowledged


def may_answer_letter(roles: set[Role], answered: bool) -> bool:
    """Answer it, once, naming the measures the answer concerns."""
    return bool(roles & LETTER_RECEIVERS) and not answered


# --- 回头看 campaigns: the inspection office's own -----------------------------------
# Any person of the office may make a campaign, assign its checks and record their
# results (the office checks as a team; the record says who checked). Another
# office's campaigns, and every campaign to an organisation's people, look like nothing.

CAMPAIGN_KEEPERS = frozenset({Role.INSPECTION_OFFICE})


def offices_checked_by(user: User) -> list[Organisation]:
    """The offices whose campaigns the user keeps (usually one), by name."""
    ids = {g.organisation_id for g in grants(user) if g.role in CAMPAIGN_KEEPERS}
    found = Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.OFFICE)
    return list(found.order_by("name", "pk"))


def require_campaign_keeper(user: User, what: "StrOrPromise") -> None:
    """Refused, naming the role, to whoever keeps no office's campaigns."""
    if not any(g.role in CAMPAIGN_KEEPERS for g in grants(user)):
        require(set(), CAMPAIGN_KEEPERS, what)


def campaign_for(user: User, pk: int, *, lock: bool = False) -> Campaign:
    """A campaign, to the people of its office; NotFound to anyone else."""
    found = _fetch(Campaign.objects.all(), pk, lock, ())
    mine = {o.pk for o in offices_checked_by(user)}
    if found is None or found.office_id not in mine:
        raise NotFound(_("未找到该回头看专项，或您无权查看"))
    return found


def campaign_check_for(user: User, pk: int, *, lock: bool = False) -> CampaignCheck:
    """A check, through its campaign's door."""
    campaign_id = CampaignCheck.objects.filter(pk=pk).values_list("campaign_id", flat=True)
    try:
        campaign_for(user, campaign_id.first() or 0)
    except NotFound:
        raise NotFound(_("未找到该回头看检查，或您无权查看")) from None
    found = _fetch(CampaignCheck.objects.all(), pk, lock, ())
    assert found is not None
    return found


def check_evidence_for(user: User, pk: int) -> CheckEvidence:
    """A file of a check, through its campaign's door."""
    found = CheckEvidence.objects.filter(pk=pk).select_related("check_row").first()
    try:
        campaign_for(user, found.check_row.campaign_id if found else 0)
    except NotFound:
        raise NotFound(_("未找到该佐证材料，或您无权查看")) from None
    assert found is not None
    return found


def may_change_campaign(campaign: Campaign) -> bool:
    """Assign and record checks, close: while the campaign is open."""
    return campaign.state == Campaign.State.OPEN


# --- Assessments (整改评估) --------------------------------------------------------
# The inspection office assesses the organisations under it; an organisation reads
# its own assessment once final, never a draft, and never another's.

ASSESSORS = frozenset({Role.INSPECTION_OFFICE})


def may_assess(roles: set[Role]) -> bool:
    """Start, fill in and finalise an assessment, and keep the office's scheme."""
    return bool(roles & ASSESSORS)


def assessment_for(
    user: User, inspection_id: int, *, lock: bool = False
) -> tuple[Inspection, set[Role], Assessment | None]:
    """The inspection, the user's roles in it and its assessment (None before one
    began): to the office whatever its state; to the organisation's people the final
    one only; NotFound to anyone else, or to them before it is final."""
    related = () if lock else ("organisation",)
    inspection, roles = inspection_for(user, inspection_id, lock=lock, related=related)
    found = Assessment.objects.filter(inspection=inspection)
    assessment = (found.select_for_update() if lock else found).first()
    if may_assess(roles):
        return inspection, roles, assessment
    if assessment is None or assessment.state != Assessment.State.FINAL:
        raise NotFound(_("未找到该整改评估，或您无权查看"))
    return inspection, roles, assessment
