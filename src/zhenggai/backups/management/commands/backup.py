"""zhenggai backup [--out FILE]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.backups import archive
from zhenggai.backups.databases import Failed
from zhenggai.refusals import Refused


class Command(BaseCommand):
    help = (
        "备份：数据库、佐证材料、反馈原件与导出文件写入一个 .tar.gz 归档（权限 0600），"
        "附每个文件的 SHA-256 清单"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            metavar="FILE",
            help="归档文件（.tar.gz），或存放它的目录（文件按时间命名）；默认为数据目录下的 backups/",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = archive.backup(options["out"])
        except (Refused, Failed) as error:
            raise CommandError(f"备份失败：{error}") from error
        files = len(written.manifest.files) - 1
        megabytes = written.path.stat().st_size / 1048576
        self.stdout.write(f"备份已写入 {written.path}：数据库与 {files} 个文件，{megabytes:.1f} MB")
