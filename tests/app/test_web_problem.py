"""A problem's page: the problem with its sub-problems, measures and their warnings,
follow-up reviews and unfinished records, its history; its moves, the carry-over
and the follow-up review, each as the role that may and as one that may not."""

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.app.conftest import Cast, plans_approved
from tests.app.measure_support import (
    ESCAPED_IMG,
    ESCAPED_SCRIPT,
    IMG,
    PDF,
    RTL,
    SCRIPT,
    alert,
    body,
    client,
    everything,
    leader,
    office,
    person,
)
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import State
from zhenggai.ledger.models import FollowUpReview, Measure, Unfinished
from zhenggai.orgs.models import Role
from zhenggai.services import ledger as services

if TYPE_CHECKING:
    # What the test client answers, as django-stubs names it.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def url(problem: Problem) -> str:
    return f"/problems/{problem.pk}/"


def post(user: User, problem: Problem, form: str, **data: Any) -> "Response":
    fields = {f"{form}-{k}": v for k, v in data.items()}
    response: Response = client(user).post(url(problem), {"form": form, **fields})
    return response


def history(cast: Cast) -> str:
    page = body(client(cast.a.users[Role.DISCIPLINE]).get(url(cast.a.problem)))
    section = page[page.index('id="history"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))


def all_measures_done(cast: Cast) -> None:
    Measure.objects.filter(problem=cast.a.problem).update(state=State.SIGNED_OFF)


def signed_off(cast: Cast) -> None:
    all_measures_done(cast)
    Problem.objects.filter(pk=cast.a.problem.pk).update(state=State.SIGNED_OFF)


# ---- reading ----------------------------------------------------------------------


def test_it_shows_the_problem_with_its_parts(cast: Cast) -> None:
    plans_approved(cast.a)
    problem = cast.a.problem
    Problem.objects.filter(pk=problem.pk).update(description="学习流于形式", target="学深悟透")
    Problem.objects.create(
        inspection=problem.inspection,
        category=problem.category,
        parent=problem,
        position=1,
        title="针对学习记录的问题",
    )
    Measure.objects.filter(pk=cast.a.other_measure.pk).update(deadline=TODAY - dt.timedelta(days=3))
    FollowUpReview.objects.create(
        problem=problem, reviewer=cast.office_user, date=TODAY, finding="未见反弹"
    )
    Unfinished.objects.create(
        inspection=problem.inspection,
        problem=problem,
        reason="涉及历史遗留",
        next_steps="分步推进",
        deadline=TODAY + dt.timedelta(days=200),
    )
    response = client(cast.a.users[Role.DISCIPLINE]).get(url(problem))
    page = body(response)
    assert response.status_code == 200
    for shown in (
        "<bdi>理论学习不深入</bdi></h1>",
        "政治建设方面",
        "学习流于形式",
        "学深悟透",
        "未开始",
        "针对学习记录的问题",
        "县融媒体中心措施1",
        "县融媒体中心措施2",
        "未见反弹",
        "涉及历史遗留",
        "分步推进",
        (TODAY + dt.timedelta(days=200)).isoformat(),
    ):
        assert shown in page, shown
    assert '<span class="mark red">逾期</span>' in page  # the other measure is late
    assert f'href="/measures/{cast.a.measure.pk}/"' in page
    # A reader is offered no work.
    assert '<form method="post" id="form-' not in page


def test_its_history_names_the_measure_each_event_concerns(cast: Cast) -> None:
    services.progress_record(
        actor=person(cast), measure_id=cast.a.measure.pk, date=TODAY, text="学习了三次"
    )
    told = history(cast)
    assert "a_responsible_person 于" in told and "填报整改进展" in told
    assert "措施 1 县融媒体中心措施1" in told
    page = body(client(cast.a.users[Role.DISCIPLINE]).get(url(cast.a.problem)))
    assert f'<a href="/measures/{cast.a.measure.pk}/">措施 1</a>' in page


# ---- writing, as the role that may ---------------------------------------------------


def test_the_office_requests_sign_off_and_the_leader_signs_off(cast: Cast) -> None:
    all_measures_done(cast)
    problem = cast.a.problem
    services.problem_move(actor=office(cast), problem_id=problem.pk, move="start", data=MoveInput())
    assert 'value="submit">申请销号</button>' in body(client(office(cast)).get(url(problem)))
    assert post(office(cast), problem, "move", move="submit").status_code == 302
    assert Problem.objects.get(pk=problem.pk).state == State.AWAITING_SIGN_OFF
    assert 'value="sign_off">销号</button>' in body(client(leader(cast)).get(url(problem)))
    assert post(leader(cast), problem, "move", move="sign_off").status_code == 302
    assert Problem.objects.get(pk=problem.pk).state == State.SIGNED_OFF
    told = history(cast)
    assert "申请销号 状态：整改中 → 已完成待销号" in told
    assert "销号 状态：已完成待销号 → 已销号" in told


def test_an_unfinished_problem_is_carried_over(cast: Cast) -> None:
    problem = cast.a.problem
    later = TODAY + dt.timedelta(days=365)
    assert ">转入长期整改</button>" in body(client(office(cast)).get(url(problem)))
    response = post(
        office(cast),
        problem,
        "carry",
        reason="资金未到位",
        next_steps="争取专项资金",
        new_deadline=later.isoformat(),
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).state == State.LONG_TERM
    item = Unfinished.objects.get()
    assert (item.reason, item.next_steps, item.deadline) == ("资金未到位", "争取专项资金", later)
    page = body(client(cast.a.users[Role.DISCIPLINE]).get(url(problem)))
    assert "未完成整改事项" in page and "争取专项资金" in page
    told = history(cast)
    assert "转入长期整改" in told and "登记未完成整改事项" in told
    assert f"新的整改时限：{later}" in told


def test_a_refused_carry_over_keeps_what_was_typed(cast: Cast) -> None:
    before = everything(), Unfinished.objects.count()
    response = post(office(cast), cast.a.problem, "carry", reason="原因写了", next_steps="")
    assert response.status_code == 400
    assert "原因写了</textarea>" in body(response)
    response = post(
        office(cast),
        cast.a.problem,
        "carry",
        reason="原因写了",
        next_steps="步骤写了",
        new_deadline=TODAY.isoformat(),
    )
    assert response.status_code == 409
    assert "新的整改时限必须晚于今天" in alert(response)
    assert "步骤写了</textarea>" in body(response)
    assert f'value="{TODAY.isoformat()}"' in body(response)
    assert (everything(), Unfinished.objects.count()) == before


@pytest.mark.parametrize("relapsed", [True, False])
def test_a_follow_up_review_is_recorded_and_a_relapse_reopens(cast: Cast, relapsed: bool) -> None:
    signed_off(cast)
    problem = cast.a.problem
    page = body(client(cast.office_user).get(url(problem)))
    assert ">回头看</button>" in page
    data = {"date": TODAY.isoformat(), "finding": "制度执行不到位"}
    response = post(cast.office_user, problem, "follow", **data, relapsed="on" if relapsed else "")
    assert response.status_code == 302
    review = FollowUpReview.objects.get()
    assert (review.finding, review.relapsed) == ("制度执行不到位", relapsed)
    state = Problem.objects.get(pk=problem.pk).state
    assert state == (State.REOPENED if relapsed else State.SIGNED_OFF)
    told = history(cast)
    if relapsed:
        assert "记录回头看，发现问题反弹" in told
        assert "重新整改 状态：已销号 → 回头看后重新整改" in told
    else:
        assert "记录回头看 检查日期" in told and "重新整改" not in told
    assert "制度执行不到位" in told


# ---- writing, as a role that may not ---------------------------------------------------


@pytest.mark.parametrize(
    ("role", "form", "data", "done"),
    [
        (Role.RESPONSIBLE_PERSON, "move", {"move": "start"}, False),
        (Role.RESPONSIBLE_LEADER, "move", {"move": "submit"}, True),
        (
            Role.RESPONSIBLE_PERSON,
            "carry",
            {"reason": "r", "next_steps": "n", "new_deadline": "2099-01-01"},
            False,
        ),
        (Role.RECTIFICATION_OFFICE, "follow", {"date": TODAY.isoformat(), "finding": "f"}, True),
        (Role.RECTIFICATION_OFFICE, "move", {"move": "reopen", "comment": "c"}, True),
    ],
)
def test_a_role_that_may_not_sees_no_form_and_a_forged_post_changes_nothing(
    cast: Cast, role: Role, form: str, data: dict[str, Any], done: bool
) -> None:
    if done:
        signed_off(cast)
    user = cast.a.users[role]
    page = body(client(user).get(url(cast.a.problem)))
    if form == "move":
        assert f'value="{data["move"]}"' not in page
    else:
        assert f'id="form-{form}"' not in page
    before = everything(), Unfinished.objects.count(), FollowUpReview.objects.count()
    response = post(user, cast.a.problem, form, **data)
    assert response.status_code == 409
    assert "只有" in alert(response)
    assert (everything(), Unfinished.objects.count(), FollowUpReview.objects.count()) == before


@pytest.mark.parametrize("who", ["outsider", "sibling"])
def test_an_outsider_and_a_sibling_unit_get_404_and_change_nothing(cast: Cast, who: str) -> None:
    user = cast.outsider if who == "outsider" else cast.b.users[Role.FIRST_RESPONSIBLE]
    assert client(user).get(url(cast.a.problem)).status_code == 404
    before = everything(), Unfinished.objects.count()
    data = {"reason": "r", "next_steps": "n", "new_deadline": "2099-01-01"}
    assert post(user, cast.a.problem, "carry", **data).status_code == 404
    assert (everything(), Unfinished.objects.count()) == before


# ---- hostile text ------------------------------------------------------------------


def test_hostile_titles_are_shown_as_text(cast: Cast) -> None:
    title = SCRIPT + IMG + RTL
    Problem.objects.filter(pk=cast.a.problem.pk).update(title=title, description=SCRIPT)
    Measure.objects.filter(pk=cast.a.measure.pk).update(text=IMG)
    services.progress_record(
        actor=person(cast), measure_id=cast.a.measure.pk, date=TODAY, text=SCRIPT
    )
    for page in (
        body(client(leader(cast)).get(url(cast.a.problem))),
        body(client(leader(cast)).get(f"/measures/{cast.a.measure.pk}/")),
    ):
        assert SCRIPT not in page and "<img src=x" not in page
        assert ESCAPED_SCRIPT in page and ESCAPED_IMG in page
    page = body(client(leader(cast)).get(url(cast.a.problem)))
    assert f"<h1><bdi>{ESCAPED_SCRIPT}{ESCAPED_IMG}{RTL}</bdi></h1>" in page
    assert f"<title>{ESCAPED_SCRIPT}" in page.replace("<title>\n", "<title>")


# ---- queries -----------------------------------------------------------------------

# The session and the user (2); access.problem_for: the problem with its parents and
# the user's grants (2); the detail: sub-problems, measures with their people, their
# progress, evidence, extensions and approvals, follow-up reviews, unfinished records,
# the problem's approvals (9); the office's rules; the history; the names its events
# cite; the unread messages of the page's frame; what the registers hold of the
# problem: its accountability actions with their leads, funds and case leads (3).
PINNED = 20


def _grow(cast: Cast, n: int) -> None:
    """More measures, each with progress, evidence and their events; more sub-problems,
    reviews and carry-overs."""
    a = cast.a
    for k in range(n):
        measure = Measure.objects.create(
            inspection=a.inspection,
            category=a.problem.category,
            problem=a.problem,
            position=10 + k,
            text=f"措施{k}",
            department=a.department,
        )
        services.progress_record(actor=person(cast), measure_id=measure.pk, date=TODAY, text="进")
        services.evidence_add(
            actor=person(cast),
            measure_id=measure.pk,
            name="a.pdf",
            content=PDF,
            effective_date=TODAY,
        )
        Problem.objects.create(
            inspection=a.inspection,
            category=a.problem.category,
            parent=a.problem,
            position=k + 1,
            title=f"子问题{k}",
        )
    FollowUpReview.objects.create(
        problem=a.problem, reviewer=cast.office_user, date=TODAY, finding="f"
    )
    Unfinished.objects.create(inspection=a.inspection, problem=a.problem, reason="r")


def _count(user: User, problem: Problem) -> int:
    c = client(user)
    with CaptureQueriesContext(connection) as queries:
        assert c.get(url(problem)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.RECTIFICATION_OFFICE, Role.RESPONSIBLE_LEADER])
def test_its_queries_do_not_grow_with_the_data(cast: Cast, role: Role) -> None:
    user = cast.a.users[role]
    services.progress_record(actor=person(cast), measure_id=cast.a.measure.pk, date=TODAY, text="x")
    small = _count(user, cast.a.problem)
    _grow(cast, 12)
    assert Event.objects.count() > 20
    assert _count(user, cast.a.problem) == small == PINNED
