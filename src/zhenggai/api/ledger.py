"""Reading the ledger: inspections, their tree, the measures list, details, totals."""

from ninja import Router

router = Router(tags=["台账"])
