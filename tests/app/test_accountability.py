"""Recording accountability actions, regulations adopted and funds recovered:
who may, what is refused, and the audit event each write leaves."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.app.conftest import Cast
from zhenggai.accountability.models import Action, FundsRecovered, Regulation
from zhenggai.audit.chain import snapshot, verify
from zhenggai.audit.models import Event
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import accountability as services

pytestmark = pytest.mark.django_db

TOMORROW = dt.date.today() + dt.timedelta(days=1)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Action, Regulation, FundsRecovered, Event))


def test_the_discipline_group_records_a_party_sanction_with_its_grade(cast: Cast) -> None:
    discipline = cast.a.users[Role.DISCIPLINE]
    action = services.action_record(
        actor=discipline,
        inspection_id=cast.a.inspection.pk,
        kind=Action.Kind.PARTY_SANCTION,
        grade=Action.Grade.SERIOUS_WARNING,
        person_name=" 李某 ",
        problem_id=cast.a.problem.pk,
        date=dt.date(2024, 5, 1),
    )
    action.refresh_from_db()
    assert (action.kind, action.grade, action.person_name) == (
        "party_sanction",
        "serious_warning",
        "李某",
    )
    assert (action.problem, action.recorded_by, action.date) == (
        cast.a.problem,
        discipline,
        dt.date(2024, 5, 1),
    )
    event = Event.objects.get()
    assert (event.action, event.actor_id, event.inspection_id) == (
        "action.create",
        discipline.pk,
        cast.a.inspection.pk,
    )
    assert (event.before, event.after) == (None, snapshot(action))
    assert verify() is None


def test_the_rectification_office_records_a_talk_without_a_grade(cast: Cast) -> None:
    action = services.action_record(
        actor=cast.a.users[Role.RECTIFICATION_OFFICE],
        inspection_id=cast.a.inspection.pk,
        kind=Action.Kind.ADMONITION_TALK,
    )
    assert (action.grade, action.problem, action.date) == ("", None, None)


def test_another_kind_keeps_the_documents_own_word(cast: Cast) -> None:
    action = services.action_record(
        actor=cast.a.users[Role.DISCIPLINE],
        inspection_id=cast.a.inspection.pk,
        kind=Action.Kind.OTHER,
        kind_text="通报批评",
    )
    assert action.kind_text == "通报批评"


ACTION_REFUSALS: list[tuple[dict[str, Any], str]] = [
    ({"kind": "admonishment", "grade": "warning"}, "只有党纪处分和政务处分可以填写处分档次"),
    ({"kind": "fine"}, "未知的处理方式"),
    ({"kind": "party_sanction", "grade": "beheading"}, "未知的处分档次"),
    ({"kind": "party_sanction", "grade": "demerit"}, "「党纪处分」没有「记过」这一档次"),
    ({"kind": "government_sanction", "grade": "probation"}, "「政务处分」没有「留党察看」这一档次"),
    # The old 党纪政务处分 is kept for what documents state, never chosen anew.
    ({"kind": "party_discipline"}, "请选择党纪处分或政务处分"),
    ({"kind": "other"}, "处理方式为「其他」时请写明具体方式"),
    ({"kind": "other", "kind_text": "长" * 51}, "处理方式不能超过 50 个字"),
    ({"kind": "admonishment", "person_name": "长" * 101}, "被处理人姓名不能超过 100 个字"),
    ({"kind": "admonishment", "date": TOMORROW}, "处理日期不能晚于今天"),
]


@pytest.mark.parametrize(("given", "reason"), ACTION_REFUSALS)
def test_an_action_that_cannot_be_is_refused(
    cast: Cast, given: dict[str, Any], reason: str
) -> None:
    before = counts()
    with pytest.raises(Refused, match=reason):
        services.action_record(
            actor=cast.a.users[Role.DISCIPLINE], inspection_id=cast.a.inspection.pk, **given
        )
    assert counts() == before


def test_a_problem_of_another_inspection_is_refused(cast: Cast) -> None:
    with pytest.raises(Refused, match="所选问题不属于本次巡察"):
        services.action_record(
            actor=cast.a.users[Role.DISCIPLINE],
            inspection_id=cast.a.inspection.pk,
            kind=Action.Kind.ADMONITION_TALK,
            problem_id=cast.b.problem.pk,
        )
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "role", [Role.RESPONSIBLE_PERSON, Role.RESPONSIBLE_LEADER, Role.FIRST_RESPONSIBLE]
)
def test_only_the_discipline_group_and_the_office_record_actions(cast: Cast, role: Role) -> None:
    with pytest.raises(Refused, match=r"^只有派驻纪检监察组、整改办公室可以记录问责处理$"):
        services.action_record(
            actor=cast.a.users[role],
            inspection_id=cast.a.inspection.pk,
            kind=Action.Kind.ADMONITION_TALK,
        )
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("stranger", ["b_discipline", "b_rectification_office", "outsider"])
def test_another_organisations_inspection_is_not_found(cast: Cast, stranger: str) -> None:
    user = cast.everyone[stranger]
    inspection_id = cast.a.inspection.pk
    with pytest.raises(NotFound):
        services.action_record(actor=user, inspection_id=inspection_id, kind="admonition_talk")
    with pytest.raises(NotFound):
        services.regulation_record(actor=user, inspection_id=inspection_id, title="制度")
    with pytest.raises(NotFound):
        services.funds_record(actor=user, inspection_id=inspection_id, amount=Decimal(1))
    assert counts() == (0, 0, 0, 0)


def test_regulations_are_numbered_in_the_order_adopted(cast: Cast) -> None:
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    titles = ["《理论学习中心组学习制度》", "《意识形态工作责任制实施办法》"]
    for title in titles:
        services.regulation_record(
            actor=office, inspection_id=cast.a.inspection.pk, title=title, adopted_on=None
        )
    rows = Regulation.objects.filter(inspection=cast.a.inspection).order_by("position")
    assert [(r.position, r.title) for r in rows] == [(1, titles[0]), (2, titles[1])]
    assert list(Event.objects.values_list("action", flat=True)) == ["regulation.create"] * 2


@pytest.mark.parametrize(
    ("role", "title", "adopted_on", "reason"),
    [
        (Role.RECTIFICATION_OFFICE, "  ", None, "请填写制度名称"),
        (Role.RECTIFICATION_OFFICE, "制度", TOMORROW, "出台日期不能晚于今天"),
        (Role.DISCIPLINE, "制度", None, "只有整改办公室可以记录建章立制"),
    ],
)
def test_a_regulation_that_cannot_be_is_refused(
    cast: Cast, role: Role, title: str, adopted_on: dt.date | None, reason: str
) -> None:
    with pytest.raises(Refused, match=reason):
        services.regulation_record(
            actor=cast.a.users[role],
            inspection_id=cast.a.inspection.pk,
            title=title,
            adopted_on=adopted_on,
        )
    assert counts() == (0, 0, 0, 0)


def test_funds_are_kept_to_the_fen(cast: Cast) -> None:
    funds = services.funds_record(
        actor=cast.a.users[Role.DISCIPLINE],
        inspection_id=cast.a.inspection.pk,
        amount=Decimal("128000.50"),
        description="清退违规发放补贴",
        problem_id=cast.a.problem.pk,
    )
    funds.refresh_from_db()
    assert (funds.amount, funds.problem) == (Decimal("128000.50"), cast.a.problem)
    event = Event.objects.get()
    assert (event.action, event.after) == ("funds.create", snapshot(funds))
    assert snapshot(funds)["amount"] == "128000.50"
    assert verify() is None


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        (Decimal(0), "金额必须大于零"),
        (Decimal("-5"), "金额必须大于零"),
        (Decimal("NaN"), "金额必须大于零"),
        (Decimal("Infinity"), "金额必须大于零"),
        (Decimal("1000000000000"), "金额超出可记录的范围"),
        (Decimal("1.005"), "金额最多保留两位小数"),
    ],
)
def test_an_amount_that_cannot_be_kept_is_refused(cast: Cast, amount: Decimal, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        services.funds_record(
            actor=cast.a.users[Role.RECTIFICATION_OFFICE],
            inspection_id=cast.a.inspection.pk,
            amount=amount,
        )
    assert counts() == (0, 0, 0, 0)
