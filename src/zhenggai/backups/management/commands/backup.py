"""zhenggai backup [--out FILE]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.backups import archive
from zhenggai.backups.databases import Failed
from zhenggai.refusals import Refused


class Command(BaseCommand):
    help = (
        "备份：数据库、审计锚点、佐证材料、反馈原件与导出文件写入一个 .tar.gz 归档"
        "（权限 0600），附每个文件的 SHA-256 清单；审计密钥不在其中，须另行保管"
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
        made = written.manifest
        files = len(made.files) - 1 - bool(made.anchor)
        megabytes = written.path.stat().st_size / 1048576
        parts = "数据库、审计锚点" if made.anchor else "数据库"
        self.stdout.write(
            f"备份已写入 {written.path}：{parts}与 {files} 个文件，{megabytes:.1f} MB。"
            "审计密钥不在备份中，请另行保管"
        )
