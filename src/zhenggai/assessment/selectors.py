"""What an assessment reads from the ledger: completion of measures and problems,
overdue measures, relapses found by 回头看; and the scheme's rules for scoring."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhenggai.assessment.models import Assessment
from zhenggai.core import assessment as scoring
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import DONE_STATES
from zhenggai.ledger import derived
from zhenggai.ledger.models import FollowUpReview, Measure


@dataclass(frozen=True)
class LedgerFacts:
    """The figures of an inspection's ledger an assessment scores."""

    measures: int
    measures_done: float  # share of the measures' weight done, as the ledger counts it
    problems: int
    problems_done: int
    overdue: int
    relapses: int

    def share(self, source: str) -> float:
        if source == scoring.Source.MEASURES:
            return self.measures_done
        return self.problems_done / self.problems if self.problems else 0.0


def ledger_facts(inspection: Inspection, today: dt.date) -> LedgerFacts:
    measures = Measure.objects.filter(inspection=inspection)
    weighted = list(measures.values_list("state", "weight"))
    problems = Problem.objects.filter(inspection=inspection, parent__isnull=True)
    return LedgerFacts(
        measures=len(weighted),
        measures_done=derived.completion(weighted),
        problems=problems.count(),
        problems_done=problems.filter(state__in=DONE_STATES).count(),
        overdue=measures.filter(derived.overdue_q(today)).count(),
        relapses=FollowUpReview.objects.filter(
            problem__inspection=inspection, relapsed=True
        ).count(),
    )


def rules_of(snapshot: dict[str, Any]) -> scoring.Rules:
    """An assessment's scheme (as ``Scheme.rules`` keeps it) for the scoring."""
    return scoring.Rules(
        indicators=tuple(
            scoring.Indicator(i["name"], int(i["weight"]), scoring.Source(i["source"]))
            for i in snapshot["indicators"]
        ),
        overdue_each=Decimal(snapshot["overdue_each"]),
        overdue_cap=Decimal(snapshot["overdue_cap"]),
        relapse_each=Decimal(snapshot["relapse_each"]),
        relapse_cap=Decimal(snapshot["relapse_cap"]),
        false_limit=int(snapshot["false_limit"]),
        good=int(snapshot["good"]),
        fairly_good=int(snapshot["fairly_good"]),
        fair=int(snapshot["fair"]),
    )


def values(assessment: Assessment, facts: LedgerFacts) -> dict[int, Decimal]:
    """Every indicator's value by position: computed ones from the ledger, entered ones
    as entered (missing ones left out)."""
    rules = rules_of(assessment.rules)
    entered = {s.position: s.value for s in assessment.scores.all() if s.value is not None}
    found: dict[int, Decimal] = {}
    for position, indicator in enumerate(rules.indicators):
        if indicator.source == scoring.Source.ENTERED:
            if position in entered:
                found[position] = entered[position]
        else:
            found[position] = scoring.computed(indicator, facts.share(indicator.source))
    return found


def result(assessment: Assessment, facts: LedgerFacts) -> scoring.Result:
    counts = scoring.Counts(facts.overdue, facts.relapses, assessment.false_statements)
    return scoring.score(rules_of(assessment.rules), values(assessment, facts), counts)
