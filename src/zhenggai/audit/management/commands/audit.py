"""zhenggai audit verify"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，报告第一处断裂"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify：校验审计日志")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify()
        if broken is not None:
            raise CommandError(f"审计日志校验失败：{broken}")
        self.stdout.write(f"审计日志完整：共 {Event.objects.count()} 条记录")
