"""zhenggai demo [--password-file F]: load the demo and print its users with their passwords."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.demo import loader as demo
from zhenggai.refusals import Refused

NOT_SHOWN = "（已有账户，密码未显示）"


class Command(BaseCommand):
    help = "载入演示数据：一个巡察办，五个被巡察单位的整改台账，每个角色一个演示用户（可重复运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password-file",
            type=Path,
            metavar="F",
            help=f"保存演示用户密码的文件（权限 0600），默认为数据目录下的 {demo.PASSWORD_FILE}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            users = demo.load(password_file=options["password_file"])
        except Refused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write("演示用户（用户名  密码  单位  角色）：")
        for user in users:
            password = user.password or NOT_SHOWN
            self.stdout.write(
                f"  {user.username:<30} {password:<14} {user.organisation}  {user.role.label}"
            )
