"""The assessment's services (services/assessments.py): the scheme and its checks,
an assessment computed from the ledger, the grades and the re-rectification a fair
or poor one opens, each write audited, refused in Chinese to every other role."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from functools import partial
from typing import Any

import pytest

from tests.app.assessment_support import ENTERED, assess, build_ledger
from tests.app.conftest import Cast
from zhenggai.assessment.models import Assessment, Scheme
from zhenggai.assessment.selectors import ledger_facts
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import assessments as services
from zhenggai.services.assessments import DEFAULT, IndicatorFields, SchemeFields

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(Event.objects.order_by("seq").values_list("action", flat=True))


def _fields(**changes: Any) -> SchemeFields:
    return replace(DEFAULT, **changes)


def test_the_default_scheme_is_made_on_first_use_and_sums_to_100(cast: Cast) -> None:
    assert sum(i.weight for i in DEFAULT.indicators) == 100
    services.assessment_start(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    scheme = Scheme.objects.get(office=cast.office)
    assert [i.name for i in scheme.indicators.all()] == [
        "组织领导",
        "整改完成",
        "整改质量",
        "群众满意度",
    ]
    assert _actions() == ["assessment_scheme.create", "assessment.start"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"indicators": (IndicatorFields("组织领导", 50), IndicatorFields("整改完成", 40))},
            "之和应为100分，现为90分",
        ),
        ({"indicators": ()}, "至少要有一项指标"),
        ({"indicators": (IndicatorFields("甲", 50), IndicatorFields("甲", 50))}, "不能重复"),
        ({"indicators": (IndicatorFields(" ", 100),)}, "不能为空"),
        ({"indicators": (IndicatorFields("甲", 100, "guess"),)}, "指标来源"),
        ({"good": 80, "fairly_good": 80}, "依次降低"),
        ({"fair": 85}, "依次降低"),
        ({"good": 101}, "依次降低"),
        ({"overdue_each": Decimal(-1)}, "扣分及其上限"),
        ({"false_limit": 0}, "否决次数"),
    ],
)
def test_a_wrong_scheme_is_refused_in_chinese(
    cast: Cast, changes: dict[str, Any], reason: str
) -> None:
    with pytest.raises(Refused, match=reason):
        services.scheme_edit(
            actor=cast.office_user, office_id=cast.office.pk, fields=_fields(**changes)
        )
    assert not Scheme.objects.exists() and not Event.objects.exists()


def test_the_office_edits_its_scheme_audited(cast: Cast) -> None:
    fields = _fields(
        indicators=(IndicatorFields("整改完成", 60, "measures"), IndicatorFields("群众满意度", 40)),
        good=95,
    )
    scheme = services.scheme_edit(actor=cast.office_user, office_id=cast.office.pk, fields=fields)
    assert [(i.name, i.weight) for i in scheme.indicators.all()] == [
        ("整改完成", 60),
        ("群众满意度", 40),
    ]
    assert scheme.good == 95
    edit = Event.objects.get(action="assessment_scheme.edit")
    assert (edit.before or {})["good"] == 90 and (edit.after or {})["good"] == 95


@pytest.mark.parametrize("role", [r for r in Role if r != Role.INSPECTION_OFFICE])
def test_the_organisation_s_roles_are_refused_in_chinese(cast: Cast, role: Role) -> None:
    user = cast.a.users[role]
    with pytest.raises(Refused, match="只有巡察办可以"):
        services.scheme_edit(actor=user, office_id=cast.office.pk, fields=DEFAULT)
    with pytest.raises(Refused, match="只有巡察办可以评估整改"):
        services.assessment_start(actor=user, inspection_id=cast.a.inspection.pk)
    draft = services.assessment_start(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    with pytest.raises(Refused, match="只有巡察办可以评估整改"):
        services.assessment_enter(
            actor=user, assessment_id=draft.pk, indicator=0, value=Decimal(1), note="x"
        )
    with pytest.raises(Refused, match="只有巡察办可以评估整改"):
        services.assessment_finalise(actor=user, assessment_id=draft.pk)
    assert _actions() == ["assessment_scheme.create", "assessment.start"]


def test_another_organisation_and_an_outsider_find_nothing(cast: Cast) -> None:
    draft = services.assessment_start(actor=cast.office_user, inspection_id=cast.a.inspection.pk)
    for user in (cast.b.users[Role.RECTIFICATION_OFFICE], cast.outsider):
        with pytest.raises(NotFound):
            services.assessment_start(actor=user, inspection_id=cast.a.inspection.pk)
        with pytest.raises(NotFound):
            services.assessment_finalise(actor=user, assessment_id=draft.pk)
    with pytest.raises(Refused):  # holds no office: refused, naming who may
        services.scheme_edit(actor=cast.outsider, office_id=cast.office.pk, fields=DEFAULT)


def test_the_computed_figures_come_from_the_ledger(cast: Cast) -> None:
    build_ledger(cast, done=1, overdue=1, relapses=2)
    facts = ledger_facts(cast.a.inspection, dt.date.today())
    assert (facts.measures, facts.measures_done, facts.overdue, facts.relapses) == (2, 0.5, 1, 2)
    assert (facts.problems, facts.problems_done) == (1, 0)
    done = assess(cast, ENTERED)
    # 20 + 40 × 50% + 25 + 15 = 80, less 2 for the overdue measure and 10 for two relapses
    assert done.total == Decimal("68.0") and done.grade == "一般"
    assert (done.overdue, done.relapses) == (1, 2)
    assert [d["kind"] for d in done.deductions] == ["overdue", "relapse"]
    assert done.scores.get(position=1).value == Decimal("20.0")


def test_entering_is_checked_and_audited(cast: Cast) -> None:
    user = cast.office_user
    draft = services.assessment_start(actor=user, inspection_id=cast.a.inspection.pk)
    enter = partial(services.assessment_enter, actor=user, assessment_id=draft.pk, note="会议记录")
    with pytest.raises(Refused, match="由台账计算"):
        enter(indicator=1, value=Decimal(1))
    with pytest.raises(Refused, match="0到20分之间"):
        enter(indicator=0, value=Decimal(21))
    with pytest.raises(Refused, match="评分依据"):
        services.assessment_enter(
            actor=user, assessment_id=draft.pk, indicator=0, value=Decimal(1), note=" "
        )
    with pytest.raises(Refused, match="文件内容与扩展名不符"):
        enter(indicator=0, value=Decimal(18), evidence=services.Upload("a.pdf", b"text"))
    enter(
        indicator=0,
        value=Decimal(18),
        evidence=services.Upload("纪要.txt", "会议".encode()),
    )
    score = draft.scores.get(position=0)
    assert (score.value, score.note, score.evidence_name) == (
        Decimal("18.0"),
        "会议记录",
        "纪要.txt",
    )
    assert (Event.objects.get(action="assessment.enter").after or {})["value"] == "18.0"
    with pytest.raises(Refused, match="尚未评分：整改质量、群众满意度"):
        services.assessment_finalise(actor=user, assessment_id=draft.pk)
    with pytest.raises(Refused, match="已经开始"):
        services.assessment_start(actor=user, inspection_id=cast.a.inspection.pk)


@pytest.mark.parametrize(("satisfaction", "grade"), [(Decimal(15), "好"), (Decimal(0), "较好")])
def test_a_good_grade_opens_no_re_rectification(
    cast: Cast, satisfaction: Decimal, grade: str
) -> None:
    build_ledger(cast, done=2)
    done = assess(cast, {**ENTERED, 3: satisfaction})
    assert done.grade == grade and done.state == Assessment.State.FINAL
    assert done.reopened_as is None
    assert Inspection.objects.count() == 2  # A's and B's, nothing more
    assert _actions()[-1] == "assessment.finalise"


@pytest.mark.parametrize(
    ("quality", "false_statements", "grade"),
    [(Decimal(0), 0, "一般"), (Decimal(25), 2, "差"), (Decimal(0), 1, "一般")],
)
def test_a_fair_or_poor_grade_opens_exactly_one_linked_re_rectification(
    cast: Cast, quality: Decimal, false_statements: int, grade: str
) -> None:
    build_ledger(cast, done=2)
    done = assess(cast, {**ENTERED, 2: quality}, false_statements)
    assert done.grade == grade
    redo = done.reopened_as
    assert redo is not None and redo.pk != cast.a.inspection.pk
    assert redo.organisation == cast.a.org and "再整改" in redo.title
    assert redo.plan_state == "draft" and not redo.measures.exists()
    assert redo.round is not None and redo.round.office == cast.office
    assert Inspection.objects.filter(organisation=cast.a.org).count() == 2
    assert redo.reopened_from == done
    assert _actions()[-3:] == ["round.create", "inspection.register", "assessment.finalise"]
    with pytest.raises(Refused, match="已完成"):
        services.assessment_finalise(actor=cast.office_user, assessment_id=done.pk)
    assert Inspection.objects.filter(organisation=cast.a.org).count() == 2
