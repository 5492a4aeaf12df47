"""A round's bulletin, written from its inspections' ledgers as they stand.

Each figure is the one an inspection's own documents compute (``material``,
``ledger_document``), asked for all the round's inspections at once: six queries
however many organisations the round inspected (the inspections, then one GROUP BY
each for problems, measures, regulations, funds and accountability).
"""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from zhenggai.accountability.models import Regulation
from zhenggai.core.model import Accountability
from zhenggai.core.writers.round_bulletin import OrgFigures, RoundBulletin, write_round_bulletin
from zhenggai.documents.ledger_document import accountability_by_inspection
from zhenggai.documents.material import funds_by_inspection, problem_totals
from zhenggai.inspections.models import Inspection, Round
from zhenggai.ledger.models import Measure


def _counted(model: type[Measure] | type[Regulation], ids: list[int]) -> dict[int, int]:
    rows = (
        model.objects.filter(inspection_id__in=ids)
        .values_list("inspection_id")
        .annotate(n=Count("pk"))
        .order_by("inspection_id")
    )
    return dict(rows)


def round_figures(round: Round, today: dt.date | None = None) -> RoundBulletin:
    """The round's organisations, by name, each with its ledger's figures; the office
    (``round.office``, fetched by the access door) signs."""
    inspections = list(
        Inspection.objects.filter(round=round)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    ids = [i.pk for i in inspections]
    totals = problem_totals(ids)
    measures = _counted(Measure, ids)
    regulations = _counted(Regulation, ids)
    funds = funds_by_inspection(ids)
    people = accountability_by_inspection(ids)
    organisations = [
        OrgFigures(
            name=i.organisation.name,
            problems=totals.get(i.pk, (0, 0))[0],
            completed=totals.get(i.pk, (0, 0))[1],
            measures=measures.get(i.pk, 0),
            regulations=regulations.get(i.pk, 0),
            funds_yuan=funds.get(i.pk),
            accountability=people.get(i.pk, Accountability()),
        )
        for i in inspections
    ]
    return RoundBulletin(
        round_name=round.name,
        office=round.office.name,
        date=today or timezone.localdate(),
        organisations=organisations,
    )


def bulletin_docx(round: Round) -> bytes:
    return write_round_bulletin(round_figures(round))


def file_name(round: Round) -> str:
    return f"关于{round.name}整改进展情况的通报.docx"
