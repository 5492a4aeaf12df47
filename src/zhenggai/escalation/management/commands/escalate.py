"""zhenggai escalate: escalate the letters left unanswered past their days, and
remind of the plan's and the report's due dates.

Run by the same timer as ``zhenggai remind`` (README.md, "Reminders"), once a day
or more often: runs may overlap safely (escalation/escalate.py).
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.escalation import escalate


class Command(BaseCommand):
    help = "督促函件逾期未答复的按梯次升级，并提醒整改方案和整改情况报告的报送期限"

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = escalate.run(now=timezone.now())
        for letter in outcome.escalated:
            self.stdout.write(f"  {letter.number} {letter.title}")
        self.stdout.write(
            _("已升级 %(letters)s 份督促函件；发出 %(notices)s 条报送期限提醒")
            % {"letters": len(outcome.escalated), "notices": outcome.notices}
        )
