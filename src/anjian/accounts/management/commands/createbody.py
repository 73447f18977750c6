"""`anjian createbody`: adds an enforcement body (and optionally its sections) to the tree, through
the accounts services, so a new deployment needs no shell to set up its bodies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from anjian.accounts.models import EnforcementBody, Section
from anjian.accounts.services import body_create, section_create
from anjian.domain.registry import SECTORS


def _section_spec(text: str) -> tuple[str, str, list[str]]:
    """名称:类型[:行业,行业]  e.g. 危化股:business:hazardous_chemicals"""
    parts = text.split(":")
    if len(parts) < 2:
        raise CommandError(f"股室“{text}”应写成 名称:类型[:行业,行业]")
    sectors = [s for s in (parts[2].split(",") if len(parts) > 2 else []) if s]
    unknown = [s for s in sectors if s not in SECTORS]
    if unknown:
        raise CommandError(f"未知的行业领域：{'、'.join(unknown)}；可选：{'、'.join(SECTORS)}")
    if parts[1] not in Section.Kind.values:
        raise CommandError(f"未知的股室类型：{parts[1]}；可选：{'、'.join(Section.Kind.values)}")
    return parts[0], parts[1], sectors


class Command(BaseCommand):
    help = "创建执法主体及其股室。Create an enforcement body and its sections."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="全称，如 文水县应急管理局")
        parser.add_argument("--level", required=True, choices=EnforcementBody.Level.values)
        parser.add_argument("--parent", help="上级执法主体全称")
        parser.add_argument("--division-code", default="", help="6位行政区划代码")
        parser.add_argument(
            "--section", action="append", default=[], help="股室，可重复：名称:类型[:行业,行业]"
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        parent = None
        if options["parent"]:
            parent = EnforcementBody.objects.filter(name=options["parent"]).first()
            if parent is None:
                raise CommandError(f"上级执法主体“{options['parent']}”不存在。")
        specs = [_section_spec(text) for text in options["section"]]
        try:
            body = body_create(
                actor=None,
                name=options["name"],
                level=options["level"],
                parent=parent,
                division_code=options["division_code"],
            )
            for name, kind, sectors in specs:
                section_create(actor=None, body=body, name=name, kind=kind, sectors=sectors)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已创建执法主体 {body}，股室 {len(specs)} 个")
