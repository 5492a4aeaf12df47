"""What the document writers are given for an inspection, computed from the ledger at
the moment of writing: the document model with today's totals and date, the
figures the model has no place for, and the organisation's own templates."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from zhenggai.accountability.models import Action, FundsRecovered, WorkFact
from zhenggai.core.model import (
    Document,
    Sanction,
    Section,
    SectionKind,
    StatedTotals,
    UnfinishedItem,
)
from zhenggai.core.structure.registers import sanction_sentence
from zhenggai.core.writers.context import ActionLine, Extras, Leadership, PlanRow
from zhenggai.core.writers.text import cn_date
from zhenggai.documents.ledger_document import (
    LedgerRows,
    chinese,
    ledger_document,
    ledger_rows,
    people,
)
from zhenggai.documents.selectors import live_template
from zhenggai.inspections.models import CaseLead, Inspection, Problem
from zhenggai.inspections.states import DONE_STATES
from zhenggai.ledger.models import Measure, Unfinished
from zhenggai.orgs.models import Membership, Organisation, Role, display_name


@dataclass(frozen=True)
class Material:
    doc: Document
    extras: Extras
    organisation_id: int  # whose templates word the .docx documents
    # What the writing had to say besides the document (an office template that
    # failed on this ledger, replaced by the default): shown to the person asking.
    notices: list[str] = field(default_factory=list)

    def template(self, kind: str) -> bytes | None:
        """The organisation's own template of ``kind``, read only when one is written."""
        return live_template(self.organisation_id, kind)


def material(inspection: Inspection, today: dt.date | None = None) -> Material:
    rows = ledger_rows(inspection, progress=True)
    doc = ledger_document(rows)
    doc = replace(
        doc,
        title=_own_title(doc.title),
        stated_totals=_totals(rows),
        date=today or timezone.localdate(),
        unfinished=[*doc.unfinished, *_still_open(rows)],
        sections=_own_words(inspection),
    )
    return Material(doc, _extras(rows), inspection.organisation_id)


def _own_words(inspection: Inspection) -> list[Section]:
    """The organisation's own paragraphs on how it organised the work and what it
    will do next, as imported with its bulletin or written on the registers page."""
    words: list[tuple[SectionKind, str]] = [
        ("organisation", inspection.work_text),
        ("next_steps", inspection.next_steps_text),
    ]
    return [
        Section(kind, None, [p.strip() for p in text.splitlines() if p.strip()])
        for kind, text in words
        if text.strip()
    ]


def _own_title(title: str | None) -> str | None:
    """The title imported with the inspection when it is a progress bulletin's own
    (「…整改进展情况的通报」); a feedback's or a plan's title is not the bulletin's, and
    the documents then make theirs from the organisation and the inspection."""
    if title and ("通报" in title or "整改进展" in title or "整改情况" in title):
        return title
    return None


def _totals(rows: LedgerRows) -> StatedTotals:
    """「反馈的5大类17项问题已整改完成16项」 as the ledger stands (``problem_totals``)."""
    titled = sum(1 for c in rows.categories if c.title is not None)
    pk = rows.inspection.pk
    problems, completed = problem_totals([pk]).get(pk, (0, 0))
    return StatedTotals(categories=titled or None, problems=problems, completed=completed)


def problem_totals(inspection_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(problems, completed) by inspection in one query, for an inspection's documents
    and a round's bulletin alike: problems are the top-level ones, done when signed
    off or handed over to long-term work (``DONE_STATES``) and not listed among the
    unfinished items (a problem carried over is unfinished, never done). None: left
    out."""
    carried = Unfinished.objects.filter(problem_id=OuterRef("pk"))
    rows = (
        Problem.objects.filter(inspection_id__in=list(inspection_ids), parent__isnull=True)
        .annotate(carried=Exists(carried))
        .values("inspection_id")
        .annotate(
            problems=Count("pk"),
            completed=Count("pk", filter=Q(state__in=DONE_STATES, carried=False)),
        )
        .order_by("inspection_id")
    )
    return {r["inspection_id"]: (r["problems"], r["completed"]) for r in rows}


def funds_by_inspection(inspection_ids: Iterable[int]) -> dict[int, Decimal]:
    """追缴资金 in yuan by inspection, in one query. None recorded: left out."""
    rows = (
        FundsRecovered.objects.filter(inspection_id__in=list(inspection_ids))
        .values("inspection_id")
        .annotate(total=Sum("amount"))
        .order_by("inspection_id")
    )
    return {r["inspection_id"]: r["total"] for r in rows}


def _still_open(rows: LedgerRows) -> list[UnfinishedItem]:
    """Each top-level problem not done and not already listed as unfinished, with the
    latest deadline of its open measures. Its situation, reason and next steps are
    the organisation's to give (a carry-over records them); the measures themselves
    are told above, under 整改进展情况, and are not repeated here."""
    listed = set(
        Unfinished.objects.filter(inspection=rows.inspection).values_list("problem_id", flat=True)
    )
    found = []
    for problem in (p for ps in rows.top_problems.values() for p in ps):
        if problem.state in DONE_STATES or problem.pk in listed:
            continue
        still = [m for m in _measures_under(rows, problem) if m.state not in DONE_STATES]
        deadlines = [m.deadline for m in still if m.deadline]
        found.append(UnfinishedItem(problem.title, None, None, None, max(deadlines, default=None)))
    return found


def _extras(rows: LedgerRows) -> Extras:
    inspection = rows.inspection
    leads = CaseLead.objects.filter(inspection=inspection).aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(disposal=CaseLead.Disposal.CLOSED))
    )
    funds = funds_by_inspection([inspection.pk]).get(inspection.pk)
    measures = [
        m
        for by in (rows.problem_measures, rows.category_measures)
        for ms in by.values()
        for m in ms
    ]
    deadlines = [m.deadline for m in measures if m.deadline and m.type != Measure.Type.LONG_TERM]
    return Extras(
        case_leads=leads["total"],
        case_leads_closed=leads["closed"],
        funds_yuan=funds,
        leadership=_leadership(inspection.organisation_id),
        plan_rows=_plan_rows(rows),
        last_deadline=max(deadlines, default=None),
        actions=_actions(inspection),
        leads_by_disposal=_leads_by_disposal(inspection),
        work=_work(inspection),
        funds_items=_funds(inspection),
    )


def _actions(inspection: Inspection) -> list[ActionLine]:
    """Each person the registers name as held accountable, in the order recorded; the
    rows an imported summary gave (a figure per kind, no person, no 事由) are told by
    the summary alone, and people recorded alike without a name are told together
    as a bulletin tells them (「因“…”的2人给予党内警告处分」)."""
    named = Action.objects.filter(inspection=inspection).exclude(person_name="", reason="")
    lines: list[ActionLine] = []
    for line in (_action_line(a) for a in named.order_by("pk")):
        if lines and not line.person and replace(lines[-1], count=1, sentence="") == line:
            line = replace(line, count=lines[-1].count + 1)
            lines.pop()
        lines.append(line if line.person else replace(line, sentence=_sentence(line)))
    return lines


def _action_line(a: Action) -> ActionLine:
    kind = a.kind_text or chinese(Action.Kind(a.kind).label)
    grade = chinese(Action.Grade(a.grade).label) if a.grade else ""
    measure = f"{kind}（{grade}）" if grade else kind
    number = f"（{a.document_number}）" if a.document_number else ""
    decided = f"经{a.deciding_body}决定{number}" if a.deciding_body else number
    return ActionLine(a.person_name, a.post, measure, a.reason, decided)


def _sentence(line: ActionLine) -> str:
    kind, _, grade = line.measure.rstrip("）").partition("（")
    sanction = Sanction(line.count, kind, grade or None, line.reason or None)
    return line.decided + sanction_sentence(sanction)


def _leads_by_disposal(inspection: Inspection) -> list[tuple[str, int]]:
    """How the leads handed over were disposed of, in the choices' order."""
    counted = dict(
        CaseLead.objects.filter(inspection=inspection)
        .values_list("disposal")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(chinese(label), counted.get(value, 0)) for value, label in CaseLead.Disposal.choices]


def _work(inspection: Inspection) -> list[tuple[str, int]]:
    """The meetings, training and reminders registered, summed by kind, leaving out
    those the organisation's own text already tells (an imported bulletin's
    「召开巡察整改协调会12场」 is read into the register and kept in the text)."""
    counted: dict[str, int] = {}
    for fact in WorkFact.objects.filter(inspection=inspection).order_by("pk"):
        if not told_by(fact, inspection.work_text):
            counted[fact.kind] = counted.get(fact.kind, 0) + fact.count
    return [
        (chinese(label), counted[value])
        for value, label in WorkFact.Kind.choices
        if counted.get(value)
    ]


def told_by(fact: WorkFact, text: str) -> bool:
    """A fact the organisation's own words already tell: its note, and its count,
    stand in them."""
    return bool(fact.note) and fact.note in text and str(fact.count) in text


def _funds(inspection: Inspection) -> list[str]:
    """Each sum recovered, refunded or paid back, as the register describes it, with
    its amount in 元 where the description does not already give it."""
    told = []
    for funds in FundsRecovered.objects.filter(inspection=inspection).order_by("pk"):
        what = funds.description or chinese(FundsRecovered.Kind(funds.kind).label) + "资金"
        if funds.amount is not None and _yuan(funds.amount) not in what:
            what += f"{_yuan(funds.amount)}元"
        told.append(what)
    return told


def _yuan(amount: Decimal) -> str:
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _leadership(organisation_id: int) -> Leadership:
    """组长: the first responsible; 副组长: the responsible leaders; 成员: the departments."""
    people: dict[str, list[str]] = {Role.FIRST_RESPONSIBLE: [], Role.RESPONSIBLE_LEADER: []}
    memberships = (
        Membership.objects.filter(organisation_id=organisation_id, role__in=list(people))
        .order_by("pk")
        .values_list("role", "user__first_name", "user__last_name", "user__username")
    )
    for role, first, last, username in memberships:
        name = display_name(first, last, username)
        if name not in people[role]:
            people[role].append(name)
    departments = Organisation.objects.filter(
        parent_id=organisation_id, kind=Organisation.Kind.DEPARTMENT
    ).order_by("name")
    return Leadership(
        head=people[Role.FIRST_RESPONSIBLE],
        deputies=people[Role.RESPONSIBLE_LEADER],
        members=[d.name for d in departments],
    )


def _plan_rows(rows: LedgerRows) -> list[PlanRow]:
    """One row per measure, in ledger order, under its top-level problem."""
    table: list[PlanRow] = []
    for category in rows.categories:
        for measure in rows.category_measures[category.pk]:
            table.append(_row(category.title or "", None, measure))
        for problem in rows.top_problems[category.pk]:
            for measure in _measures_under(rows, problem):
                table.append(_row(category.title or "", problem, measure))
    return table


def _measures_under(rows: LedgerRows, problem: Problem) -> list[Measure]:
    found = list(rows.problem_measures[problem.pk])
    for sub in rows.subproblems[problem.pk]:
        found += _measures_under(rows, sub)
    return found


def _row(category: str, problem: Problem | None, m: Measure) -> PlanRow:
    deadline = cn_date(m.deadline) if m.deadline else m.deadline_text
    leader, department, person = people(m)
    return PlanRow(
        category=category,
        problem=(problem.title or "") if problem else "",
        target=m.target or (problem.target if problem else ""),
        measure=m.text,
        kind=chinese(Measure.Type(m.type).label),
        leader=leader,
        department=department,
        person=person,
        deadline=deadline,
    )
