"""The registers page in the browser: the discipline group records an action with
its 事由 and a lead's disposal, the office a regulation, funds and a meeting; bad
input is told in Chinese beside the form, keeps what was typed and changes nothing;
each role is offered exactly the forms its services accept; the problem page shows
what the registers hold of it."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.app.conftest import Cast
from zhenggai.accountability.models import Action, FundsRecovered, Regulation, WorkFact
from zhenggai.audit.models import Event
from zhenggai.inspections.models import CaseLead
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import accountability, registers
from zhenggai.services.accountability import ActionFields
from zhenggai.services.registers import Disposal

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(cast: Cast) -> str:
    return f"/inspections/{cast.a.inspection.pk}/registers/"


def counts() -> tuple[int, ...]:
    models = (Action, CaseLead, Regulation, FundsRecovered, WorkFact, Event)
    return tuple(m.objects.count() for m in models)


ACTION = {
    "op": "action",
    "person_name": "王某",
    "post": "财务科科长",
    "kind": "party_sanction",
    "grade": "removal_from_party_post",
    "reason": "违规发放津贴补贴",
    "date": "2024-05-01",
    "deciding_body": "县纪委",
    "document_number": "县纪发〔2024〕3号",
}


def test_the_discipline_group_records_an_action_and_a_disposal(cast: Cast) -> None:
    lead = CaseLead.objects.create(inspection=cast.a.inspection, description="违规发放津贴线索")
    client, url, problem = _client(cast.a.users[Role.DISCIPLINE]), _url(cast), cast.a.problem
    response = client.post(url, ACTION | {"problem": problem.pk, "case_lead": lead.pk})
    assert response.status_code == 302 and response["Location"] == url
    action = Action.objects.get()
    assert (action.reason, action.grade, action.case_lead) == (
        "违规发放津贴补贴",
        "removal_from_party_post",
        lead,
    )
    disposal = {"op": "dispose", "case_lead": lead.pk, "disposal": "case_opened"}
    response = client.post(url, disposal | {"outcome": "已立案审查", "problem": problem.pk})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.disposal, lead.outcome, lead.problem) == ("case_opened", "已立案审查", problem)
    page = client.get(url).content.decode()
    assert "违规发放津贴补贴" in page and "撤销党内职务" in page and "拟立案" in page
    shown = client.get(f"/problems/{problem.pk}/").content.decode()
    for text in ("王某", "财务科科长", "撤销党内职务", "违规发放津贴补贴", "拟立案", "已立案审查"):
        assert text in shown, text


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ({"grade": "demerit"}, "「党纪处分」没有「记过」这一档次"),
        ({"date": "2024-13-45"}, "输入一个有效的日期"),
        ({"post": "长" * 101}, "100"),
        ({"reason": ""}, "这个字段是必填项"),
    ],
)
def test_a_bad_action_is_told_in_chinese_and_keeps_what_was_typed(
    cast: Cast, given: dict[str, Any], error: str
) -> None:
    response = _client(cast.a.users[Role.DISCIPLINE]).post(_url(cast), ACTION | given)
    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert 'value="县纪发〔2024〕3号"' in page  # what was typed is still there
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_office_records_regulations_funds_and_meetings(cast: Cast) -> None:
    client, url = _client(cast.a.users[Role.RECTIFICATION_OFFICE]), _url(cast)
    regulation = {"op": "regulation", "title": "公务接待管理办法", "issuing_body": "县委办"}
    assert client.post(url, regulation).status_code == 302
    again = client.post(url, regulation)
    assert again.status_code == 400
    assert "「公务接待管理办法」已经登记，同一制度只计一次" in again.content.decode()
    funds = {"op": "funds", "kind": "paid_back", "amount": "2369", "problem": cast.a.problem.pk}
    assert client.post(url, funds | {"description": "补缴党费"}).status_code == 302
    negative = client.post(url, funds | {"amount": "-5"})
    assert negative.status_code == 400 and "0.01" in negative.content.decode()
    meeting = {"op": "work", "kind": "special_meeting", "count": "4", "date": "2024-05-01"}
    assert client.post(url, meeting).status_code == 302
    assert (Regulation.objects.count(), FundsRecovered.objects.count()) == (1, 1)
    page = client.get(url).content.decode()
    assert "专题会议 4 次" in page and "合计 2369.00 元" in page
    assert "补缴党费" in client.get(f"/problems/{cast.a.problem.pk}/").content.decode()


def test_the_office_writes_its_own_words_for_the_documents(cast: Cast) -> None:
    client, url = _client(cast.a.users[Role.RECTIFICATION_OFFICE]), _url(cast)
    words = {
        "op": "words",
        "work_text": "召开党委会3次。\n成立领导小组。",
        "next_steps_text": "巩固成果。",
    }
    assert client.post(url, words).status_code == 302
    inspection = cast.a.inspection
    inspection.refresh_from_db()
    assert (inspection.work_text, inspection.next_steps_text) == (
        "召开党委会3次。\n成立领导小组。",
        "巩固成果。",
    )
    event = Event.objects.get(action="inspection.own_words")
    assert event.actor_id == cast.a.users[Role.RECTIFICATION_OFFICE].pk
    assert client.post(url, words).status_code == 302  # the same words: nothing to record
    assert Event.objects.filter(action="inspection.own_words").count() == 1
    too_long = client.post(url, words | {"work_text": "字" * 20_001})
    assert too_long.status_code == 400
    inspection.refresh_from_db()
    assert inspection.work_text == "召开党委会3次。\n成立领导小组。"
    reader = _client(cast.a.users[Role.DISCIPLINE]).get(url).content.decode()
    assert 'id="form-words"' not in reader and "成立领导小组。" in reader


def test_a_role_that_may_not_is_refused_in_chinese_and_nothing_changes(cast: Cast) -> None:
    client = _client(cast.a.users[Role.RESPONSIBLE_PERSON])
    response = client.post(_url(cast), {"op": "work", "kind": "training", "count": "1"})
    assert response.status_code == 400
    assert "只有整改办公室可以记录会议、培训和督促提醒" in response.content.decode()
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_lead_of_another_inspection_is_not_disposed_of_from_this_page(cast: Cast) -> None:
    other = CaseLead.objects.create(inspection=cast.b.inspection, description="乙单位线索")
    client = _client(cast.a.users[Role.DISCIPLINE])
    response = client.post(
        _url(cast), {"op": "dispose", "case_lead": other.pk, "disposal": "closed"}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.disposal == "pending"


def _accepts(write: Any) -> bool:
    try:
        write()
    except (Refused, NotFound):
        return False
    return True


def _writes(user: User, pk: int, lead: CaseLead) -> dict[str, Callable[[], object]]:
    """The service behind each form of the page, as the user would call it."""
    return {
        "form-action": lambda: accountability.action_create(
            actor=user, inspection_id=pk, fields=ActionFields(kind="admonishment")
        ),
        "form-dispose": lambda: registers.case_lead_dispose(
            actor=user, case_lead_id=lead.pk, given=Disposal("shelved")
        ),
        "form-regulation": lambda: accountability.regulation_record(
            actor=user, inspection_id=pk, title=f"制度{user.pk}"
        ),
        "form-funds": lambda: accountability.funds_record(
            actor=user, inspection_id=pk, amount=Decimal(1)
        ),
        "form-work": lambda: registers.work_fact_record(
            actor=user, inspection_id=pk, kind="training"
        ),
        "form-words": lambda: registers.own_words_set(
            actor=user, inspection_id=pk, work_text=f"第{user.pk}段", next_steps_text=""
        ),
    }


def test_each_role_is_offered_exactly_the_forms_its_services_accept(cast: Cast) -> None:
    """A form shown must work and a form hidden must be refused (STYLE.md 18)."""
    pk, url = cast.a.inspection.pk, _url(cast)
    lead = CaseLead.objects.create(inspection=cast.a.inspection, description="线索")
    for role, user in cast.a.users.items():
        page = _client(user).get(url).content.decode()
        for form_id, write in _writes(user, pk, lead).items():
            assert (f'id="{form_id}"' in page) == _accepts(write), (role, form_id)
    assert 'id="form-' not in _client(cast.office_user).get(url).content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(cast: Cast, n: int) -> None:
    """n more of every register's rows, the actions each with a lead and a problem."""
    inspection, problem = cast.a.inspection, cast.a.problem
    for i in range(n):
        lead = CaseLead.objects.create(
            inspection=inspection, description=f"线索{i}", problem=problem
        )
        Action.objects.create(
            inspection=inspection, kind="admonishment", problem=problem, case_lead=lead
        )
        Regulation.objects.create(inspection=inspection, title=f"制度{i}")
        FundsRecovered.objects.create(inspection=inspection, amount=Decimal(i + 1), problem=problem)
        WorkFact.objects.create(inspection=inspection, kind="training")


def test_the_page_s_queries_do_not_grow_with_the_registers(cast: Cast) -> None:
    client, url = _client(cast.a.users[Role.DISCIPLINE]), _url(cast)
    _grow(cast, 1)
    small = _queries(client, url)
    _grow(cast, 10)
    assert _queries(client, url) == small
    problem = f"/problems/{cast.a.problem.pk}/"
    small = _queries(client, problem)
    _grow(cast, 10)
    assert _queries(client, problem) == small
