"""举一反三: the problems of other organisations most like one, with how they were
rectified, and the problem's topic in the office's taxonomy.

Ranking is zhenggai.core.similar's BM25 over the problems of the same inspection
office. The index is kept per office in this process and rebuilt when the
office's problems change in number or newest id, or after ``INDEX_SECONDS``
(a retitled problem is ranked by its old words until then; what a hit shows is
always read afresh). Its terms are cached by text, so a rebuild cuts only what
changed.

What a hit shows: the problem, its state, its measures with their state and
latest progress text. Never evidence, nor the names of people; the organisation
is named to the inspection office, and to others only when the office allows
(SimilarSettings), else 「某单位」.
"""

import time
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.core import similar
from zhenggai.inspections.models import Problem
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Measure, ProgressEntry
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Organisation, Role
from zhenggai.orgs.scope import User as AnyUser
from zhenggai.taxonomy.models import SimilarSettings

INDEX_SECONDS = 300


@dataclass(frozen=True)
class MeasureShown:
    text: str
    state: str  # its label
    progress: str  # the latest progress entry's text, or the ledger's column


@dataclass(frozen=True)
class SimilarHit:
    problem: Problem
    organisation: str  # its name, or 「某单位」
    linked: bool  # the office may open the problem's page
    measures: list[MeasureShown]
    score: float


@dataclass
class _Cached:
    fingerprint: tuple[int, int]
    built: float
    index: similar.Index[int]
    organisation_of: dict[int, int]


_INDEXES: dict[int, _Cached] = {}
_TERMS: dict[str, list[str]] = {}


def forget() -> None:
    """Drop the cached indexes (tests: a fresh database reuses ids)."""
    _INDEXES.clear()


def office_of(organisation_id: int) -> int | None:
    """The inspection office above an inspected organisation (up to three levels)."""
    row = (
        Organisation.objects.filter(pk=organisation_id)
        .values_list("parent_id", "parent__kind", "parent__parent_id", "parent__parent__kind")
        .first()
    )
    if row is None:
        return None
    for pk, kind in ((row[0], row[1]), (row[2], row[3])):
        if kind == Organisation.Kind.OFFICE and pk is not None:
            return int(pk)
    return None


def _office_organisations(office_id: int) -> list[int]:
    return [o.pk for o in org_selectors.office_tree(office_id)]


def _terms(text: str) -> list[str]:
    found = _TERMS.get(text)
    if found is None:
        found = _TERMS[text] = similar.words(text)
    return found


def _index(office_id: int) -> _Cached:
    """The office's index, rebuilt when stale (see the module's docstring)."""
    rows = Problem.objects.filter(inspection__organisation_id__in=_office_organisations(office_id))
    counted = rows.aggregate(n=Count("pk"), newest=Max("pk"))
    fingerprint = (counted["n"], counted["newest"] or 0)
    cached = _INDEXES.get(office_id)
    if cached and cached.fingerprint == fingerprint and time.time() - cached.built < INDEX_SECONDS:
        return cached
    index: similar.Index[int] = similar.Index()
    owners: dict[int, int] = {}
    texts = rows.values_list("pk", "title", "description", "inspection__organisation_id")
    for pk, title, description, owner in texts.iterator(chunk_size=2000):
        index.add_terms(pk, _terms(similar.problem_text(title, description)))
        owners[pk] = owner
    cached = _INDEXES[office_id] = _Cached(fingerprint, time.time(), index, owners)
    return cached


def names_shown(office_id: int) -> bool:
    found = SimilarSettings.objects.filter(office_id=office_id).first()
    return found is not None and found.names_shown


def _measures(problem_ids: list[int]) -> dict[int, list[MeasureShown]]:
    """Each problem's measures, with the latest progress text; no people, no files."""
    latest: dict[int, str] = {}
    entries = ProgressEntry.objects.filter(measure__problem_id__in=problem_ids)
    for measure_id, text in entries.order_by("date", "pk").values_list("measure_id", "text"):
        latest[measure_id] = text
    found: dict[int, list[MeasureShown]] = {pk: [] for pk in problem_ids}
    rows = Measure.objects.filter(problem_id__in=problem_ids).order_by("position")
    for pk, problem_id, text, state, column in rows.values_list(
        "pk", "problem_id", "text", "state", "progress_text"
    ):
        label = str(State(state).label) if state in State.values else state
        found[problem_id].append(MeasureShown(text, label, latest.get(pk, column)))
    return found


def similar_problems(actor: AnyUser, problem_id: int, n: int = 5) -> list[SimilarHit]:
    """The ``n`` problems of other organisations of the same office most like this
    one, for whoever may see this one; NotFound otherwise."""
    problem, roles = access.problem_for(actor, problem_id)
    own = problem.inspection.organisation_id
    office_id = office_of(own)
    if office_id is None:
        return []
    cached = _index(office_id)
    text = similar.problem_text(problem.title, problem.description)
    found = cached.index.scores(_terms(text))
    ordered = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    best = [
        (cached.index.keys[slot], score)
        for slot, score in ordered
        if cached.organisation_of[cached.index.keys[slot]] != own
    ][:n]
    office = Role.INSPECTION_OFFICE in roles
    named = office or names_shown(office_id)
    hits = Problem.objects.select_related("inspection__organisation").in_bulk([k for k, _s in best])
    measures = _measures([k for k, _s in best])
    return [
        SimilarHit(
            hits[pk],
            hits[pk].inspection.organisation.name if named else _("某单位"),
            office,
            measures[pk],
            score,
        )
        for pk, score in best
        if pk in hits
    ]


# --- Topics --------------------------------------------------------------------
