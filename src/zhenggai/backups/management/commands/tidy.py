"""zhenggai tidy [--older-than MINUTES]"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from zhenggai.core.files import sweep

# A write still in progress touches its .part file as it goes; one untouched for
# this long belongs to a process that died.
OLDER_THAN_MINUTES = 60


class Command(BaseCommand):
    help = (
        "清理数据目录中因中断而遗留的 .part 临时文件（写入中断时留下，不是有效数据）；"
        "服务启动前运行，默认只清理一小时内未再写入的文件"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=OLDER_THAN_MINUTES,
            metavar="MINUTES",
            help=f"只清理这么多分钟内未再写入的临时文件（默认 {OLDER_THAN_MINUTES}）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = sweep([Path(settings.DATA_DIR)], options["older_than"] * 60)
        for path in removed:
            self.stdout.write(f"已删除遗留的临时文件 {path}")
        if removed or options["verbosity"] > 1:
            self.stdout.write(f"共清理 {len(removed)} 个遗留的临时文件")
