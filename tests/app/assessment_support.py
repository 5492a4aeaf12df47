"""Building an assessment on the cast's ledger of organisation A."""

import datetime as dt
from decimal import Decimal

from tests.app.conftest import Cast, plans_approved
from zhenggai.assessment.models import Assessment
from zhenggai.inspections.states import State
from zhenggai.ledger.models import FollowUpReview, Measure
from zhenggai.services import assessments as services

# The default scheme's entered indicators by position: 组织领导, 整改质量, 群众满意度.
ENTERED = {0: Decimal(20), 2: Decimal(25), 3: Decimal(15)}


def build_ledger(cast: Cast, *, done: int = 2, overdue: int = 0, relapses: int = 0) -> None:
    """Of A's two measures, ``done`` signed off, ``overdue`` of the rest past their
    deadline; ``relapses`` follow-ups of A's problem that found a relapse. A's plan
    is approved: its deadlines bind."""
    a = cast.a
    plans_approved(a)
    measures = list(Measure.objects.filter(inspection=a.inspection).order_by("position"))
    past = dt.date.today() - dt.timedelta(days=3)
    for n, measure in enumerate(measures):
        if n < done:
            measure.state = State.SIGNED_OFF
        elif n - done < overdue:
            measure.state, measure.deadline = State.IN_PROGRESS, past
        measure.save()
    for _n in range(relapses):
        FollowUpReview.objects.create(
            problem=a.problem,
            reviewer=cast.office_user,
            date=dt.date.today(),
            finding="反弹",
            relapsed=True,
        )


def assess(cast: Cast, values: dict[int, Decimal], false_statements: int = 0) -> Assessment:
    """A's assessment started, its entered indicators given ``values``, finalised."""
    user = cast.office_user
    assessment = services.assessment_start(actor=user, inspection_id=cast.a.inspection.pk)
    for position, value in values.items():
        services.assessment_enter(
            actor=user, assessment_id=assessment.pk, indicator=position, value=value, note="依据"
        )
    if false_statements:
        services.assessment_enter(
            actor=user,
            assessment_id=assessment.pk,
            indicator=services.FALSE_STATEMENTS,
            value=Decimal(false_statements),
            note="核查发现虚报",
        )
    return services.assessment_finalise(actor=user, assessment_id=assessment.pk)
