"""zhenggai audit verify [--anchor SEQ:HASH]… | zhenggai audit anchor"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhenggai.audit import anchor, chain, keys
from zhenggai.audit.models import ChainHead, Event
from zhenggai.audit.verification import verify


def _anchor(text: str) -> anchor.Anchor:
    try:
        return anchor.Anchor.parse(text)
    except ValueError as error:
        raise CommandError(str(error)) from error


class Command(BaseCommand):
    help = (
        "审计日志：verify 校验哈希链、锚点与数据库现状，报告所有问题；"
        "anchor 打印当前链头，供巡察办另行保存"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["verify", "anchor"],
            help="verify：校验审计日志；anchor：打印当前链头（序号:哈希）",
        )
        parser.add_argument(
            "--anchor",
            dest="kept",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="verify 时一并核对另行保存的锚点（zhenggai audit anchor 打印的一行），可给多个",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            self._print_anchor()
            return
        report = verify(tuple(_anchor(text) for text in options["kept"]))
        for line in report.passed:
            self.stdout.write(f"通过：{line}")
        if not report.whole:
            raise CommandError(report.failure())
        self.stdout.write(f"审计日志完整：共 {report.events} 条记录")

    def _print_anchor(self) -> None:
        """The head, once the chain up to it verifies: a head of a broken chain is no anchor."""
        try:
            broken = chain.verify()
        except keys.KeyProblem as problem:
            raise CommandError(str(problem)) from problem
        if broken is not None:
            raise CommandError(f"审计日志校验失败，不能作为锚点：{broken}")
        head = ChainHead.objects.filter(pk=1).first() or ChainHead()
        at = Event.objects.filter(seq=head.seq).values_list("at", flat=True).first()
        when = f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S}" if at else "无记录"
        self.stdout.write(
            f"当前链头：第 {head.seq} 条（{when}）。请把下面一行抄存在服务器以外"
            "（纸上或巡察办的电脑上），日后用 zhenggai audit verify --anchor 核对："
        )
        self.stdout.write(anchor.Anchor(head.seq, head.hash).line())
