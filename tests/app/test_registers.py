"""The registers' services: an accountability action with its 事由 and the rest,
its grade checked against its kind; case leads and their disposal; a regulation
counted once; a fund's kind; the organisation's work facts. Who may, what is
refused (changing nothing), and the audit event each write leaves."""

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from tests.app.conftest import Cast
from zhenggai.accountability.models import (
    GRADES,
    Action,
    FundsRecovered,
    Regulation,
    WorkFact,
    grade_fits,
)
from zhenggai.audit.chain import snapshot, verify
from zhenggai.audit.models import Event
from zhenggai.core.model import Category as DocCategory
from zhenggai.core.model import Document
from zhenggai.core.model import Problem as DocProblem
from zhenggai.inspections.models import CaseLead
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import accountability
from zhenggai.services import registers as services
from zhenggai.services.accountability import ActionFields
from zhenggai.services.importing import import_document
from zhenggai.services.registers import Disposal

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 5, 1)
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def counts() -> tuple[int, ...]:
    models = (Action, CaseLead, Regulation, FundsRecovered, WorkFact, Event)
    return tuple(m.objects.count() for m in models)


def _lead(cast: Cast) -> CaseLead:
    return CaseLead.objects.create(inspection=cast.a.inspection, description="某某违规发放津贴")


def test_every_grade_belongs_to_its_sanction_and_nothing_else_has_one() -> None:
    assert grade_fits(Action.Kind.PARTY_SANCTION, Action.Grade.REMOVAL_FROM_PARTY_POST)
    assert grade_fits(Action.Kind.GOVERNMENT_SANCTION, Action.Grade.DISMISSAL)
    assert not grade_fits(Action.Kind.GOVERNMENT_SANCTION, Action.Grade.PROBATION)
    assert not grade_fits(Action.Kind.ADMONISHMENT, Action.Grade.WARNING)
    assert all(grade_fits(kind, "") for kind in Action.Kind.values)
    assert len(GRADES[Action.Kind.PARTY_SANCTION]) == 5
    assert len(GRADES[Action.Kind.GOVERNMENT_SANCTION]) == 6


def test_the_discipline_group_records_a_sanction_with_its_reason_and_document(
    cast: Cast,
) -> None:
    discipline, lead = cast.a.users[Role.DISCIPLINE], _lead(cast)
    fields = ActionFields(
        kind=Action.Kind.GOVERNMENT_SANCTION,
        grade=Action.Grade.DEMERIT,
        person_name=" 王某 ",
        post="财务科科长",
        reason="违规发放津贴补贴",
        deciding_body="县监委",
        document_number="县监发〔2024〕3号",
        date=DAY,
        problem_id=cast.a.problem.pk,
        case_lead_id=lead.pk,
    )
    action = accountability.action_create(
        actor=discipline, inspection_id=cast.a.inspection.pk, fields=fields
    )
    action.refresh_from_db()
    assert (action.person_name, action.post, action.reason) == (
        "王某",
        "财务科科长",
        "违规发放津贴补贴",
    )
    assert (action.deciding_body, action.document_number) == ("县监委", "县监发〔2024〕3号")
    assert (action.problem, action.case_lead, action.grade) == (cast.a.problem, lead, "demerit")
    assert list(lead.actions.all()) == [action]
    event = Event.objects.get()
    assert (event.action, event.actor_id, event.after) == (
        "action.create",
        discipline.pk,
        snapshot(action),
    )
    assert verify() is None


def test_a_case_lead_of_another_inspection_is_refused(cast: Cast) -> None:
    other = CaseLead.objects.create(inspection=cast.b.inspection, description="乙单位线索")
    before = counts()
    with pytest.raises(Refused, match="所选问题线索不属于本次巡察"):
        accountability.action_create(
            actor=cast.a.users[Role.DISCIPLINE],
            inspection_id=cast.a.inspection.pk,
            fields=ActionFields(kind=Action.Kind.ADMONISHMENT, case_lead_id=other.pk),
        )
    assert counts() == before


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"reason": "长" * 20_001}, "事由不能超过 20000 个字"),
        ({"post": "长" * 101}, "职务不能超过 100 个字"),
        ({"deciding_body": "长" * 201}, "决定机关不能超过 200 个字"),
        ({"document_number": "长" * 101}, "文号不能超过 100 个字"),
    ],
)
def test_over_long_fields_are_refused(cast: Cast, given: dict[str, Any], reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        accountability.action_create(
            actor=cast.a.users[Role.DISCIPLINE],
            inspection_id=cast.a.inspection.pk,
            fields=ActionFields(kind=Action.Kind.ADMONISHMENT, **given),
        )
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_discipline_group_disposes_of_a_lead_and_the_change_is_recorded(cast: Cast) -> None:
    lead, discipline = _lead(cast), cast.a.users[Role.DISCIPLINE]
    before = snapshot(lead)
    given = Disposal(
        disposal=CaseLead.Disposal.PRELIMINARY,
        received=DAY,
        deadline=DAY + dt.timedelta(days=90),
        outcome="已完成初核，给予诫勉",
        problem_id=cast.a.problem.pk,
    )
    services.case_lead_dispose(actor=discipline, case_lead_id=lead.pk, given=given)
    lead.refresh_from_db()
    assert (lead.disposal, lead.received, lead.outcome) == (
        "preliminary",
        DAY,
        "已完成初核，给予诫勉",
    )
    assert lead.problem == cast.a.problem
    event = Event.objects.get()
    assert (event.action, event.before, event.after) == (
        "caselead.dispose",
        before,
        snapshot(lead),
    )


def test_the_discipline_group_registers_a_lead(cast: Cast) -> None:
    lead = services.case_lead_create(
        actor=cast.a.users[Role.DISCIPLINE],
        inspection_id=cast.a.inspection.pk,
        description=" 违规收受礼金 ",
        handed_to="县纪委监委",
        given=Disposal(disposal=CaseLead.Disposal.TALK_INQUIRY, received=DAY),
    )
    assert (lead.description, lead.handed_to, lead.disposal) == (
        "违规收受礼金",
        "县纪委监委",
        "talk_inquiry",
    )
    assert Event.objects.get().action == "caselead.create"


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (Disposal(disposal="burn"), "未知的处置方式"),
        (Disposal(disposal="closed", received=TOMORROW), "接收日期不能晚于今天"),
        (Disposal(disposal="closed", received=DAY, deadline=DAY - dt.timedelta(1)), "办结时限"),
        (Disposal(disposal="closed", outcome="长" * 20_001), "办理结果不能超过"),
    ],
)
def test_a_disposal_that_cannot_be_is_refused(cast: Cast, given: Disposal, reason: str) -> None:
    lead = _lead(cast)
    before = counts()
    with pytest.raises(Refused, match=reason):
        services.case_lead_dispose(
            actor=cast.a.users[Role.DISCIPLINE], case_lead_id=lead.pk, given=given
        )
    lead.refresh_from_db()
    assert (lead.disposal, counts()) == ("pending", before)


@pytest.mark.parametrize(
    "role", [Role.RECTIFICATION_OFFICE, Role.FIRST_RESPONSIBLE, Role.RESPONSIBLE_PERSON]
)
def test_only_the_discipline_group_disposes_of_leads(cast: Cast, role: Role) -> None:
    lead = _lead(cast)
    with pytest.raises(Refused, match=r"^只有派驻纪检监察组可以记录问题线索处置情况$"):
        services.case_lead_dispose(
            actor=cast.a.users[role], case_lead_id=lead.pk, given=Disposal("closed")
        )
    assert (CaseLead.objects.get().disposal, Event.objects.count()) == ("pending", 0)


@pytest.mark.parametrize("stranger", ["b_discipline", "b_rectification_office", "outsider"])
def test_another_organisations_registers_are_not_found(cast: Cast, stranger: str) -> None:
    user, lead, pk = cast.everyone[stranger], _lead(cast), cast.a.inspection.pk
    before = counts()
    with pytest.raises(NotFound):
        services.case_lead_dispose(actor=user, case_lead_id=lead.pk, given=Disposal("closed"))
    with pytest.raises(NotFound):
        services.work_fact_record(actor=user, inspection_id=pk, kind="training")
    with pytest.raises(NotFound):
        accountability.regulation_record(actor=user, inspection_id=pk, title="制度")
    assert counts() == before


def test_the_same_regulation_is_counted_once(cast: Cast) -> None:
    office, pk = cast.a.users[Role.RECTIFICATION_OFFICE], cast.a.inspection.pk
    first = accountability.regulation_record(
        actor=office, inspection_id=pk, title="《公务接待管理办法》", issuing_body="县委办"
    )
    assert (first.issuing_body, first.position) == ("县委办", 1)
    before = counts()
    with pytest.raises(Refused, match="已经登记，同一制度只计一次"):
        accountability.regulation_record(actor=office, inspection_id=pk, title="公务接待 管理办法")
    assert counts() == before
    # Another inspection may adopt a rule of the same name.
    other = cast.b.users[Role.RECTIFICATION_OFFICE]
    accountability.regulation_record(
        actor=other, inspection_id=cast.b.inspection.pk, title="公务接待管理办法"
    )


def test_funds_keep_their_kind(cast: Cast) -> None:
    funds = accountability.funds_record(
        actor=cast.a.users[Role.RECTIFICATION_OFFICE],
        inspection_id=cast.a.inspection.pk,
        amount=Decimal("2369"),
        kind=FundsRecovered.Kind.PAID_BACK,
        description="补缴党费",
    )
    assert (funds.kind, funds.get_kind_display()) == ("paid_back", "补缴")
    with pytest.raises(Refused, match="未知的资金类别"):
        accountability.funds_record(
            actor=cast.a.users[Role.RECTIFICATION_OFFICE],
            inspection_id=cast.a.inspection.pk,
            amount=Decimal(1),
            kind="stolen",
        )
    assert FundsRecovered.objects.count() == 1


def test_the_office_records_meetings_training_and_reminders(cast: Cast) -> None:
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    fact = services.work_fact_record(
        actor=office,
        inspection_id=cast.a.inspection.pk,
        kind=WorkFact.Kind.SPECIAL_MEETING,
        date=DAY,
        count=4,
        note="专题研究整改工作",
    )
    assert (fact.kind, fact.count, fact.recorded_by) == ("special_meeting", 4, office)
    event = Event.objects.get()
    assert (event.action, event.after) == ("workfact.create", snapshot(fact))


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"kind": "party"}, "未知的类别"),
        ({"kind": "training", "count": 0}, "次数应在 1 到 1000 之间"),
        ({"kind": "other"}, "类别为「其他」时请在说明中写明"),
        ({"kind": "training", "date": TOMORROW}, "日期不能晚于今天"),
    ],
)
def test_a_work_fact_that_cannot_be_is_refused(
    cast: Cast, given: dict[str, Any], reason: str
) -> None:
    with pytest.raises(Refused, match=reason):
        services.work_fact_record(
            actor=cast.a.users[Role.RECTIFICATION_OFFICE],
            inspection_id=cast.a.inspection.pk,
            **given,
        )
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize("role", [Role.DISCIPLINE, Role.FIRST_RESPONSIBLE])
def test_only_the_office_records_work_facts(cast: Cast, role: Role) -> None:
    with pytest.raises(Refused, match=r"^只有整改办公室可以记录会议、培训和督促提醒$"):
        services.work_fact_record(
            actor=cast.a.users[role], inspection_id=cast.a.inspection.pk, kind="training"
        )
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_old_combined_sanctions_are_split_by_their_grade(cast: Cast) -> None:
    migration = importlib.import_module("zhenggai.accountability.migrations.0002_registers")
    old = {g: "party_discipline" for g in ("", "warning", "probation", "demotion", "expulsion")}
    rows = {
        g: Action.objects.create(inspection=cast.a.inspection, kind=k, grade=g)
        for g, k in old.items()
    }
    migration.split_sanctions(apps, None)
    found = {g: Action.objects.get(pk=row.pk).kind for g, row in rows.items()}
    assert found == {
        "": "party_discipline",  # unstated which: kept as the document stated it
        "warning": "party_discipline",  # both sanctions have 警告
        "probation": "party_sanction",
        "demotion": "government_sanction",
        "expulsion": "party_sanction",
    }


def test_a_document_listing_a_regulation_twice_imports_it_once() -> None:
    doc = Document(
        title="关于巡察整改进展情况的通报",
        categories=[DocCategory("一、政治建设方面", problems=[DocProblem("学习不深入")])],
        regulations=["《公务接待管理办法》", "公务接待管理办法", "《财务报销制度》"],
    )
    result = import_document(
        document=doc, content=b"two regulations", source_name="x.txt", org_name="县融媒体中心"
    )
    found = result.inspection.regulations.values_list("position", "title")
    assert list(found) == [(1, "《公务接待管理办法》"), (2, "《财务报销制度》")]
