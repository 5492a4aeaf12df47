"""zhenggai setup --office NAME --username LOGIN [--name 姓名] [--password-file FILE] [--again]

The start of an installation: the inspection office and its first administrator, who
then signs in and makes the rest in the pages (系统管理). The password is asked for
twice at a terminal; a script gives it in a file (--password-file, its first line) or
in ZHENGGAI_SETUP_PASSWORD. Refused while an administrator exists, unless --again.
"""

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from zhenggai.refusals import Refused
from zhenggai.services.office_setup import office_setup

PASSWORD_VARIABLE = "ZHENGGAI_SETUP_PASSWORD"


class Command(BaseCommand):
    help = "初始化：创建巡察办和首位系统管理员（之后登录网页，在「系统管理」中建立单位和人员）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="巡察办名称，如「某县委巡察办」")
        parser.add_argument("--username", required=True, help="系统管理员的登录名")
        parser.add_argument("--name", default="系统管理员", help="系统管理员的姓名")
        parser.add_argument(
            "--password-file",
            metavar="FILE",
            help=f"从文件的第一行读取密码（供脚本使用；也可设环境变量 {PASSWORD_VARIABLE}）",
        )
        parser.add_argument(
            "--again", action="store_true", help="已有系统管理员时仍再创建一位（如密码全部遗失）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            password = self._password(options["password_file"])
            try:
                user = office_setup(
                    office_name=options["office"],
                    username=options["username"],
                    name=options["name"],
                    password=password,
                    again=options["again"],
                )
            except Refused as refusal:
                raise CommandError(str(refusal)) from refusal
        office = user.account.office
        self.stdout.write(
            f"已创建巡察办「{office.name}」的系统管理员「{user.username}」。"
            "请用该登录名和密码登录网页，在「系统管理」中建立被巡察单位、部门和人员。"
        )

    def _password(self, path: str | None) -> str:
        """From the file, the environment, or typed twice at a terminal."""
        if path:
            try:
                lines = Path(path).read_text("utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"无法读取密码文件 {path}：{error.strerror}") from error
            return lines[0] if lines else ""
        if os.environ.get(PASSWORD_VARIABLE):
            return os.environ[PASSWORD_VARIABLE]
        if not sys.stdin.isatty():
            raise CommandError(
                f"请在终端中运行以输入密码，或用 --password-file 或环境变量 {PASSWORD_VARIABLE} 提供密码"
            )
        first = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != first:
            raise CommandError("两次输入的密码不一致")
        return first
