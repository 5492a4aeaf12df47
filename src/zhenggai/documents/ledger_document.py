"""An inspection's ledger read back as the parser's ``Document``.

Whatever was imported reads back the same (the API's ledger endpoint is tested
for exact equality with the parse of each seed), and the document writers can
print the living ledger with no model of their own. Seven queries for any
inspection: three for the tree, four for the organisation, accountability,
regulations and unfinished items.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone, translation

from zhenggai.accountability.models import Action, Regulation
from zhenggai.core import model as doc
from zhenggai.core.writers.text import cn_date
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Evidence, Measure, ProgressEntry, Unfinished
from zhenggai.orgs.models import display_name
from zhenggai.services.importing import ACCOUNTABILITY_KINDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class LedgerRows:
    """An inspection's categories, problems and measures, grouped for walking the tree."""

    inspection: Inspection
    categories: list[Category]
    top_problems: dict[int, list[Problem]]  # by category id
    subproblems: dict[int, list[Problem]]  # by parent id
    problem_measures: dict[int, list[Measure]]  # by problem id
    category_measures: dict[int, list[Measure]]  # a category's own, by category id
    # The progress entries made here (not imported), by measure id, in order: what the
    # documents say was done. None: read back as imported (the API's ledger).
    progress: dict[int, list[str]] | None = None
    evidence: dict[int, list[str]] = field(default_factory=dict)  # files' names, when read


def ledger_rows(inspection: Inspection, progress: bool = False) -> LedgerRows:
    """Three queries for the whole tree, however deep or wide; a fourth for the
    progress entries, when asked (``progress``: for the documents)."""
    categories = list(Category.objects.filter(inspection=inspection).order_by("position"))
    top: dict[int, list[Problem]] = defaultdict(list)
    subs: dict[int, list[Problem]] = defaultdict(list)
    for problem in Problem.objects.filter(inspection=inspection).order_by("position", "pk"):
        if problem.parent_id is None:
            top[problem.category_id].append(problem)
        else:
            subs[problem.parent_id].append(problem)
    of_problem: dict[int, list[Measure]] = defaultdict(list)
    of_category: dict[int, list[Measure]] = defaultdict(list)
    measures = Measure.objects.filter(inspection=inspection).select_related(
        "leader", "person", "department"
    )
    for measure in measures.order_by("position", "pk"):
        if measure.problem_id is None:
            of_category[measure.category_id].append(measure)
        else:
            of_problem[measure.problem_id].append(measure)
    rows = LedgerRows(inspection, categories, top, subs, of_problem, of_category)
    if progress:
        rows.progress = _entries(inspection)
        rows.evidence = _evidence(inspection)
    return rows


def _evidence(inspection: Inspection) -> dict[int, list[str]]:
    """The names of the evidence files kept, by measure (the ledger's 佐证材料)."""
    found: dict[int, list[str]] = defaultdict(list)
    files = Evidence.objects.filter(measure__inspection=inspection).order_by("uploaded_at", "pk")
    for measure_id, name in files.values_list("measure_id", "name"):
        if name not in found[measure_id]:  # a revised file keeps its name
            found[measure_id].append(name)
    return found


def _entries(inspection: Inspection) -> dict[int, list[str]]:
    """The entries people made (an imported 整改进展 column is the measure's own text)."""
    found: dict[int, list[str]] = defaultdict(list)
    entries = ProgressEntry.objects.filter(
        measure__inspection=inspection, author__isnull=False
    ).order_by("date", "pk")
    for measure_id, text in entries.values_list("measure_id", "text"):
        found[measure_id].append(text)
    return found


def _text(value: str) -> str | None:
    """The importer keeps the parser's None as "": read it back as None."""
    return value or None


def people(m: Measure) -> tuple[str, str, str]:
    """Leader, department and person: the ledger's own words, else whom the measure was
    assigned to (a measure planned on the pages has no imported names)."""
    leader = m.leader_name or (
        m.leader and display_name(m.leader.first_name, m.leader.last_name, m.leader.username)
    )
    person = m.person_name or (
        m.person and display_name(m.person.first_name, m.person.last_name, m.person.username)
    )
    department = m.department_name or (m.department and m.department.name)
    return leader or "", department or "", person or ""


def _progress(m: Measure, entries: list[str] | None) -> str | None:
    """The ledger's own 整改进展 (imported, as written), then the entries made here."""
    if not entries:
        return _text(m.progress_text)
    texts = [m.progress_text, *entries]
    return "；".join(t.strip().rstrip("。；;") for t in texts if t and t.strip()) + "。"


def _sign_off(m: Measure) -> str | None:
    """销号情况: the ledger's own words, else when it was signed off here."""
    if m.sign_off_text:
        return m.sign_off_text
    if m.state != State.SIGNED_OFF:
        return None
    day = timezone.localtime(m.done_at).date() if m.done_at else None
    return f"已于{cn_date(day)}销号" if day else "已销号"


def _doc_measure(m: Measure, entries: list[str] | None, files: list[str]) -> doc.Measure:
    """The measure as imported (``entries`` None), or as the documents tell it: with
    the progress made here, its state, its evidence files and its sign-off."""
    leader, department, person = people(m)
    said = entries is not None
    state = chinese(State(m.state).label) if m.state in State.values else None
    return doc.Measure(
        text=m.text,
        type=str(Measure.Type(m.type).label),
        target=_text(m.target),
        leader=_text(leader),
        department=_text(department),
        person=_text(person),
        deadline=m.deadline,
        deadline_text=_text(m.deadline_text),
        progress=_progress(m, entries) if said else _text(m.progress_text),
        status=_text(m.status_text) or (state if said else None),
        evidence=_text(m.evidence_text) or ("、".join(files) if said and files else None),
        sign_off=_sign_off(m) if said else _text(m.sign_off_text),
        note=_text(m.note),
    )


def _said(rows: LedgerRows, m: Measure) -> list[str] | None:
    return None if rows.progress is None else rows.progress.get(m.pk, [])


def _doc_problem(rows: LedgerRows, p: Problem) -> doc.Problem:
    return doc.Problem(
        title=p.title,
        description=_text(p.description),
        summary=_text(p.summary),
        target=_text(p.target),
        measures=[
            _doc_measure(m, _said(rows, m), rows.evidence.get(m.pk, []))
            for m in rows.problem_measures[p.pk]
        ],
        subproblems=[_doc_problem(rows, sub) for sub in rows.subproblems[p.pk]],
    )


def _doc_category(rows: LedgerRows, c: Category) -> doc.Category:
    return doc.Category(
        title=c.title,
        problems=[_doc_problem(rows, p) for p in rows.top_problems[c.pk]],
        measures=[
            _doc_measure(m, _said(rows, m), rows.evidence.get(m.pk, []))
            for m in rows.category_measures[c.pk]
        ],
    )


def ledger_document(rows: LedgerRows) -> doc.Document:
    """Four queries past ``rows``. Text the importer kept as "" comes back as None; a
    measure's deadline is the current one (after approved extensions)."""
    i = rows.inspection
    known = {f.name for f in fields(doc.StatedTotals)}
    return doc.Document(
        title=_text(i.title),
        org=i.organisation.name,
        inspection_body=_text(i.inspection_body),
        level=_text(i.level),
        inspection_kind=_text(i.kind),
        onsite_period=doc.Period(i.onsite_start, i.onsite_end),
        feedback_date=i.feedback_date,
        date=i.document_date,
        categories=[_doc_category(rows, c) for c in rows.categories],
        stated_totals=doc.StatedTotals(
            **{k: v for k, v in (i.stated_totals or {}).items() if k in known}
        ),
        accountability=accountability(i),
        regulations=list(
            Regulation.objects.filter(inspection=i)
            .order_by("position", "pk")
            .values_list("title", flat=True)
        ),
        unfinished=[_doc_unfinished(u) for u in Unfinished.objects.filter(inspection=i)],
        contact=doc.Contact(
            _text(i.contact_phone),
            _text(i.contact_address),
            _text(i.contact_postcode),
            _text(i.contact_email),
        ),
    )


# 党纪政务处分, as a summary counts it, is every sanction: party and government alike.
_FIELD_OF_KIND = {
    **{kind: name for name, kind in ACCOUNTABILITY_KINDS.items()},
    Action.Kind.PARTY_SANCTION: "party_discipline",
    Action.Kind.GOVERNMENT_SANCTION: "party_discipline",
}


def accountability(inspection: Inspection) -> doc.Accountability:
    """An inspection's people held accountable, by kind (``accountability_by_inspection``)."""
    return accountability_by_inspection([inspection.pk]).get(inspection.pk, doc.Accountability())


def accountability_by_inspection(inspection_ids: Iterable[int]) -> dict[int, doc.Accountability]:
    """Actions counted by inspection and kind in one GROUP BY, however many inspections;
    a kind with no rows stays None, as in the parser, and kinds the document model has
    no field for count under their own word. An inspection with none is left out."""
    found: dict[int, doc.Accountability] = {}
    rows = (
        Action.objects.filter(inspection_id__in=list(inspection_ids))
        .values_list("inspection_id", "kind", "kind_text")
        .annotate(n=Count("pk"))
        .order_by("inspection_id", "kind", "kind_text")
    )
    for inspection_id, kind, kind_text, n in rows:
        result = found.setdefault(inspection_id, doc.Accountability())
        name = _FIELD_OF_KIND.get(kind)
        if name is not None:
            setattr(result, name, (getattr(result, name) or 0) + n)
        else:
            word = kind_text or chinese(Action.Kind(kind).label)
            result.other[word] = result.other.get(word, 0) + n
    return found


def chinese(label: "StrOrPromise") -> str:
    """A choice's own Chinese name: documents are written in Chinese whatever the
    language of the page that asked for them."""
    with translation.override(None):
        return str(label)


def _doc_unfinished(u: Unfinished) -> doc.UnfinishedItem:
    return doc.UnfinishedItem(
        problem=u.problem_text,
        situation=u.situation,
        reason=u.reason,
        next_steps=u.next_steps,
        deadline=u.deadline,
        deadline_text=u.deadline_text,
    )
