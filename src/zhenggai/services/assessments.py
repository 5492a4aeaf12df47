"""Writes of the assessment of rectification (整改评估): the office's scheme, and
an inspection's assessment started, filled in and finalised.

Each is one transaction with its audit event, for the inspection office alone
(``access.may_assess``), and only over the organisations under it: another role of
the organisation is refused in Chinese, anyone else finds nothing. Finalising with
a fair or poor grade opens a re-rectification: a new inspection of the same
organisation, registered as the office registers any (services/rounds.py), whose
plan is still to be written, linked to the assessment that asked for it.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.assessment import selectors
from zhenggai.assessment.models import DEDUCTIONS, Assessment, Indicator, Scheme, Score, Source
from zhenggai.audit import chain
from zhenggai.audit.actions import Action
from zhenggai.core import assessment as scoring
from zhenggai.core.files import write_whole
from zhenggai.inspections.models import Inspection, Round
from zhenggai.ledger.uploads import check_upload
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import NotFound, Refused
from zhenggai.services.rounds import inspection_register

# The key of the false statements' count among what ``assessment_enter`` takes.
FALSE_STATEMENTS = -1
NOTE_MAX = 2000
# What a re-rectification's round and title say: stored data, in the documents'
# language whatever the language of the request that opened it.
REDO = "再整改"
ROUNDLESS = "整改评估"


@dataclass(frozen=True)
class IndicatorFields:
    name: str
    weight: int
    source: str = Source.ENTERED


@dataclass(frozen=True)
class SchemeFields:
    indicators: tuple[IndicatorFields, ...]
    overdue_each: Decimal
    overdue_cap: Decimal
    relapse_each: Decimal
    relapse_cap: Decimal
    false_limit: int
    good: int
    fairly_good: int
    fair: int


# The default scheme, made on an office's first use. The indicators and their
# weights follow the 整改评估 schemes county and city inspection offices publish
# (组织领导, 整改完成, 整改质量, 群众满意度 on 100 points); the deductions and the
# veto for false statements (虚报瞒报 twice means 0) and the four grades with
# 90/80/60 are those schemes' usual figures. An office changes them on its scheme page.
DEFAULT = SchemeFields(
    indicators=(
        IndicatorFields("组织领导", 20),
        IndicatorFields("整改完成", 40, Source.MEASURES),
        IndicatorFields("整改质量", 25),
        IndicatorFields("群众满意度", 15),
    ),
    overdue_each=Decimal(2),
    overdue_cap=Decimal(20),
    relapse_each=Decimal(5),
    relapse_cap=Decimal(20),
    false_limit=2,
    good=90,
    fairly_good=80,
    fair=60,
)


# --- The scheme ----------------------------------------------------------------


def _check_scheme(fields: SchemeFields) -> SchemeFields:
    """The fields with names trimmed, or Refused naming what is wrong."""
    indicators = tuple(
        IndicatorFields(i.name.strip(), i.weight, i.source) for i in fields.indicators
    )
    if not indicators:
        raise Refused(_("评估方案至少要有一项指标"))
    for indicator in indicators:
        if not indicator.name or len(indicator.name) > 100:
            raise Refused(_("指标名称不能为空，且不超过100字"))
        if indicator.weight <= 0:
            raise Refused(_("每项指标的分值应大于0"))
        if indicator.source not in Source.values:
            raise Refused(_("指标来源应为评估录入或台账计算"))
    if len({i.name for i in indicators}) != len(indicators):
        raise Refused(_("指标名称不能重复"))
    weights = sum(i.weight for i in indicators)
    if weights != 100:
        raise Refused(_("各项指标分值之和应为100分，现为%(sum)s分") % {"sum": weights})
    if not 100 >= fields.good > fields.fairly_good > fields.fair >= 0:
        raise Refused(_("等次分数线应从“好”到“一般”依次降低，且在0到100之间"))
    if any(getattr(fields, name) < 0 or getattr(fields, name) > 100 for name in DEDUCTIONS):
        raise Refused(_("扣分及其上限应在0到100之间"))
    if fields.false_limit < 1:
        raise Refused(_("虚报瞒报的否决次数至少为1"))
    return SchemeFields(**{**vars(fields), "indicators": indicators})


def _write_scheme(scheme: Scheme, fields: SchemeFields) -> None:
    for name, value in vars(fields).items():
        if name != "indicators":
            setattr(scheme, name, value)
    scheme.save()
    scheme.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(scheme=scheme, position=n, name=i.name, weight=i.weight, source=i.source)
        for n, i in enumerate(fields.indicators)
    )


def scheme_of(office: Organisation) -> Scheme | None:
    return Scheme.objects.filter(office=office).first()


def _scheme(actor: User, office: Organisation) -> Scheme:
    """The office's scheme, made with the defaults on first use."""
    found = Scheme.objects.select_for_update().filter(office=office).first()
    if found is not None:
        return found
    scheme = Scheme(office=office)
    _write_scheme(scheme, DEFAULT)
    chain.record(
        actor=actor,
        action=Action.ASSESSMENT_SCHEME_CREATE,
        obj=scheme,
        after=scheme.rules(),
    )
    return scheme


def _require_assessor(actor: User, what: str) -> None:
    if not access.offices_kept_by(actor):
        access.require(set(), access.ASSESSORS, what)


def scheme_edit(*, actor: User, office_id: int, fields: SchemeFields) -> Scheme:
    """The office's indicators, deductions and grade thresholds, in place of its own;
    assessments already begun keep the scheme they began with."""
    _require_assessor(actor, _("修改整改评估方案"))
    fields = _check_scheme(fields)
    with transaction.atomic():
        office = access.office_for(actor, office_id, lock=True)
        scheme = _scheme(actor, office)
        before = scheme.rules()
        _write_scheme(scheme, fields)
        after = scheme.rules()
        if after != before:
            chain.record(
                actor=actor,
                action=Action.ASSESSMENT_SCHEME_EDIT,
                obj=scheme,
                before=before,
                after=after,
            )
    return scheme


# --- An assessment ---------------------------------------------------------------


def _office_of(inspection: Inspection) -> Organisation:
    """The inspection office the inspected organisation sits under."""
    organisation = Organisation.objects.get(pk=inspection.organisation_id)
    office = Organisation.objects.filter(
        pk=organisation.parent_id or 0, kind=Organisation.Kind.OFFICE
    ).first()
    if office is None:
        raise Refused(_("该单位不在任何巡察办之下，无法评估"))
    return office


def _assessable(actor: User, inspection_id: int, what: str) -> tuple[Inspection, set[Any]]:
    """The inspection, locked, to the office over it; Refused to its other roles."""
    inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
    access.enforce(access.may_assess(roles), roles, access.ASSESSORS, what)
    return inspection, roles


def assessment_start(*, actor: User, inspection_id: int) -> Assessment:
    """A draft assessment of the inspection, under the office's scheme as it is now."""
    with transaction.atomic():
        inspection, _roles = _assessable(actor, inspection_id, _("评估整改"))
        if Assessment.objects.filter(inspection=inspection).exists():
            raise Refused(_("该巡察的整改评估已经开始"))
        scheme = _scheme(actor, _office_of(inspection))
        assessment = Assessment.objects.create(
            inspection=inspection, rules=scheme.rules(), assessed_by=actor
        )
        chain.created(
            actor=actor,
            obj=assessment,
            inspection_id=inspection.pk,
            action=Action.ASSESSMENT_START,
        )
    return assessment


def _draft(actor: User, assessment_id: int, what: str) -> Assessment:
    """The assessment, locked, while a draft, to the office over its inspection."""
    inspection_id = (
        Assessment.objects.filter(pk=assessment_id).values_list("inspection_id", flat=True).first()
    )
    if inspection_id is None:
        raise NotFound(_("未找到该整改评估，或您无权查看"))
    _assessable(actor, inspection_id, what)
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    if assessment.state != Assessment.State.DRAFT:
        raise Refused(_("该整改评估已完成，不能再修改"))
    return assessment


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def _store(upload: Upload) -> tuple[str, str, str]:
    """The evidence kept by its digest under MEDIA_ROOT (as the ledger keeps its
    own): its name, path and content type; Refused as an evidence upload is."""
    content_type = check_upload(upload.name, upload.content)
    digest = hashlib.sha256(upload.content).hexdigest()
    relative = f"{digest[:2]}/{digest}"
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.exists():
        write_whole(path, upload.content)
    return Path(upload.name).name[:255], relative, content_type


def _enter_false_statements(
    assessment: Assessment, value: Decimal, note: str, upload: Upload | None
) -> dict[str, Any]:
    if value != value.to_integral_value() or value < 0:
        raise Refused(_("虚报瞒报次数应为不小于0的整数"))
    assessment.false_statements, assessment.false_statements_note = int(value), note
    if upload is not None:
        (
            assessment.false_statements_evidence_name,
            assessment.false_statements_evidence_path,
            assessment.false_statements_evidence_type,
        ) = _store(upload)
    assessment.save()
    return {
        "false_statements": assessment.false_statements,
        "note": note,
        "evidence": assessment.false_statements_evidence_name,
    }


def _enter_score(
    assessment: Assessment, position: int, value: Decimal, note: str, upload: Upload | None
) -> dict[str, Any]:
    rules = selectors.rules_of(assessment.rules)
    if not 0 <= position < len(rules.indicators):
        raise Refused(_("该评估方案没有这项指标"))
    indicator = rules.indicators[position]
    if indicator.source != scoring.Source.ENTERED:
        raise Refused(_("“%(name)s”由台账计算，不能录入") % {"name": indicator.name})
    if not 0 <= value <= indicator.weight:
        raise Refused(
            _("“%(name)s”的得分应在0到%(weight)s分之间")
            % {"name": indicator.name, "weight": indicator.weight}
        )
    score, _made = Score.objects.get_or_create(assessment=assessment, position=position)
    score.value, score.note = scoring.points(value), note
    if upload is not None:
        score.evidence_name, score.evidence_path, score.evidence_type = _store(upload)
    score.save()
    return {
        "indicator": indicator.name,
        "value": score.value,
        "note": note,
        "evidence": score.evidence_name,
    }


def assessment_enter(
    *,
    actor: User,
    assessment_id: int,
    indicator: int,
    value: Decimal,
    note: str,
    evidence: Upload | None = None,
) -> Assessment:
    """An entered indicator's score (``indicator`` its position in the scheme), or the
    count of false statements (``FALSE_STATEMENTS``), with its basis and evidence."""
    note = note.strip()
    if not note or len(note) > NOTE_MAX:
        raise Refused(_("请写明评分依据（不超过%(n)s字）") % {"n": NOTE_MAX})
    with transaction.atomic():
        assessment = _draft(actor, assessment_id, _("评估整改"))
        if indicator == FALSE_STATEMENTS:
            after = _enter_false_statements(assessment, value, note, evidence)
        else:
            after = _enter_score(assessment, indicator, value, note, evidence)
        chain.record(
            actor=actor,
            action=Action.ASSESSMENT_ENTER,
            obj=assessment,
            inspection_id=assessment.inspection_id,
            after=after,
        )
    return assessment


def _missing(assessment: Assessment) -> list[str]:
    """The entered indicators that have no score yet."""
    rules = selectors.rules_of(assessment.rules)
    scored = set(assessment.scores.filter(value__isnull=False).values_list("position", flat=True))
    return [
        i.name
        for n, i in enumerate(rules.indicators)
        if i.source == scoring.Source.ENTERED and n not in scored
    ]


def _keep_computed(assessment: Assessment, result: scoring.Result) -> None:
    """The computed indicators' scores kept as the ledger gave them when finalised."""
    rules = selectors.rules_of(assessment.rules)
    for n, indicator in enumerate(rules.indicators):
        if indicator.source != scoring.Source.ENTERED:
            Score.objects.update_or_create(
                assessment=assessment,
                position=n,
                defaults={"value": result.scores[n], "note": str(Source(indicator.source).label)},
            )


def assessment_finalise(*, actor: User, assessment_id: int) -> Assessment:
    """The total and grade, from the entered scores and the ledger as it stands; a
    fair or poor grade opens the re-rectification."""
    with transaction.atomic():
        assessment = _draft(actor, assessment_id, _("评估整改"))
        missing = _missing(assessment)
        if missing:
            raise Refused(_("以下指标尚未评分：%(names)s") % {"names": "、".join(missing)})
        inspection = Inspection.objects.select_related("organisation", "round").get(
            pk=assessment.inspection_id
        )
        facts = selectors.ledger_facts(inspection, timezone.localdate())
        result = selectors.result(assessment, facts)
        _keep_computed(assessment, result)
        before = chain.snapshot(assessment)
        assessment.overdue, assessment.relapses = facts.overdue, facts.relapses
        assessment.deductions = [deduction_record(d) for d in result.deductions]
        assessment.total, assessment.grade = result.total, result.grade.value
        assessment.state, assessment.finalised_at = Assessment.State.FINAL, timezone.now()
        if result.grade in scoring.REDO:
            assessment.reopened_as = _reopen(actor, inspection)
        assessment.save()
        chain.record(
            actor=actor,
            action=Action.ASSESSMENT_FINALISE,
            obj=assessment,
            inspection_id=inspection.pk,
            before=before,
            after=chain.snapshot(assessment),
        )
    return assessment


def deduction_record(deduction: scoring.Deduction) -> dict[str, Any]:
    """A deduction as an assessment keeps it, with the report's words for it."""
    return {
        "kind": deduction.kind.value,
        "count": deduction.count,
        "each": str(deduction.each),
        "points": str(deduction.points),
        "capped": deduction.capped,
        "explained": deduction.explain(),
    }


def _redo_round(actor: User, inspection: Inspection) -> Round:
    """The office's round for re-rectifications of the inspection's round (made when
    first needed): the organisation is already registered in its own round. A round
    where the organisation is registered again gets the next number."""
    office = _office_of(inspection)
    base = f"{inspection.round.name if inspection.round else ROUNDLESS}·{REDO}"
    kind = inspection.round.kind if inspection.round else Round.Kind.REGULAR
    for number in range(1, 100):
        name = base if number == 1 else f"{base}（{number}）"
        round, made = Round.objects.get_or_create(
            office=office, name=name[:200], defaults={"kind": kind}
        )
        if made:
            chain.created(actor=actor, obj=round, inspection_id=None, action=Action.ROUND_CREATE)
        if not round.inspections.filter(organisation_id=inspection.organisation_id).exists():
            return round
    raise Refused(_("该单位再整改的次数过多"))


def _reopen(actor: User, inspection: Inspection) -> Inspection:
    """A new inspection of the same organisation, its plan to be written, its title
    naming the one it rectifies again."""
    round = _redo_round(actor, inspection)
    redo = inspection_register(
        actor=actor,
        round_id=round.pk,
        organisation_id=inspection.organisation_id,
        feedback_date=timezone.localdate(),
    )
    original = inspection.title or inspection.organisation.name
    redo.title = f"{original}（{REDO}）"
    redo.inspection_body = inspection.inspection_body
    redo.save(update_fields=["title", "inspection_body"])
    return redo
