"""zhenggai token create USERNAME [--label L] | zhenggai token revoke USERNAME"""

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.orgs.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = "接口令牌：create 为用户创建令牌（只显示一次），revoke 吊销用户的全部令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="操作")
        create = actions.add_parser("create", help="创建令牌")
        create.add_argument("username", metavar="USERNAME", help="用户名")
        create.add_argument("--label", default="", help="用途说明，如「OA 系统」")
        revoke = actions.add_parser("revoke", help="吊销该用户的全部令牌")
        revoke.add_argument("username", metavar="USERNAME", help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户「{options['username']}」不存在")
        if options["action"] == "create":
            if not user.is_active:
                raise CommandError(f"用户「{user.username}」已停用，不能创建令牌")
            plain = token_create(user=user, label=options["label"])
            self.stdout.write(plain)
            self.stderr.write(
                "令牌只显示这一次，请妥善保存；调用接口时放在请求头 Authorization: Bearer 之后。"
            )
            return
        count = token_revoke(user=user)
        self.stdout.write(f"已吊销用户「{user.username}」的 {count} 个令牌")
