"""zhenggai report INSPECTION_ID --kind plan|ledger|report|bulletin --out FILE

The format follows FILE's suffix. Everything is checked before the file is
written, so a refused request leaves nothing behind.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.documents import reports
from zhenggai.inspections.models import Inspection
from zhenggai.refusals import Refused


class Command(BaseCommand):
    help = "把一次巡察的台账写成整改文书（格式由输出文件的扩展名决定）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inspection", type=int, metavar="INSPECTION_ID", help="巡察编号")
        parser.add_argument("--kind", required=True, choices=list(reports.KINDS), help="文书种类")
        parser.add_argument(
            "--out", required=True, metavar="FILE", help="输出文件（.docx、.xlsx、.pdf、.txt）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path, kind = Path(options["out"]), options["kind"]
        try:
            writer = reports.writer_for(kind, path.suffix.lower())
            inspection = Inspection.objects.filter(pk=options["inspection"]).first()
            if inspection is None:
                raise CommandError(f"找不到编号为 {options['inspection']} 的巡察")
            data = reports.write(inspection, writer)
        except Refused as refusal:
            raise CommandError(str(refusal)) from refusal
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"无法写入文件 {path}：{error.strerror}") from error
        self.stdout.write(f"已写出巡察 {inspection.pk} 的{reports.KINDS[kind]}：{path}")
