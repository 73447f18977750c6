"""`anjian createadmin`: the server-side way to make a privileged account (三员分立) — one of the
three administrators, or a 局领导 / 派驻纪检监察组 account — without a second administrator's
approval, since whoever runs it already controls the server. Made through the same service as
every other account (password policy, role, body, audit entry with no actor and the marker
`via: anjian createadmin`). Use it instead of Django's createsuperuser, which knows nothing of
roles, bodies or the password policy. The account must change the password at first login unless
`--no-password-change` is given (the operator creating their own account)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.accounts.models import EnforcementBody
from anjian.accounts.roles import PRIVILEGED_ROLES, Role
from anjian.accounts.services import user_create

VIA = "anjian createadmin"


class Command(BaseCommand):
    help = (
        "在服务器端创建特权账号（三员、局领导、派驻纪检监察组）。"
        "Create an administrator, bureau-head or discipline account on the server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--body", required=True, help="执法主体全称，如 文水县应急管理局")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument(
            "--role", default=Role.SYSTEM_ADMIN, choices=sorted(r.value for r in PRIVILEGED_ROLES)
        )
        parser.add_argument("--password-file", help="从文件读取密码（否则交互输入）")
        parser.add_argument(
            "--no-password-change",
            action="store_true",
            help="首次登录时不强制修改密码（仅限操作员为自己创建账号时）",
        )

    def _password(self, options: dict[str, Any]) -> str:
        if options["password_file"]:
            try:
                return Path(options["password_file"]).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"无法读取密码文件：{exc}") from exc
        first = getpass.getpass("密码 Password: ")
        if first != getpass.getpass("确认密码 Password (again): "):
            raise CommandError("两次输入的密码不一致。")
        return first

    def handle(self, *args: Any, **options: Any) -> None:
        body = EnforcementBody.objects.filter(name=options["body"]).first()
        if body is None:
            known = (
                "、".join(EnforcementBody.objects.values_list("name", flat=True))
                or "（尚无执法主体）"
            )
            raise CommandError(f"执法主体“{options['body']}”不存在。现有：{known}")
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                password=self._password(options),
                role=options["role"],
                display_name=options["name"],
                body=body,
                must_change_password=not options["no_password_change"],
                via=VIA,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        note = "" if options["no_password_change"] else "，首次登录须修改密码"
        self.stdout.write(f"已创建 {user.get_role_display()} {user.username}（{body}）{note}")
