"""zhenggai import FILE --org ORG [--inspection ID] [--json]"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.core.errors import ParseError
from zhenggai.core.readers import MAX_BYTES, parse_bytes
from zhenggai.refusals import NotFound, Refused
from zhenggai.services.importing import import_document


class Command(BaseCommand):
    help = "把一份整改文书导入为一次巡察的台账（同一文件重复导入不会重复）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="反馈意见、整改方案、台账或进展通报")
        parser.add_argument("--org", required=True, help="被巡察单位名称（不存在时新建）")
        parser.add_argument("--inspection", type=int, help="导入到已有的巡察（编号）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
            document = parse_bytes(content, path.name, max_bytes=MAX_BYTES)
            result = import_document(
                document=document,
                content=content,
                source_name=path.name,
                org_name=options["org"],
                inspection_id=options["inspection"],
            )
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from error
        except (ParseError, Refused, NotFound) as error:
            raise CommandError(f"{path}：{error}") from error
        summary = {
            "inspection": result.inspection.pk,
            "created": result.created,
            "changed": result.changed,
            "counts": result.counts,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        elif result.changed:
            self.stdout.write(f"已导入巡察 {result.inspection.pk}：{result.counts}")
        else:
            self.stdout.write(f"该文件已导入过巡察 {result.inspection.pk}，未作改动")
