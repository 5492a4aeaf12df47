"""An office's own Excel ledger imported with the state of its work: each measure's
整改类型 and 整改目标, a measure its ledger states finished signed off by an imported
approval (with the day it was signed off), its 整改进展 a progress entry, and each
problem in the state its measures give it; the pages and the API show it as such.

The ledgers are in tests/ledgers/ (written by tests/ledgers/make_ledgers.py)."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.app.conftest import Cast
from tests.ledgers import make_ledgers
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.core.model import Category as DocCategory
from zhenggai.core.model import Document
from zhenggai.core.model import Measure as DocMeasure
from zhenggai.core.model import Problem as DocProblem
from zhenggai.core.readers import parse_file
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Approval, Measure, ProgressEntry
from zhenggai.orgs.models import Role
from zhenggai.refusals import Refused
from zhenggai.services import importing
from zhenggai.services.sources import feedback_import
from zhenggai.web import history

pytestmark = pytest.mark.django_db

D = dt.date
S = State
T = Measure.Type


def _office(cast: Cast) -> User:
    return cast.a.users[Role.RECTIFICATION_OFFICE]


def _uploaded(cast: Cast, path: Path) -> Inspection:
    """As the rectification office uploads its ledger on the plan page."""
    imported = feedback_import(
        actor=_office(cast),
        organisation_id=cast.a.org.pk,
        name=path.name,
        content=path.read_bytes(),
    )
    assert imported.inspection is not None  # a ledger names no other organisation
    return imported.inspection


def _imported(path: Path, org: str = "某镇人民政府") -> Inspection:
    """As an operator imports it from the command line: nobody signed in."""
    return importing.import_document(
        document=parse_file(path), content=path.read_bytes(), source_name=path.name, org_name=org
    ).inspection


def _measures(inspection: Inspection) -> list[Measure]:
    found = Measure.objects.filter(inspection=inspection)
    return list(found.order_by("category__position", "problem__position", "position"))


def _problem_states(inspection: Inspection) -> list[str]:
    found = Problem.objects.filter(inspection=inspection).order_by("category__position", "position")
    return [p.state for p in found]


# --- Columns and states -------------------------------------------------------------------


def test_every_column_is_stored_with_its_measure(cast: Cast) -> None:
    inspection = _uploaded(cast, make_ledgers.COUNTY)
    rows = [
        (m.type, m.target, m.state, m.leader_name, m.department_name, m.deadline, m.status_text)
        for m in _measures(inspection)
    ]
    assert rows == [
        (T.IMMEDIATE, "理论学习制度化、常态化", S.SIGNED_OFF, "王××", "办公室", D(2024, 3, 31), "已完成"),
        (T.LONG_TERM, "理论学习制度化、常态化", S.LONG_TERM, "王××", "机关党委", None, "长期坚持"),
        (T.TIME_BOUND, "压实意识形态工作责任", S.IN_PROGRESS, "张××", "办公室", D(2024, 6, 30), "整改中"),
        (T.IMMEDIATE, "接待审批规范率100%", S.SIGNED_OFF, "刘××", "财务股", D(2024, 2, 29), "已销号"),
        (T.TIME_BOUND, "制度健全", S.NOT_STARTED, "刘××", "办公室", D(2024, 7, 31), "未完成"),
        (T.TIME_BOUND, "违法占地问题动态清零", S.IN_PROGRESS, "陈××", "执法监察大队", D(2024, 5, 31), "基本完成"),
        (T.IMMEDIATE, "", S.SIGNED_OFF, "王××", "人事股", D(2024, 4, 30), "完成"),
    ]  # fmt: skip
    first = _measures(inspection)[0]
    assert (first.sign_off_text, first.progress_text) == (
        "2024-04-15",
        "已印发年度学习计划，1—5月开展集中学习6次",
    )


def test_problems_take_the_state_their_measures_give(cast: Cast) -> None:
    # A signed-off measure beside a long-term or an unfinished one: in progress.
    county = _uploaded(cast, make_ledgers.COUNTY)
    assert _problem_states(county) == [
        S.IN_PROGRESS,
        S.IN_PROGRESS,
        S.IN_PROGRESS,
        S.IN_PROGRESS,
        S.SIGNED_OFF,
    ]
    # 是 with 是 is signed off; 否 alone is not started.
    assert _problem_states(_imported(make_ledgers.TOWNSHIP)) == [
        S.IN_PROGRESS,
        S.SIGNED_OFF,
        S.NOT_STARTED,
    ]


def test_the_type_column_names_the_type_and_without_one_it_is_guessed_as_before(
    cast: Cast,
) -> None:
    inspection = _imported(make_ledgers.TEXT_DATES)
    assert [m.type for m in _measures(inspection)] == [
        T.TIME_BOUND,
        T.IMMEDIATE,
        T.TIME_BOUND,
        T.LONG_TERM,  # 持续整改
        T.LONG_TERM,  # 长期整改
        T.IMMEDIATE,
        T.TIME_BOUND,
        T.TIME_BOUND,
    ]
    untyped = _hand_made(DocMeasure("建立长效机制", deadline_text="长期坚持"))
    assert [m.type for m in _measures(untyped)] == [T.LONG_TERM]


# --- The imported sign-off ------------------------------------------------------------------


def test_a_measure_stated_signed_off_has_an_imported_sign_off_by_whoever_imported_it(
    cast: Cast,
) -> None:
    inspection = _uploaded(cast, make_ledgers.COUNTY)
    approvals = Approval.objects.filter(inspection=inspection).order_by("pk")
    assert [
        (a.kind, a.decision, a.approver, a.measure and a.measure.text[:8], a.comment, a.state_before)
        for a in approvals.select_related("measure")
    ] == [
        ("sign_off", "imported", _office(cast), "制定党组理论学习", "已完成（2024-04-15）",
         {"state": "not_started", "date": "2024-04-15"}),
        ("sign_off", "imported", _office(cast), "全面清理2021", "已销号（2024-05-20）",
         {"state": "not_started", "date": "2024-05-20"}),
        ("sign_off", "imported", _office(cast), "对全局干部人事档", "完成",
         {"state": "not_started"}),
    ]  # fmt: skip
    events = Event.objects.filter(action="approval.import").order_by("seq")
    assert [(e.object_id, e.actor_id, e.inspection_id) for e in events] == [
        (a.pk, _office(cast).pk, inspection.pk) for a in approvals
    ]
    assert verify() is None


def test_imported_from_the_command_line_a_sign_off_has_no_approver(cast: Cast) -> None:
    inspection = _imported(make_ledgers.TOWNSHIP)
    approvals = list(Approval.objects.filter(inspection=inspection).order_by("pk"))
    assert [(a.approver, a.comment, a.state_before) for a in approvals] == [
        (None, "是（2024-04-02）", {"state": "not_started", "date": "2024-04-02"}),
        (None, "已销号（2024.5.20）", {"state": "not_started", "date": "2024-05-20"}),
        (None, "是", {"state": "not_started"}),
    ]
    events = Event.objects.filter(action="approval.import")
    assert [(e.actor_id, e.actor_name) for e in events] == [(None, "")] * 3


def test_the_history_tells_an_imported_sign_off_as_such(cast: Cast) -> None:
    _imported(make_ledgers.TOWNSHIP)
    event = Event.objects.filter(action="approval.import").order_by("seq").first()
    assert event is not None
    (line,) = history.told([event])
    assert line.what == "导入台账中的销号情况"
    assert ("意见", "是（2024-04-02）") in line.details


def test_the_api_names_no_approver_an_imported_sign_off(cast: Cast) -> None:
    inspection = _imported(make_ledgers.TOWNSHIP, org=cast.a.org.name)
    measure = _measures(inspection)[0]
    client = Client()
    client.force_login(_office(cast))
    found: dict[str, Any] = client.get(f"/api/measures/{measure.pk}").json()
    assert [(a["kind"], a["decision"], a["approver"]) for a in found["approvals"]] == [
        ("sign_off", "imported", "导入台账")
    ]
    assert found["state"] == "signed_off"


# --- Progress entries --------------------------------------------------------------------


def test_progress_becomes_an_entry_dated_by_its_sign_off_else_today(cast: Cast) -> None:
    inspection = _uploaded(cast, make_ledgers.COUNTY)
    entries = ProgressEntry.objects.filter(measure__inspection=inspection).order_by("pk")
    today = timezone.localdate()
    assert [(e.measure.text[:8], e.date, e.text[:10], e.author) for e in entries] == [
        ("制定党组理论学习", D(2024, 4, 15), "已印发年度学习计划，", _office(cast)),
        ("建立学习情况督查", today, "已通报第一季度学习情", _office(cast)),
        ("制定意识形态工作", today, "责任清单已起草，待党", _office(cast)),
        ("全面清理2021", D(2024, 5, 20), "清理接待单据126份", _office(cast)),
        ("开展违法占地专项", today, "已排查图斑213宗，", _office(cast)),
        ("对全局干部人事档", today, "审核档案86卷，补齐", _office(cast)),
    ]
    assert Event.objects.filter(action="progressentry.import").count() == 6
    # 整改进展 stays on the measure as written, too.
    assert all(e.text == e.measure.progress_text for e in entries)


def test_progress_of_a_dated_document_without_a_day_of_its_own_takes_the_documents() -> None:
    inspection = _hand_made(
        DocMeasure("召开专题会议", progress="已召开专题会议2次", status="整改中"),
        date=D(2024, 6, 1),
    )
    (entry,) = ProgressEntry.objects.filter(measure__inspection=inspection)
    assert (entry.date, entry.text, entry.author) == (D(2024, 6, 1), "已召开专题会议2次", None)
    assert _measures(inspection)[0].state == S.IN_PROGRESS


def _hand_made(*measures: DocMeasure, date: dt.date | None = None) -> Inspection:
    document = Document(
        kind="ledger",
        date=date,
        categories=[
            DocCategory("党建方面", problems=[DocProblem("台账不全", measures=[*measures])])
        ],
    )
    content = repr(document).encode()
    return importing.import_document(
        document=document, content=content, source_name="台账.xlsx", org_name="某单位"
    ).inspection


# --- Once, and on the pages ------------------------------------------------------------------


def test_importing_the_ledger_again_signs_off_nothing_twice(cast: Cast) -> None:
    first = _imported(make_ledgers.COUNTY)
    counts = (Approval.objects.count(), ProgressEntry.objects.count(), Event.objects.count())
    assert _imported(make_ledgers.COUNTY) == first
    assert (
        Approval.objects.count(),
        ProgressEntry.objects.count(),
        Event.objects.count(),
    ) == counts


def test_a_refused_upload_writes_nothing(cast: Cast) -> None:
    before = (Inspection.objects.count(), Approval.objects.count(), Event.objects.count())
    with pytest.raises(Refused):
        feedback_import(
            actor=cast.a.users[Role.DISCIPLINE],
            organisation_id=cast.a.org.pk,
            name=make_ledgers.COUNTY.name,
            content=make_ledgers.COUNTY.read_bytes(),
        )
    assert (Inspection.objects.count(), Approval.objects.count(), Event.objects.count()) == before


def test_the_ledger_page_and_the_measure_page_show_it_signed_off(cast: Cast) -> None:
    inspection = _uploaded(cast, make_ledgers.COUNTY)
    client = Client()
    client.force_login(_office(cast))
    ledger = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "已销号" in ledger
    signed = _measures(inspection)[3]
    page = client.get(f"/measures/{signed.pk}/").content.decode()
    assert "已销号" in page  # its state
    assert "接待审批规范率100%" in page and "立行立改" in page  # its target and type
    assert "导入台账中的整改进展" in page  # its progress entry's line in the history


def test_the_measure_page_history_shows_the_imported_sign_off(cast: Cast) -> None:
    inspection = _uploaded(cast, make_ledgers.COUNTY)
    client = Client()
    client.force_login(_office(cast))
    page = client.get(f"/measures/{_measures(inspection)[3].pk}/").content.decode()
    assert "导入台账中的销号情况" in page


def test_progress_taken_from_a_ledger_names_the_ledger_as_its_author(cast: Cast) -> None:
    ProgressEntry.objects.create(
        measure=cast.a.measure, date=dt.date(2024, 5, 20), text="已完成接待清理", author=None
    )
    client = Client()
    client.force_login(_office(cast))
    page = client.get(f"/measures/{cast.a.measure.pk}/").content.decode()
    row = re.search(r"<tr>(?:(?!</tr>).)*已完成接待清理.*?</tr>", page, re.S)
    assert row is not None and "导入台账" in row.group(0)
