"""Importing a bulletin fills the registers as the bulletin tells them: the people
sanctioned with their grade and 事由, money recovered or paid back under the problem
that tells of it, the meetings and reminders of the organisation of work, each
regulation once, and the organisation's own words for the documents."""

from decimal import Decimal
from pathlib import Path

import pytest

from tests.support import SAMPLES
from zhenggai.accountability.models import Action, FundsRecovered, Regulation, WorkFact
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.core.readers import parse_file
from zhenggai.inspections.models import Inspection
from zhenggai.services.importing import import_document

pytestmark = pytest.mark.django_db


def _seed(number: str) -> Path:
    return next(p for p in SAMPLES if p.name.startswith(number))


def _import(number: str) -> Inspection:
    path = _seed(number)
    return import_document(
        document=parse_file(path),
        content=path.read_bytes(),
        source_name=path.name,
        org_name=f"种子{number}单位",
    ).inspection


def test_seed_004s_sanctions_carry_their_grade_and_reason() -> None:
    inspection = _import("004")
    actions = Action.objects.filter(inspection=inspection)
    sanctioned = actions.filter(kind=Action.Kind.PARTY_SANCTION)
    assert [(a.grade, a.reason) for a in sanctioned] == [
        (Action.Grade.WARNING, "虚开发票套取公款用于支付聚餐费用")
    ] * 2
    # the summary's 党纪政务处分2人 are those two people, not two more
    assert not actions.filter(kind=Action.Kind.PARTY_DISCIPLINE).exists()
    assert actions.count() == 2 + 3 + 11 + 2
    assert Event.objects.filter(action="action.import", inspection_id=inspection.pk).count() == 18


def test_seed_004s_money_is_registered_under_the_problem_that_tells_of_it() -> None:
    inspection = _import("004")
    funds = list(FundsRecovered.objects.filter(inspection=inspection).order_by("pk"))
    assert [(f.kind, f.amount, f.description) for f in funds] == [
        (FundsRecovered.Kind.RECOVERED, None, "追回超标报销费用"),
        (FundsRecovered.Kind.RECOVERED, None, "追回多支付钱款"),
    ]
    assert all(f.problem is not None for f in funds)
    assert funds[0].problem is not None
    assert funds[0].problem.title == "超标准报销费用"  # the sub-problem whose measure says so
    assert Event.objects.filter(action="fundsrecovered.import").count() == 2


def test_seed_002s_party_dues_paid_back_are_registered_in_yuan() -> None:
    inspection = _import("002")
    funds = FundsRecovered.objects.get(inspection=inspection)
    assert (funds.kind, funds.amount) == ("paid_back", Decimal(2369))
    assert "党费" in funds.description


def test_seed_004s_organisation_of_work_is_registered_and_kept_in_its_words() -> None:
    inspection = _import("004")
    facts = WorkFact.objects.filter(inspection=inspection).order_by("pk")
    assert [(f.kind, f.count) for f in facts] == [
        (WorkFact.Kind.COORDINATION_MEETING, 12),
        (WorkFact.Kind.SPECIAL_MEETING, 4),
        (WorkFact.Kind.REMINDER, 6),
    ]
    assert "巡察整改协调会12场、专题会4场" in inspection.work_text
    assert inspection.next_steps_text.startswith("经过一段时间的集中整改")
    assert verify() is None


def test_seed_004s_regulations_are_each_counted_once_and_the_plan_is_not_one() -> None:
    inspection = _import("004")
    titles = list(Regulation.objects.filter(inspection=inspection).values_list("title", flat=True))
    assert len(titles) == 18 == inspection.stated_totals["regulations"]
    assert {"采购管理制度", "考勤管理制度", "公用经费管理规定"} <= set(titles)
    assert "中心公用经费管理规定" not in titles  # the same rule, named with the centre's name
    assert not [t for t in titles if "整改方案" in t]
