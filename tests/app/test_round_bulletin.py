"""The round's own bulletin: the office's account of a round across its organisations,
its figures those of each inspection's own documents summed, written as a .docx that
reads back, for the office alone, at a cost that does not grow with the round."""

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.app.conftest import Cast
from zhenggai.accountability.models import Action, FundsRecovered, Regulation
from zhenggai.core.writers.round_bulletin import BASIC, DONE, STAGED, rate, status
from zhenggai.documents.material import material
from zhenggai.documents.round_bulletin import round_figures
from zhenggai.inspections.models import Category, Inspection, Problem, Round
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Organisation

pytestmark = pytest.mark.django_db

NAMES = ("王某某", "李某某")  # people held accountable: counted, never printed


def _problems(inspection: Inspection, states: list[State]) -> None:
    category = Category.objects.get_or_create(inspection=inspection, position=1)[0]
    start = Problem.objects.filter(inspection=inspection).count() + 1
    for n, state in enumerate(states, start=start):
        Problem.objects.create(
            inspection=inspection, category=category, position=n, title=f"问题{n}", state=state
        )


def _third(cast: Cast, round: Round, name: str = "县教育局") -> Inspection:
    org = Organisation.objects.create(
        name=name, kind=Organisation.Kind.INSPECTED, parent=cast.office
    )
    found = Inspection.objects.create(organisation=org, round=round, level="巡察")
    _problems(found, [State.SIGNED_OFF, State.IN_PROGRESS, State.NOT_STARTED])
    return found


@pytest.fixture
def round(cast: Cast) -> Round:
    """A: its one problem signed off (已完成整改), with a sub-problem left open that the
    count leaves out; B: 9 of 10 done (基本完成整改); C: 1 of 3 (取得阶段性成果)."""
    made = Round.objects.create(office=cast.office, name="十二届县委第五轮巡察")
    a, b = cast.a.inspection, cast.b.inspection
    Inspection.objects.filter(pk__in=[a.pk, b.pk]).update(round=made)
    Problem.objects.filter(pk=cast.a.problem.pk).update(state=State.SIGNED_OFF)
    Problem.objects.create(
        inspection=a, category=cast.a.problem.category, parent=cast.a.problem, position=9
    )
    _problems(b, [State.SIGNED_OFF] * 8 + [State.LONG_TERM])
    _third(cast, made)
    Regulation.objects.create(inspection=a, title="《学习制度》")
    Regulation.objects.create(inspection=a, title="《会议制度》")
    Regulation.objects.create(inspection=b, title="《财务制度》")
    FundsRecovered.objects.create(inspection=a, amount=Decimal("50000"))
    FundsRecovered.objects.create(inspection=b, amount=Decimal("21320"))
    for name in NAMES:
        Action.objects.create(inspection=a, kind=Action.Kind.CRITICISM_EDUCATION, person_name=name)
    Action.objects.create(
        inspection=b, kind=Action.Kind.OTHER, kind_text="诫勉", person_name=NAMES[0]
    )
    return made


def test_the_status_words_follow_the_thresholds() -> None:
    assert status(10, 10) == DONE
    assert status(10, 9) == BASIC
    assert status(100, 89) == STAGED
    assert status(3, 1) == STAGED
    assert status(0, 0) is None
    assert (rate(3, 1), rate(10, 9), rate(1, 1), rate(0, 0)) == ("33.3%", "90%", "100%", "—")


def test_its_figures_are_each_inspection_s_own_summed(cast: Cast, round: Round) -> None:
    figures = round_figures(round, today=dt.date(2026, 5, 6))
    by_name = {o.name: o for o in figures.organisations}
    assert list(by_name) == ["县教育局", "县文旅局", "县融媒体中心"]  # by name
    for inspection in Inspection.objects.filter(round=round):
        own = material(inspection).doc.stated_totals
        mine = by_name[inspection.organisation.name]
        assert (mine.problems, mine.completed) == (own.problems, own.completed)
    a, b = by_name["县融媒体中心"], by_name["县文旅局"]
    assert (a.problems, a.completed, a.measures, a.regulations) == (1, 1, 2, 2)
    assert (b.problems, b.completed, b.measures, b.regulations) == (10, 9, 2, 1)
    assert (a.funds_yuan, b.funds_yuan) == (Decimal("50000"), Decimal("21320"))
    assert a.accountability.criticism_education == 2
    assert b.accountability.other == {"诫勉": 1}
    assert (figures.office, figures.round_name) == ("县委巡察办", "十二届县委第五轮巡察")


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_downloads_a_bulletin_with_the_figures_and_no_names(
    cast: Cast, round: Round
) -> None:
    response = _client(cast.office_user).get(f"/rounds/{round.pk}/bulletin.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = _text(response.getvalue())
    assert "关于十二届县委第五轮巡察整改进展情况的通报" in text.replace("\n", "")
    assert "共巡察3个单位，反馈问题14个，已整改完成11个，整改完成率78.6%" in text
    assert "各单位共制定整改措施4条" in text
    assert "1个单位已完成整改，1个单位基本完成整改，1个单位取得阶段性成果" in text
    assert "建立完善制度3项，追缴资金7.132万元，批评教育2人，诫勉1人（共3人）" in text
    assert "县融媒体中心：反馈问题1个，已整改完成1个，整改完成率100%，已完成整改" in text
    assert "县文旅局：反馈问题10个，已整改完成9个，整改完成率90%，基本完成整改" in text
    assert "县教育局：反馈问题3个，已整改完成1个，整改完成率33.3%，取得阶段性成果" in text
    assert "县委巡察办" in text.split("\n")[-2]
    assert not any(name in text for name in NAMES)


def test_the_round_s_page_links_the_bulletin(cast: Cast, round: Round) -> None:
    page = _client(cast.office_user).get(f"/rounds/{round.pk}/")
    assert f'href="/rounds/{round.pk}/bulletin.docx"' in page.content.decode()


def test_nobody_but_the_office_finds_it(cast: Cast, round: Round) -> None:
    for user in [*cast.a.users.values(), *cast.b.users.values(), cast.outsider]:
        assert _client(user).get(f"/rounds/{round.pk}/bulletin.docx").status_code == 404
    assert _client(cast.office_user).get("/rounds/999999/bulletin.docx").status_code == 404


def test_its_queries_do_not_grow_with_the_organisations(cast: Cast, round: Round) -> None:
    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            round_figures(round)
        return len(queries)

    before = counted()
    for n in range(5):
        more = _third(cast, round, name=f"县第{n}局")
        Regulation.objects.create(inspection=more, title="《制度》")
        FundsRecovered.objects.create(inspection=more, amount=Decimal("1"))
        Action.objects.create(inspection=more, kind=Action.Kind.ADMONITION_TALK)
        Measure.objects.create(
            inspection=more, category=more.categories.get(), position=1, text="措施"
        )
    assert counted() == before == 6
