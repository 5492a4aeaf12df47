"""zhenggai restore FILE"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.audit.verification import verify
from zhenggai.backups import archive
from zhenggai.backups.databases import LABELS, Failed
from zhenggai.refusals import Refused


class Command(BaseCommand):
    help = "恢复：把 zhenggai backup 写的归档恢复到空的数据目录与空数据库，再校验审计日志"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, metavar="FILE", help="zhenggai backup 写的归档")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["archive"]
        try:
            restored = archive.restore(name)
        except Refused as error:
            raise CommandError(f"拒绝恢复 {name}：{error}。未做任何改动。") from error
        except Failed as error:
            # pg_restore runs in one transaction: the database is as empty as it was.
            raise CommandError(f"恢复失败：{error}。未做任何改动。") from error
        made = restored.manifest
        self.stdout.write(
            f"已恢复 {made.created_at} 的备份（Zhenggai {made.app_version}，"
            f"{LABELS[made.vendor]}）：数据库与 {restored.files} 个文件"
        )
        if restored.anchor_replaced:
            self.stdout.write("原有的审计锚点文件已换成备份中的锚点")
        report = verify()
        if not report.whole:
            raise CommandError(f"恢复完成，但{report.failure()}")
        self.stdout.write(f"审计日志完整：共 {report.events} 条记录")
