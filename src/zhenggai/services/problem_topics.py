"""The office's taxonomy of problems (政治建设, 意识形态, 作风建设 …) and each problem's
topic, for the cockpit's statistics and 举一反三.

Topics are suggested when the problems arrive (``suggest_topics``, called by the
importer in its transaction, one audit event per suggestion) and corrected by the
offices (``topic_set``). Reading never writes: a problem that arrived otherwise (a
split, a problem added to the plan) shows the suggestion it would get, unsaved,
until an office sets one.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.core import similar, topics
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.orgs.models import Role
from zhenggai.orgs.scope import User as AnyUser
from zhenggai.refusals import NotFound
from zhenggai.services.similar import office_of
from zhenggai.taxonomy.models import ProblemTopic, Topic

TOPIC_SETTERS = frozenset({Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE})


def office_topics(office_id: int) -> list[Topic]:
    """The office's taxonomy as it stands (empty until its first problems arrive)."""
    return list(Topic.objects.filter(office_id=office_id))


def seed_taxonomy(office_id: int) -> list[Topic]:
    """The office's taxonomy, the default one made if it has none: when the office is
    made, or its first problems arrive (an office made before taxonomies existed)."""
    found = office_topics(office_id)
    if found:
        return found
    Topic.objects.bulk_create(
        [
            Topic(office_id=office_id, name=t.name, order=i)
            for i, t in enumerate(topics.DEFAULT_TOPICS)
        ],
        ignore_conflicts=True,
    )
    return office_topics(office_id)


def may_set_topic(roles: set[Role]) -> bool:
    return bool(roles & TOPIC_SETTERS)


def _suggestion(problem: Problem, taxonomy: list[Topic]) -> Topic | None:
    name = topics.suggest(similar.problem_text(problem.title, problem.description))
    return next((t for t in taxonomy if t.name == name), None)


def suggest_topics(actor: User | None, inspection: Inspection) -> int:
    """A suggested topic for each problem of the inspection that has none; inside
    the caller's transaction (the importer's), each audited. How many were made."""
    office_id = office_of(inspection.organisation_id)
    if office_id is None:
        return 0
    taxonomy = seed_taxonomy(office_id)
    made = 0
    for problem in inspection.problems.filter(topic__isnull=True).order_by("pk"):
        topic = _suggestion(problem, taxonomy)
        if topic is None:
            continue
        row = ProblemTopic.objects.create(problem=problem, topic=topic, suggested=True)
        chain.created(
            actor=actor, obj=row, inspection_id=inspection.pk, action=Action.PROBLEM_TOPIC_SUGGEST
        )
        made += 1
    return made


def topic_of(actor: AnyUser, problem_id: int) -> ProblemTopic | None:
    """The problem's topic: the one stored, else the suggestion it would get, unsaved."""
    problem, _roles = access.problem_for(actor, problem_id, related=("inspection",))
    existing = ProblemTopic.objects.select_related("topic").filter(problem=problem).first()
    office_id = office_of(problem.inspection.organisation_id)
    if existing is not None or office_id is None:
        return existing
    topic = _suggestion(problem, office_topics(office_id))
    return ProblemTopic(problem=problem, topic=topic, suggested=True) if topic else None


def topic_set(*, actor: User, problem_id: int, topic_id: int) -> ProblemTopic:
    """Correct a problem's topic, audited; refused for roles that may not."""
    with transaction.atomic():
        problem, roles = access.problem_for(actor, problem_id, lock=True, related=("inspection",))
        access.require(roles, TOPIC_SETTERS, _("修改问题分类"))
        office_id = office_of(problem.inspection.organisation_id)
        topic = Topic.objects.filter(pk=topic_id, office_id=office_id).first()
        if topic is None:
            raise NotFound(_("未找到该问题分类"))
        row = ProblemTopic.objects.filter(problem=problem).first()
        before = chain.snapshot(row) if row is not None else None
        row = row or ProblemTopic(problem=problem)
        row.topic, row.suggested, row.set_by, row.set_at = topic, False, actor, timezone.now()
        row.save()
        chain.record(
            actor=actor,
            action=Action.PROBLEM_TOPIC_SET,
            obj=row,
            inspection_id=problem.inspection_id,
            before=before,
            after=chain.snapshot(row),
        )
    return row
