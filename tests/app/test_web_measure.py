"""A measure's page: what it shows, each of its forms as the role that may use it and
as one that may not, refusals that keep what was typed, who may see it, and its
queries. Its evidence (refused uploads, hostile text, the files' headers) is in
test_web_measure_evidence.py."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.app.conftest import Cast
from tests.app.measure_support import (
    PDF,
    PNG,
    TODAY,
    alert,
    awaiting_sign_off,
    body,
    client,
    everything,
    history,
    leader,
    office,
    person,
    post,
    upload,
    url,
    with_evidence,
)
from zhenggai.audit.models import Event
from zhenggai.inspections.moves import MoveInput
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Evidence, Extension, Measure, ProgressEntry
from zhenggai.orgs.models import OfficeSettings, Role
from zhenggai.services import ledger as services

pytestmark = pytest.mark.django_db


# ---- reading ----------------------------------------------------------------------


def test_it_shows_the_measure_with_its_owners_deadlines_and_warning(cast: Cast) -> None:
    OfficeSettings.objects.create(office=cast.office, warn_person_days=40, warn_leader_days=5)
    Measure.objects.filter(pk=cast.a.measure.pk).update(
        target="学习全覆盖", type=Measure.Type.IMMEDIATE, deadline=TODAY + dt.timedelta(days=60)
    )
    response = client(cast.a.users[Role.DISCIPLINE]).get(url(cast.a.measure))
    page = body(response)
    assert response.status_code == 200
    for shown in (
        "县融媒体中心措施1",
        "立行立改",
        "学习全覆盖",
        "a_responsible_leader",
        "新闻部",
        "a_responsible_person",
        "未开始",
        (TODAY + dt.timedelta(days=30)).isoformat(),  # the original deadline
        (TODAY + dt.timedelta(days=60)).isoformat(),  # the current one
    ):
        assert shown in page, shown
    # 60 days left, the office warns the person from 40: green; from 70 it is yellow.
    assert '<span class="mark green">' in page
    OfficeSettings.objects.filter(office=cast.office).update(warn_person_days=70)
    assert '<span class="mark yellow">' in body(client(leader(cast)).get(url(cast.a.measure)))


def test_it_shows_progress_evidence_and_extensions_with_who_and_when(cast: Cast) -> None:
    m = cast.a.measure.pk
    services.progress_record(
        actor=person(cast), measure_id=m, date=TODAY, text="召开专题会议", figures={"人数": 12}
    )
    pdf = with_evidence(cast)
    png = with_evidence(cast, PNG, "现场照片.png")
    services.evidence_review(actor=office(cast), evidence_id=pdf.pk, accept=False, comment="不清晰")
    services.extension_request(
        actor=person(cast), measure_id=m, new_deadline=TODAY + dt.timedelta(days=90), reason="汛期"
    )
    page = body(client(cast.a.users[Role.DISCIPLINE]).get(url(cast.a.measure)))
    assert "召开专题会议" in page and "<bdi>人数：12</bdi>" in page
    assert "会议记录.pdf" in page and "已退回" in page and "不清晰" in page
    assert f'<img src="/evidence/{png.pk}/"' in page  # a thumbnail of the image
    assert f'<a href="/evidence/{pdf.pk}/" target="_blank"' in page  # the PDF in a new tab
    assert "汛期" in page and "待审批" in page
    assert (TODAY + dt.timedelta(days=90)).isoformat() in page


def test_its_history_tells_who_did_what_and_when_in_chinese(cast: Cast) -> None:
    awaiting_sign_off(cast)
    services.measure_move(
        actor=leader(cast), measure_id=cast.a.measure.pk, move="return", data=MoveInput("再补充")
    )
    told = history(cast)
    event = Event.objects.get(action="measure.return")
    at = event.at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert f"a_responsible_leader 于 {at} 退回整改" in told
    assert "状态：已完成待销号 → 整改中" in told
    assert "意见：再补充" in told
    for phrase in ("开始整改", "上传佐证材料", "申请销号", "认可佐证材料"):
        assert phrase in told
    assert "measure." not in told  # no action left untranslated


# ---- writing, as the role that may ---------------------------------------------------


def test_a_responsible_person_records_progress_with_figures_and_files(cast: Cast) -> None:
    signed_in = client(person(cast))
    response = signed_in.post(
        url(cast.a.measure),
        {
            "form": "progress",
            "progress-text": "完成第一阶段学习",
            "progress-date": TODAY.isoformat(),
            "progress-figures": "清退资金（万元）：12.5\n人数: 30\n备注：见附件",
            "progress-files": [upload("记录.pdf", PDF), upload("照片.png", PNG)],
        },
        follow=True,
    )
    assert response.redirect_chain == [(url(cast.a.measure), 302)]
    assert "已填报整改进展，并上传 2 份佐证材料" in body(response)
    entry = ProgressEntry.objects.get()
    assert (entry.text, entry.date, entry.author) == ("完成第一阶段学习", TODAY, person(cast))
    assert entry.figures == {"清退资金（万元）": 12.5, "人数": 30, "备注": "见附件"}
    names = set(Evidence.objects.values_list("name", "content_type"))
    assert names == {("记录.pdf", "application/pdf"), ("照片.png", "image/png")}
    for evidence in Evidence.objects.all():
        assert (Path(settings.MEDIA_ROOT) / evidence.path).is_file()
    told = history(cast)
    assert "填报整改进展" in told and "清退资金（万元）：12.5" in told
    assert told.count("上传佐证材料") == 2


def test_evidence_uploaded_alone_can_replace_an_earlier_version(cast: Cast) -> None:
    first = with_evidence(cast)
    response = post(
        person(cast),
        cast.a.measure,
        "evidence",
        effective_date=TODAY.isoformat(),
        replaces=str(first.pk),
        files=[upload("会议记录（修改）.pdf", PDF + b"%v2")],
    )
    assert response.status_code == 302
    second = Evidence.objects.exclude(pk=first.pk).get()
    assert second.replaces == first
    page = body(client(person(cast)).get(url(cast.a.measure)))
    assert "替换「会议记录.pdf」" in page


def test_the_person_requests_sign_off_and_the_leader_signs_off(cast: Cast) -> None:
    m = cast.a.measure
    services.measure_move(actor=person(cast), measure_id=m.pk, move="start", data=MoveInput())
    evidence = with_evidence(cast)
    page = body(client(person(cast)).get(url(m)))
    assert 'value="submit">申请销号</button>' in page
    assert post(person(cast), m, "move", move="submit").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.AWAITING_SIGN_OFF

    page = body(client(office(cast)).get(url(m)))
    assert ">认可</button>" in page and ">退回</button>" in page
    response = post(
        office(cast), m, "review", f"review-{evidence.pk}", target=evidence.pk, decision="accept"
    )
    assert response.status_code == 302
    assert Evidence.objects.get().review == Evidence.Review.ACCEPTED

    page = body(client(leader(cast)).get(url(m)))
    assert 'value="sign_off">销号</button>' in page
    assert 'value="continue_long_term"' not in page  # a time-bound measure cannot
    assert post(leader(cast), m, "move", move="sign_off", comment="同意").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.SIGNED_OFF
    told = history(cast)
    assert "申请销号" in told and "认可佐证材料" in told
    assert "销号 状态：已完成待销号 → 已销号" in told


def test_a_reviewer_returns_evidence_with_a_comment(cast: Cast) -> None:
    evidence = with_evidence(cast)
    response = post(
        leader(cast),
        cast.a.measure,
        "review",
        f"review-{evidence.pk}",
        target=evidence.pk,
        decision="return",
        comment="缺少签字页",
    )
    assert response.status_code == 302
    found = Evidence.objects.get()
    assert (found.review, found.review_comment) == (Evidence.Review.RETURNED, "缺少签字页")
    told = history(cast)
    assert "退回佐证材料" in told and "缺少签字页" in told and "待审核 → 已退回" in told


def test_a_leader_returns_a_measure_and_a_long_term_one_continues(cast: Cast) -> None:
    awaiting_sign_off(cast)
    m = cast.a.measure
    assert post(leader(cast), m, "move", move="return", comment="证据不足").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.IN_PROGRESS
    Measure.objects.filter(pk=m.pk).update(type=Measure.Type.LONG_TERM)
    services.measure_move(actor=person(cast), measure_id=m.pk, move="submit", data=MoveInput())
    assert post(leader(cast), m, "move", move="continue_long_term").status_code == 302
    assert Measure.objects.get(pk=m.pk).state == State.LONG_TERM
    assert "转入长期坚持" in history(cast)


def test_an_extension_is_requested_and_approved(cast: Cast) -> None:
    m = cast.a.measure
    later = TODAY + dt.timedelta(days=100)
    response = post(
        person(cast), m, "extension", new_deadline=later.isoformat(), reason="需跨年度实施"
    )
    assert response.status_code == 302
    extension = Extension.objects.get()
    page = body(client(leader(cast)).get(url(m)))
    assert ">同意延期</button>" in page
    response = post(
        leader(cast), m, "decide", f"decide-{extension.pk}", target=extension.pk, decision="approve"
    )
    assert response.status_code == 302
    assert Measure.objects.get(pk=m.pk).deadline == later
    assert Measure.objects.get(pk=m.pk).original_deadline == TODAY + dt.timedelta(days=30)
    told = history(cast)
    assert "申请延期" in told and "需跨年度实施" in told
    assert f"同意延期申请 整改时限：{TODAY + dt.timedelta(days=30)} → {later}" in told


# ---- writing, as a role that may not ---------------------------------------------------

FORMS = ("form-progress", "form-evidence", "form-move", "form-extension")


@pytest.mark.parametrize(
    ("who", "form", "data"),
    [
        ("reader", "progress", {"text": "冒名填报", "date": TODAY.isoformat()}),
        ("reader", "extension", {"new_deadline": "2099-01-01", "reason": "冒名"}),
        ("reader", "move", {"move": "start"}),
        ("colleague", "progress", {"text": "别人的措施", "date": TODAY.isoformat()}),
        ("person", "move", {"move": "sign_off"}),
        ("person", "review", {"decision": "accept"}),
        ("office", "decide", {"decision": "approve"}),
    ],
)
def test_a_role_that_may_not_sees_no_form_and_a_forged_post_changes_nothing(
    cast: Cast, who: str, form: str, data: dict[str, Any]
) -> None:
    evidence = with_evidence(cast)  # which starts the measure
    extension = services.extension_request(
        actor=person(cast),
        measure_id=cast.a.measure.pk,
        new_deadline=TODAY + dt.timedelta(days=99),
        reason="r",
    )
    services.measure_move(
        actor=person(cast), measure_id=cast.a.measure.pk, move="submit", data=MoveInput()
    )
    users = {
        "reader": (cast.a.users[Role.DISCIPLINE], cast.a.measure),
        # The responsible person of another department, on a measure not theirs.
        "colleague": (person(cast), cast.a.other_measure),
        "person": (person(cast), cast.a.measure),
        "office": (office(cast), cast.a.measure),
    }
    user, measure = users[who]
    target = {"review": evidence.pk, "decide": extension.pk}.get(form)
    key = f"{form}-{target}" if target else form
    page = body(client(user).get(url(measure)))
    assert f'id="form-{key}"' not in page
    if form == "move":
        assert f'value="{data["move"]}"' not in page
    before = everything()
    fields = {f"{key}-{k}": v for k, v in data.items()}
    response = client(user).post(url(measure), {"form": form, "target": target or "", **fields})
    assert response.status_code == 409
    assert "只有" in alert(response)
    assert everything() == before


def test_sign_off_is_refused_until_the_evidence_is_accepted(cast: Cast) -> None:
    awaiting_sign_off(cast, accepted=False)
    before = everything()
    response = post(leader(cast), cast.a.measure, "move", move="sign_off", comment="我的意见")
    assert response.status_code == 409
    assert "佐证材料尚未审核认可，不能销号" in alert(response)
    assert "我的意见</textarea>" in body(response)
    assert everything() == before


# ---- refusals keep what was typed ------------------------------------------------------


def test_a_refused_progress_keeps_the_text_date_and_figures(cast: Cast) -> None:
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    before = everything()
    response = post(
        person(cast),
        cast.a.measure,
        "progress",
        text="今天开了会\n明天整改",
        date=tomorrow,
        figures="人数：5",
    )
    assert response.status_code == 409
    assert "进展日期不能晚于今天" in alert(response)
    page = body(response)
    assert "今天开了会\n明天整改</textarea>" in page
    assert f'value="{tomorrow}"' in page
    assert "人数：5</textarea>" in page
    assert everything() == before


def test_figures_that_do_not_parse_are_named_and_the_text_kept(cast: Cast) -> None:
    response = post(
        person(cast),
        cast.a.measure,
        "progress",
        text="进展内容",
        date=TODAY.isoformat(),
        figures="人数：5\n没有冒号的一行",
    )
    assert response.status_code == 400
    page = body(response)
    assert "第 2 行应写成「名称：数值」" in page
    assert "进展内容</textarea>" in page and "没有冒号的一行</textarea>" in page
    assert not ProgressEntry.objects.exists()


def test_a_refused_extension_keeps_its_reason(cast: Cast) -> None:
    response = post(
        person(cast), cast.a.measure, "extension", new_deadline="2000-01-01", reason="理由很长"
    )
    assert response.status_code == 409
    assert "申请的时限必须晚于现在的整改时限和今天" in alert(response)
    assert "理由很长</textarea>" in body(response)
    assert not Extension.objects.exists()


def test_an_unknown_form_is_refused(cast: Cast) -> None:
    before = everything()
    response = client(person(cast)).post(url(cast.a.measure), {"form": "delete"})
    assert response.status_code == 400
    assert "无法识别" in alert(response)
    assert everything() == before


# ---- who may see it ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "sibling"])
def test_an_outsider_and_a_sibling_unit_get_404_and_change_nothing(cast: Cast, who: str) -> None:
    user = cast.outsider if who == "outsider" else cast.b.users[Role.RECTIFICATION_OFFICE]
    evidence = with_evidence(cast)
    assert client(user).get(url(cast.a.measure)).status_code == 404
    assert client(user).get(f"/evidence/{evidence.pk}/").status_code == 404
    before = everything()
    response = client(user).post(
        url(cast.a.measure),
        {"form": "progress", "progress-text": "越权", "progress-date": TODAY.isoformat()},
    )
    assert response.status_code == 404
    assert everything() == before


def test_a_review_of_another_measure_s_evidence_is_not_found(cast: Cast) -> None:
    elsewhere = services.evidence_add(
        actor=office(cast),
        measure_id=cast.a.other_measure.pk,
        name="x.pdf",
        content=PDF,
        effective_date=TODAY,
    )
    before = everything()
    response = post(
        office(cast),
        cast.a.measure,
        "review",
        f"review-{elsewhere.pk}",
        target=elsewhere.pk,
        decision="accept",
    )
    assert response.status_code == 404
    assert everything() == before


# ---- queries -----------------------------------------------------------------------

# The session and the user (2); access.measure_for: the measure and the user's grants
# (2); the detail: the measure with its parents and people, its progress, evidence,
# extensions and approvals (5); the office's rules; the history; the names of the
# people and the department its events cite (2); the unread messages of the frame.
PINNED = 14


def _grow(cast: Cast, user: User, measure: Measure, n: int) -> None:
    """Every kind of part and of event, n times over, through the services."""
    services.measure_move(actor=user, measure_id=measure.pk, move="start", data=MoveInput())
    for k in range(n):
        services.progress_record(
            actor=user, measure_id=measure.pk, date=TODAY, text=f"进展{k}", figures={"k": k}
        )
        services.evidence_add(
            actor=user,
            measure_id=measure.pk,
            name=f"材料{k}.pdf",
            content=PDF + str(k).encode(),
            effective_date=TODAY,
        )
    services.extension_request(
        actor=user, measure_id=measure.pk, new_deadline=TODAY + dt.timedelta(days=99), reason="r"
    )


def _count(user: User, measure: Measure) -> int:
    c = client(user)
    with CaptureQueriesContext(connection) as queries:
        assert c.get(url(measure)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.RESPONSIBLE_PERSON, Role.RECTIFICATION_OFFICE])
def test_its_queries_do_not_grow_with_the_data(cast: Cast, role: Role) -> None:
    user, m = cast.a.users[role], cast.a.measure
    # The smallest measure that has a history: assigned (the names the events cite).
    services.measure_assign(
        actor=office(cast),
        measure_id=m.pk,
        department_id=cast.a.department.pk,
        person_id=person(cast).pk,
        leader_id=leader(cast).pk,
    )
    small = _count(user, m)
    _grow(cast, person(cast), m, 15)
    for k in range(10):
        Measure.objects.create(
            inspection=cast.a.inspection,
            category=m.category,
            problem=m.problem,
            position=10 + k,
            text="另一项",
        )
    assert Event.objects.count() > 30
    assert _count(user, m) == small == PINNED
