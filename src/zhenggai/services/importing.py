"""Turning a parsed document into an inspection with all its parts, in one transaction.

Importing the same file again changes nothing: each file's SHA-256 is kept with
the inspection it went into. A second document for an inspection that already
has its ledger (a later bulletin, say) adds its facts where they were missing
but does not build the problems a second time.

An office's own ledger brings the state of its work: a measure its 完成情况 or
销号情况 states finished is signed off by an approval of its own (decision
``imported``, the approver the importing user or nobody), its 整改进展 becomes a
progress entry, and a problem takes the state its measures give it.
"""

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from zhenggai.accountability.models import Action, FundsRecovered, Regulation, WorkFact
from zhenggai.audit import actions, chain
from zhenggai.core.dates import DATE_RE
from zhenggai.core.model import Category as DocCategory
from zhenggai.core.model import Document
from zhenggai.core.model import Funds as DocFunds
from zhenggai.core.model import Measure as DocMeasure
from zhenggai.core.model import Problem as DocProblem
from zhenggai.core.readers.ledger import Stated, StateName, measure_type, stated_state
from zhenggai.inspections.models import (
    CaseLead,
    Category,
    Inspection,
    Problem,
    Recommendation,
    SourceDocument,
)
from zhenggai.inspections.states import State
from zhenggai.ledger.matching import problem_named
from zhenggai.ledger.models import Approval, Measure, ProgressEntry, Unfinished
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import NotFound, Refused
from zhenggai.services.accountability import same_title
from zhenggai.services.problem_topics import suggest_topics

DEFAULT_OFFICE = "巡察办"

# The parser's accountability fields and the kinds they count.
ACCOUNTABILITY_KINDS = {
    "party_discipline": Action.Kind.PARTY_DISCIPLINE,
    "ordered_self_examination": Action.Kind.ORDERED_SELF_EXAMINATION,
    "criticism_education": Action.Kind.CRITICISM_EDUCATION,
    "admonition_talk": Action.Kind.ADMONITION_TALK,
}
# The states a ledger states (core.readers.ledger.stated_state), as the workflow names them.
STATES: Mapping[StateName, State] = {
    "not_started": State.NOT_STARTED,
    "in_progress": State.IN_PROGRESS,
    "awaiting_sign_off": State.AWAITING_SIGN_OFF,
    "signed_off": State.SIGNED_OFF,
    "long_term": State.LONG_TERM,
}
# The parser's words for sanctions, grades, money and the organisation of work.
SANCTIONS = {"党纪处分": Action.Kind.PARTY_SANCTION, "政务处分": Action.Kind.GOVERNMENT_SANCTION}
GRADE_NAMES = {
    "警告": Action.Grade.WARNING,
    "严重警告": Action.Grade.SERIOUS_WARNING,
    "撤销党内职务": Action.Grade.REMOVAL_FROM_PARTY_POST,
    "留党察看": Action.Grade.PROBATION,
    "开除党籍": Action.Grade.EXPULSION,
    "记过": Action.Grade.DEMERIT,
    "记大过": Action.Grade.MAJOR_DEMERIT,
    "降级": Action.Grade.DEMOTION,
    "撤职": Action.Grade.REMOVAL_FROM_POST,
    "开除": Action.Grade.DISMISSAL,
}
FUNDS_KINDS = {
    "追缴": FundsRecovered.Kind.RECOVERED,
    "退还": FundsRecovered.Kind.REFUNDED,
    "补缴": FundsRecovered.Kind.PAID_BACK,
}
WORK_KINDS = {
    "领导小组会议": WorkFact.Kind.LEADERSHIP_MEETING,
    "调度会": WorkFact.Kind.COORDINATION_MEETING,
    "专题会议": WorkFact.Kind.SPECIAL_MEETING,
    "培训": WorkFact.Kind.TRAINING,
    "督促提醒": WorkFact.Kind.REMINDER,
}
IMPORTED = "imported"  # the decision of a sign-off taken outside and imported


@dataclass
class ImportResult:
    inspection: Inspection
    created: bool  # a new inspection
    changed: bool  # anything written at all
    counts: dict[str, int]


class _Writer:
    """Creates rows and records each in the audit trail, counting them by kind.
    ``day`` dates what the document states without a date: its own date, or today."""

    def __init__(self, actor: User | None, inspection: Inspection, day: dt.date) -> None:
        self.actor, self.inspection, self.day = actor, inspection, day
        self.counts: dict[str, int] = {}

    def add(self, obj: models.Model) -> None:
        obj.save()
        kind = obj._meta.model_name or ""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        chain.created(
            actor=self.actor,
            obj=obj,
            inspection_id=self.inspection.pk,
            action=actions.Action.named(kind, "import"),
        )


def default_office() -> Organisation:
    office = Organisation.objects.filter(kind=Organisation.Kind.OFFICE).order_by("pk").first()
    return office or Organisation.objects.create(name=DEFAULT_OFFICE, kind=Organisation.Kind.OFFICE)


def organisation_named(name: str) -> Organisation:
    name = name.strip()
    if not name or len(name) > 200:
        raise Refused(gettext("单位名称不能为空，且不超过200字"))
    found = Organisation.objects.filter(name=name, kind=Organisation.Kind.INSPECTED).first()
    return found or Organisation.objects.create(
        name=name, kind=Organisation.Kind.INSPECTED, parent=default_office()
    )


def import_document(
    *,
    document: Document,
    content: bytes,
    source_name: str,
    org_name: str,
    inspection_id: int | None = None,
    actor: User | None = None,
) -> ImportResult:
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        organisation = organisation_named(org_name)
        inspection, created = _target(organisation, inspection_id, digest)
        if not created and inspection.sources.filter(sha256=digest).exists():
            return ImportResult(inspection, False, False, {})
        writer = _Writer(actor, inspection, document.date or timezone.localdate())
        if created:
            chain.created(
                actor=actor,
                obj=inspection,
                inspection_id=inspection.pk,
                action=actions.Action.INSPECTION_IMPORT,
            )
        _fill_facts(writer, inspection, document)
        if not inspection.categories.exists():
            _build_ledger(writer, document)
            suggest_topics(actor, inspection)
        # What the parser could not place or found contradicted, kept with the source
        # (shown with the plan; a contradiction holds the bulletin back until explained).
        warnings = [asdict(w) for w in document.warnings]
        source = SourceDocument(
            inspection=inspection, name=source_name[:300], sha256=digest, warnings=warnings
        )
        writer.add(source)
    return ImportResult(inspection, created, True, writer.counts)


def _target(
    organisation: Organisation, inspection_id: int | None, digest: str
) -> tuple[Inspection, bool]:
    if inspection_id is not None:
        inspection = Inspection.objects.filter(pk=inspection_id).first()
        if inspection is None:
            raise NotFound(gettext("巡察 %(id)s 不存在") % {"id": inspection_id})
        if inspection.organisation_id != organisation.pk:
            raise Refused(
                gettext("巡察 %(id)s 不属于「%(organisation)s」")
                % {"id": inspection_id, "organisation": organisation.name}
            )
        return inspection, False
    seen = (
        SourceDocument.objects.filter(sha256=digest, inspection__organisation=organisation)
        .select_related("inspection")
        .first()
    )
    if seen is not None:
        return seen.inspection, False
    return Inspection.objects.create(organisation=organisation), True


def _fill_facts(writer: _Writer, inspection: Inspection, doc: Document) -> None:
    """Facts the document gives, where the inspection has none yet."""
    before = chain.snapshot(inspection)
    facts: dict[str, Any] = {
        "title": doc.title,
        "inspection_body": doc.inspection_body,
        "level": doc.level,
        "kind": doc.inspection_kind,
        "onsite_start": doc.onsite_period.start,
        "onsite_end": doc.onsite_period.end,
        "feedback_date": doc.feedback_date,
        "document_date": doc.date,
        "contact_phone": doc.contact.phone,
        "contact_address": doc.contact.address,
        "contact_postcode": doc.contact.postcode,
        "contact_email": doc.contact.email,
        "work_text": _section_text(doc, "organisation"),
        "next_steps_text": _section_text(doc, "next_steps"),
    }
    for name, value in facts.items():
        if value not in (None, "") and getattr(inspection, name) in (None, ""):
            setattr(inspection, name, value)
    stated = {k: v for k, v in vars(doc.stated_totals).items() if v is not None}
    leads = doc.case_leads
    if leads.count is not None and leads.count > len(leads.items):
        stated["case_leads"] = leads.count  # more leads handed over than the text lists
    if stated and not inspection.stated_totals:
        inspection.stated_totals = stated
    if chain.snapshot(inspection) != before:
        inspection.save()
        chain.record(
            actor=writer.actor,
            action=actions.Action.INSPECTION_FACTS,
            obj=inspection,
            inspection_id=inspection.pk,
            before=before,
            after=chain.snapshot(inspection),
        )


def _section_text(doc: Document, kind: str) -> str:
    return "\n".join(
        p for section in doc.sections if section.kind == kind for p in section.paragraphs
    )


def _add_regulations(writer: _Writer, titles: list[str]) -> None:
    """Each rule once: a document that lists one twice adopted it once, and it is
    counted once (services.accountability.regulation_record refuses a second)."""
    seen: set[str] = set()
    for title in titles:
        if same_title(title) not in seen:
            seen.add(same_title(title))
            writer.add(Regulation(inspection=writer.inspection, position=len(seen), title=title))


def _build_ledger(writer: _Writer, doc: Document) -> None:
    inspection = writer.inspection
    for position, doc_category in enumerate(doc.categories, 1):
        _build_category(writer, position, doc_category)
    for text in doc.recommendations:
        writer.add(Recommendation(inspection=inspection, text=text))
    for description in doc.case_leads.items:
        writer.add(CaseLead(inspection=inspection, description=description))
    _add_regulations(writer, doc.regulations)
    _add_accountability(writer, doc)
    _add_funds(writer, doc.funds)
    for done in doc.work:
        kind = WORK_KINDS.get(done.kind, WorkFact.Kind.OTHER)
        writer.add(WorkFact(inspection=inspection, kind=kind, count=done.count, note=done.text))
    problems = list(Problem.objects.filter(inspection=inspection))
    measures = list(Measure.objects.filter(inspection=inspection))
    for position, item in enumerate(doc.unfinished, 1):
        writer.add(
            Unfinished(
                inspection=inspection,
                problem=problem_named(item.problem, problems, measures),
                position=position,
                problem_text=item.problem,
                situation=item.situation,
                reason=item.reason,
                next_steps=item.next_steps,
                deadline=item.deadline,
                deadline_text=item.deadline_text,
            )
        )


def _add_accountability(writer: _Writer, doc: Document) -> None:
    """The people the summary counts by kind; those a sentence names with a sanction's
    grade and 事由 (「因“…”的2人给予党内警告处分」) are recorded as that sanction,
    in place of as many of the summary's 党纪政务处分."""
    inspection = writer.inspection
    sanctioned = 0
    for sanction in doc.sanctions:
        kind, grade = SANCTIONS[sanction.kind], GRADE_NAMES.get(sanction.grade or "", "")
        for _ in range(sanction.count):
            reason = sanction.reason or ""
            writer.add(Action(inspection=inspection, kind=kind, grade=grade, reason=reason))
        sanctioned += sanction.count
    for field, kind in ACCOUNTABILITY_KINDS.items():
        count = getattr(doc.accountability, field) or 0
        if kind == Action.Kind.PARTY_DISCIPLINE:
            count = max(count - sanctioned, 0)
        for _ in range(count):
            writer.add(Action(inspection=inspection, kind=kind))
    for word, count in doc.accountability.other.items():
        for _ in range(count):
            writer.add(Action(inspection=inspection, kind=Action.Kind.OTHER, kind_text=word[:50]))


def _add_funds(writer: _Writer, funds: list[DocFunds]) -> None:
    """Money recovered or paid back, under the problem whose measures tell of it."""
    measures = list(Measure.objects.filter(inspection=writer.inspection).exclude(problem=None))
    for item in funds:
        told = next((m for m in measures if item.text in m.text + m.progress_text), None)
        writer.add(
            FundsRecovered(
                inspection=writer.inspection,
                problem_id=told.problem_id if told else None,
                kind=FUNDS_KINDS[item.kind],
                amount=item.amount,
                description=item.text,
            )
        )


def _build_category(writer: _Writer, position: int, doc_category: DocCategory) -> None:
    category = Category(inspection=writer.inspection, position=position, title=doc_category.title)
    writer.add(category)
    for index, doc_measure in enumerate(doc_category.measures, 1):
        _build_measure(writer, _measure(category, None, index, doc_measure), doc_measure)
    for index, doc_problem in enumerate(doc_category.problems, 1):
        _build_problem(writer, category, None, index, doc_problem)


def _build_problem(
    writer: _Writer,
    category: Category,
    parent: Problem | None,
    position: int,
    doc_problem: DocProblem,
) -> None:
    problem = Problem(
        inspection=writer.inspection,
        category=category,
        parent=parent,
        position=position,
        title=doc_problem.title,
        description=doc_problem.description or "",
        summary=doc_problem.summary or "",
        target=doc_problem.target or "",
        state=_problem_state(doc_problem),
    )
    writer.add(problem)
    for index, doc_measure in enumerate(doc_problem.measures, 1):
        _build_measure(writer, _measure(category, problem, index, doc_measure), doc_measure)
    for index, sub in enumerate(doc_problem.subproblems, 1):
        _build_problem(writer, category, problem, index, sub)


def _measure_type(doc_measure: DocMeasure) -> str:
    said = " ".join(filter(None, (doc_measure.deadline_text, doc_measure.status)))
    if "长期" in said:
        return Measure.Type.LONG_TERM
    if "立行立改" in said or "立即" in said:
        return Measure.Type.IMMEDIATE
    return Measure.Type.TIME_BOUND


def _state(m: DocMeasure) -> State:
    stated = stated_state(m)
    return STATES[stated.state] if stated is not None else State.NOT_STARTED


def _problem_state(p: DocProblem) -> State:
    """Signed off when every measure (and sub-problem) is; in progress once any has
    started; not started otherwise."""
    states = [_state(m) for m in p.measures] + [_problem_state(sub) for sub in p.subproblems]
    if states and all(state == State.SIGNED_OFF for state in states):
        return State.SIGNED_OFF
    if any(state != State.NOT_STARTED for state in states):
        return State.IN_PROGRESS
    return State.NOT_STARTED


def _build_measure(writer: _Writer, measure: Measure, m: DocMeasure) -> None:
    """The measure, the sign-off its ledger states and its 整改进展 as a progress entry."""
    writer.add(measure)
    stated = stated_state(m)
    day = stated.date if stated is not None else None
    if measure.state == State.SIGNED_OFF:
        writer.add(
            Approval(
                kind=Approval.Kind.SIGN_OFF,
                inspection=writer.inspection,
                measure=measure,
                approver=writer.actor,
                decision=IMPORTED,
                comment=_said(m),
                state_before=_before(stated),
            )
        )
    if m.progress:
        writer.add(
            ProgressEntry(
                measure=measure, date=day or writer.day, text=m.progress, author=writer.actor
            )
        )


def _said(m: DocMeasure) -> str:
    """What the ledger says of the sign-off: 完成情况 and 销号情况 as written, a lone
    销号时间 in brackets after the 完成情况 it dates (「已完成（2024-04-15）」)."""
    status, sign_off = (m.status or "").strip(), (m.sign_off or "").strip()
    if status and DATE_RE.fullmatch(sign_off):
        return f"{status}（{sign_off}）"
    return "；".join(filter(None, (status, sign_off)))


def _before(stated: Stated | None) -> dict[str, str]:
    """The state an imported sign-off found, and the day the ledger says it was
    signed off (``Approval.at`` is the day it was imported)."""
    before = {"state": State.NOT_STARTED.value}
    if stated is not None and stated.date is not None:
        before["date"] = stated.date.isoformat()
    return before


def _measure(category: Category, problem: Problem | None, position: int, m: DocMeasure) -> Measure:
    kind = measure_type(m.type)
    return Measure(
        inspection=category.inspection,
        category=category,
        problem=problem,
        position=position,
        text=m.text,
        type=Measure.Type(kind) if kind is not None else _measure_type(m),
        target=m.target or "",
        state=_state(m),
        leader_name=m.leader or "",
        department_name=m.department or "",
        person_name=m.person or "",
        original_deadline=m.deadline,
        deadline=m.deadline,
        deadline_text=m.deadline_text or "",
        progress_text=m.progress or "",
        status_text=m.status or "",
        evidence_text=m.evidence or "",
        sign_off_text=m.sign_off or "",
        note=m.note or "",
    )
