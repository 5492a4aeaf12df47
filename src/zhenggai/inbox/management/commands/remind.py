"""zhenggai remind [--dry-run]: put due reminders in each person's inbox (and mail).

Run by cron or a systemd timer (README.md, "Reminders"); runs may overlap safely.
SIGTERM (systemd stopping the service) ends the run between two reminders: the
one being written is finished, the rest wait for the next run.
"""

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.inbox import reminders
from zhenggai.inbox.models import Kind


class Stop:
    """A SIGTERM handler that only raises a flag, for the loop to read between two
    reminders (a handler that raised would cut a transaction in half)."""

    def __init__(self) -> None:
        self.asked = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.asked = True

    def __bool__(self) -> bool:
        return self.asked


class Command(BaseCommand):
    help = "发送整改提醒：把到期的提醒放入每个人的站内消息，已配置 SMTP 时同时发送邮件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要发送的提醒，不写入、不发送"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = Stop()
        previous = signal.signal(signal.SIGTERM, stop)
        try:
            outcome = reminders.run(
                now=timezone.now(), dry_run=options["dry_run"], stopping=lambda: bool(stop)
            )
        finally:
            signal.signal(signal.SIGTERM, previous)
        self._report(outcome, dry_run=options["dry_run"], verbose=options["verbosity"] > 1)

    def _report(self, outcome: reminders.Outcome, *, dry_run: bool, verbose: bool) -> None:
        if dry_run or verbose:
            for username, due in outcome.sent:
                self.stdout.write(f"  {username}  【{Kind(due.kind).label}】{due.text}")
        if dry_run:
            self.stdout.write(
                _("试运行：将发送 %(n)s 条提醒（未写入、未发送）") % {"n": len(outcome.sent)}
            )
            return
        parts = [_("已发送 %(n)s 条站内提醒") % {"n": len(outcome.sent)}]
        if not reminders.mail_configured():
            parts.append(_("未配置邮件服务器，不发送邮件"))
        else:
            parts.append(_("邮件 %(n)s 封") % {"n": outcome.mailed})
            if outcome.mail_failed:
                parts.append(_("%(n)s 封邮件发送失败，详见日志") % {"n": outcome.mail_failed})
            if outcome.mail_stopped:
                parts.append(_("邮件服务器出错，本次其余提醒只放入站内消息"))
        if outcome.taken:
            parts.append(_("%(n)s 条已由同时运行的另一次任务发送") % {"n": outcome.taken})
        self.stdout.write("；".join(parts))
        if outcome.stopped:
            self.stdout.write(_("收到终止信号，已停止；其余提醒将在下次运行时发送"))
