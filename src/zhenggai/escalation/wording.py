"""The words of a letter, written from the ledger's facts on the day it is issued:
which measures are late, by how many days and since when, and how late the plan
and the report are. Kept with the letter (``Letter.paragraphs``)."""

import datetime as dt
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from zhenggai.escalation.facts import Facts

LISTED = 20  # late measures named one by one; the rest are counted
SHOWN_CHARS = 60


@dataclass(frozen=True)
class Words:
    title: str
    addressee: str
    paragraphs: list[str]
    facts: dict[str, object]  # the figures, for the page and the tests


def _dated(day: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def _due_lines(facts: Facts) -> list[str]:
    lines = []
    if facts.due is not None and facts.plan_late is not None:
        lines.append(
            _("整改方案应于%(due)s前报送，至今未经审批，已逾期 %(days)s 天。")
            % {"due": _dated(facts.due.plan), "days": facts.plan_late}
        )
    if facts.due is not None and facts.report_late is not None:
        lines.append(
            _("整改情况报告应于%(due)s前报送，至今未报送，已逾期 %(days)s 天。")
            % {"due": _dated(facts.due.report), "days": facts.report_late}
        )
    return lines


def _late_lines(facts: Facts) -> list[str]:
    if not facts.late:
        return []
    lines = [_("以下 %(n)s 项整改措施已超过整改时限：") % {"n": len(facts.late)}]
    for index, late in enumerate(facts.late[:LISTED], start=1):
        words = {
            "i": index,
            "text": Truncator(late.text).chars(SHOWN_CHARS),
            "since": _dated(late.deadline + dt.timedelta(days=1)),
            "days": late.days,
        }
        lines.append(_("%(i)s. %(text)s，自%(since)s起逾期，已逾期 %(days)s 天。") % words)
    if len(facts.late) > LISTED:
        lines.append(_("另有 %(n)s 项，详见整改台账。") % {"n": len(facts.late) - LISTED})
    return lines


def compose(name: str, facts: Facts, answer_due: dt.date, today: dt.date) -> Words:
    inspection = facts.inspection
    organisation = inspection.organisation.name
    opening = _("经查阅整改台账，截至%(today)s，你单位%(title)s整改工作存在以下情况：") % {
        "today": _dated(today),
        "title": inspection.title or _("巡察反馈问题"),
    }
    facts_lines = _due_lines(facts) + _late_lines(facts)
    if not facts_lines:
        facts_lines = [_("整改工作进度滞后，请对照整改方案逐项推进。")]
    closing = _(
        "请你单位高度重视，于%(due)s前书面答复整改情况，说明逾期原因、已采取的措施和完成时限。"
    ) % {"due": _dated(answer_due)}
    return Words(
        title=_("关于%(organisation)s整改工作的%(name)s")
        % {"organisation": organisation, "name": name},
        addressee=organisation,
        paragraphs=[opening, *facts_lines, closing],
        facts={
            "plan_late": facts.plan_late,
            "report_late": facts.report_late,
            "late": [[x.measure_id, x.days, x.deadline.isoformat()] for x in facts.late],
        },
    )
