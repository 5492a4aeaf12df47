"""回头看 campaigns, through their services: what a selection finds (closed problems
of the office's own organisations only), assignment, a result held or relapsed
(a relapse reopening the problem through the follow-up door, as on its page),
the figures and the report, each write audited and refused to other roles."""

import datetime as dt
import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.app.campaign_support import (
    both_closed,
    colleague,
    elsewhere,
    made,
    second_problem,
    signed_off,
)
from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.campaigns import report
from zhenggai.campaigns.models import Campaign, CampaignCheck
from zhenggai.campaigns.selectors import Selection, figures, selectable
from zhenggai.inspections.models import Problem, Round
from zhenggai.inspections.states import State
from zhenggai.ledger.models import FollowUpReview
from zhenggai.orgs.models import Role
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import campaigns as services
from zhenggai.taxonomy.models import ProblemTopic, Topic

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
Result = CampaignCheck.Result


@pytest.fixture(autouse=True)
def evidence_folder(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _found(cast: Cast, **filters: Any) -> set[str]:
    return {str(p) for p in selectable(cast.office, Selection(**filters))}


def _problems(campaign: Campaign) -> set[int]:
    return set(campaign.checks.values_list("problem_id", flat=True))


# ---- selection ------------------------------------------------------------------


def test_it_selects_only_closed_problems_of_the_office_s_own_organisations(cast: Cast) -> None:
    a, b = both_closed(cast)
    other = elsewhere()
    open_one = second_problem(cast.a, "仍在整改的问题", "作风建设方面")
    Problem.objects.filter(pk=open_one.pk).update(state=State.IN_PROGRESS)
    campaign = made(cast)
    assert _problems(campaign) == {a.pk, b.pk}
    assert other.pk not in _problems(campaign)
    assert campaign.checks.filter(result=Result.PENDING).count() == 2


def test_it_selects_by_round_and_by_kind(cast: Cast) -> None:
    both_closed(cast)
    round = Round.objects.create(office=cast.office, name="第五轮", kind=Round.Kind.SPECIAL)
    cast.a.inspection.round, cast.a.inspection.kind = round, "专项"
    cast.a.inspection.save()
    assert _found(cast, round_id=round.pk) == {"理论学习不深入"}
    assert len(selectable(cast.office, Selection(round_id=round.pk))) == 1
    assert selectable(cast.office, Selection(kind="专项")).get().pk == cast.a.problem.pk
    assert not selectable(cast.office, Selection(kind="机动")).exists()


def test_it_selects_by_category_and_by_topic(cast: Cast) -> None:
    both_closed(cast)
    other = signed_off(second_problem(cast.b, "公车私用", "作风建设方面"))
    assert [p.pk for p in selectable(cast.office, Selection(category="作风"))] == [other.pk]
    topic = Topic.objects.create(office=cast.office, name="公务用车")
    ProblemTopic.objects.create(problem=other, topic=topic)
    assert [p.pk for p in selectable(cast.office, Selection(topic_id=topic.pk))] == [other.pk]


def test_it_selects_by_the_date_of_sign_off(cast: Cast) -> None:
    signed_off(cast.a.problem, dt.date(2025, 1, 10))
    signed_off(cast.b.problem, dt.date(2025, 6, 10))
    found = selectable(cast.office, Selection(signed_from=dt.date(2025, 5, 1)))
    assert [p.pk for p in found] == [cast.b.problem.pk]
    found = selectable(cast.office, Selection(signed_to=dt.date(2025, 5, 1)))
    assert [p.pk for p in found] == [cast.a.problem.pk]


def test_it_refuses_a_campaign_that_selects_nothing(cast: Cast) -> None:
    with pytest.raises(Refused, match="没有符合条件的已销号问题"):
        made(cast)
    assert not Campaign.objects.exists()


# ---- who may --------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r != Role.INSPECTION_OFFICE])
def test_every_write_is_refused_in_chinese_to_an_organisation(cast: Cast, role: Role) -> None:
    both_closed(cast)
    campaign = made(cast)
    check = campaign.checks.first()
    assert check is not None
    user = cast.a.users[role]
    writes: list[Callable[[], object]] = [
        lambda: services.campaign_create(
            actor=user,
            office_id=cast.office.pk,
            fields=services.CampaignFields("另一个"),
            selection=Selection(),
        ),
        lambda: services.check_assign(
            actor=user, campaign_id=campaign.pk, check_ids=[check.pk], assignee_id=user.pk
        ),
        lambda: services.check_record(
            actor=user, check_id=check.pk, result=Result.HELD, reasons="", checked_on=TODAY
        ),
        lambda: services.campaign_close(actor=user, campaign_id=campaign.pk),
    ]
    before = Event.objects.count()
    for write in writes:
        with pytest.raises(Refused, match="只有巡察办可以"):
            write()
    assert Event.objects.count() == before
    assert Campaign.objects.count() == 1


def test_another_office_finds_no_campaign_of_ours(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    check = campaign.checks.get(problem=cast.a.problem)
    other = elsewhere().inspection.organisation.parent
    assert other is not None
    stranger = colleague(cast, "stranger")
    stranger.memberships.update(organisation=other)
    with pytest.raises(NotFound):
        services.check_record(
            actor=stranger, check_id=check.pk, result=Result.HELD, reasons="", checked_on=TODAY
        )
    with pytest.raises(NotFound):
        services.campaign_create(
            actor=stranger,
            office_id=cast.office.pk,
            fields=services.CampaignFields("越界"),
            selection=Selection(),
        )


# ---- assignment and results -----------------------------------------------------


def test_checks_are_assigned_to_a_person_of_the_office_only(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    ids = list(campaign.checks.values_list("pk", flat=True))
    person = colleague(cast)
    services.check_assign(
        actor=cast.office_user, campaign_id=campaign.pk, check_ids=ids, assignee_id=person.pk
    )
    assert set(campaign.checks.values_list("assignee_id", flat=True)) == {person.pk}
    assert Event.objects.filter(action="campaign_check.assign").count() == 2
    outsider = cast.a.users[Role.RECTIFICATION_OFFICE]
    with pytest.raises(Refused, match="检查人应为本巡察办人员"):
        services.check_assign(
            actor=cast.office_user, campaign_id=campaign.pk, check_ids=ids, assignee_id=outsider.pk
        )


def test_a_held_result_keeps_the_problem_closed_and_is_recorded_on_it(cast: Cast) -> None:
    both_closed(cast)
    check = made(cast).checks.get(problem=cast.a.problem)
    services.check_record(
        actor=colleague(cast), check_id=check.pk, result=Result.HELD, reasons="", checked_on=TODAY
    )
    check.refresh_from_db()
    assert check.result == Result.HELD and check.review is not None
    assert not check.review.relapsed
    assert "2025年回头看" in check.review.finding
    assert Problem.objects.get(pk=cast.a.problem.pk).state == State.SIGNED_OFF
    assert Event.objects.filter(action="campaign_check.record").count() == 1


def test_a_relapse_reopens_the_problem_as_a_single_follow_up_does(cast: Cast) -> None:
    both_closed(cast)
    check = made(cast).checks.get(problem=cast.a.problem)
    pdf = services.Upload("现场检查.pdf", b"%PDF-1.4\n%%EOF\n")
    services.check_record(
        actor=cast.office_user,
        check_id=check.pk,
        result=Result.RELAPSED,
        reasons="学习制度执行不到位，又出现走过场",
        checked_on=TODAY,
        evidence=[pdf],
    )
    problem = Problem.objects.get(pk=cast.a.problem.pk)
    assert problem.state == State.REOPENED
    review = FollowUpReview.objects.get(problem=problem)
    assert review.relapsed and "学习制度执行不到位" in review.finding
    assert "回头看专项「2025年回头看」" in review.finding
    actions = list(Event.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["follow_up.create", "problem.reopen", "campaign_check.record"]
    reopen = Event.objects.get(action="problem.reopen")
    assert reopen.inspection_id == problem.inspection_id
    assert Event.objects.get(action="campaign_check.record").inspection_id is None
    (kept,) = CampaignCheck.objects.get(pk=check.pk).files.all()
    assert kept.name == "现场检查.pdf" and (Path(kept.path).name == kept.sha256)


def test_a_relapse_needs_its_reasons_and_a_result_is_recorded_once(cast: Cast) -> None:
    both_closed(cast)
    check = made(cast).checks.get(problem=cast.a.problem)
    record = functools.partial(
        services.check_record, actor=cast.office_user, check_id=check.pk, checked_on=TODAY
    )
    with pytest.raises(Refused, match="请填写问题反弹的原因"):
        record(result=Result.RELAPSED, reasons=" ")
    with pytest.raises(Refused, match="文件内容与扩展名不符"):
        bad = [services.Upload("a.pdf", b"not a pdf")]
        record(result=Result.HELD, reasons="", evidence=bad)
    record(result=Result.HELD, reasons="")
    with pytest.raises(Refused, match="该检查已记录结果"):
        record(result=Result.RELAPSED, reasons="又出现了")
    assert FollowUpReview.objects.count() == 1


def test_a_campaign_closes_only_when_every_check_has_its_result(cast: Cast) -> None:
    both_closed(cast)
    campaign = made(cast)
    with pytest.raises(Refused, match="还有2项检查未记录结果"):
        services.campaign_close(actor=cast.office_user, campaign_id=campaign.pk)
    for check in campaign.checks.all():
        services.check_record(
            actor=cast.office_user,
            check_id=check.pk,
            result=Result.HELD,
            reasons="",
            checked_on=TODAY,
        )
    services.campaign_close(actor=cast.office_user, campaign_id=campaign.pk)
    assert Campaign.objects.get().state == Campaign.State.CLOSED
    assert Event.objects.filter(action="campaign.close").count() == 1
    ids = list(campaign.checks.values_list("pk", flat=True))
    with pytest.raises(Refused, match="该回头看专项已结束"):
        services.check_assign(
            actor=cast.office_user, campaign_id=campaign.pk, check_ids=ids, assignee_id=1
        )


# ---- figures and report ---------------------------------------------------------


def _three_results(cast: Cast) -> Campaign:
    both_closed(cast)
    signed_off(second_problem(cast.b, "公车私用", "作风建设方面"))
    campaign = made(cast)
    outcome = {
        cast.a.problem.pk: (Result.RELAPSED, "学习又流于形式"),
        cast.b.problem.pk: (Result.HELD, ""),
    }
    for check in campaign.checks.all():
        if check.problem_id in outcome:
            result, reasons = outcome[check.problem_id]
            services.check_record(
                actor=cast.office_user,
                check_id=check.pk,
                result=result,
                reasons=reasons,
                checked_on=TODAY,
            )
    return campaign


def test_the_figures_count_by_organisation_and_by_category(cast: Cast) -> None:
    campaign = _three_results(cast)
    found = figures(campaign, "合计")
    assert (found.overall.total, found.overall.checked) == (3, 2)
    assert (found.overall.held, found.overall.relapsed) == (1, 1)
    by_org = {t.name: (t.total, t.held, t.relapsed) for t in found.by_organisation}
    assert by_org == {"县融媒体中心": (1, 0, 1), "县文旅局": (2, 1, 0)}
    by_category = {t.name: (t.total, t.checked) for t in found.by_category}
    assert by_category == {"政治建设方面": (2, 2), "作风建设方面": (1, 0)}


def test_the_report_opens_and_holds_the_figures_and_the_relapses(cast: Cast) -> None:
    campaign = _three_results(cast)
    document = docx.Document(io.BytesIO(report.report_docx(campaign)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于2025年回头看检查情况的报告" in text
    assert "共选取已销号问题3个，已检查2个，其中整改成效巩固1个，问题反弹1个" in text
    assert "县融媒体中心：理论学习不深入。反弹情况：学习又流于形式" in text
    assert "本巡察办所辖单位全部已销号问题" in text
    by_org = document.tables[0]
    rows = [[c.text for c in row.cells] for row in by_org.rows]
    assert ["县文旅局", "2", "1", "1", "0"] in rows
    assert ["合计", "3", "2", "1", "1"] in rows
