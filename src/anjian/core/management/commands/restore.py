"""`anjian restore DIR [--force]`: checks every file of a backup against its manifest, puts the
database and the media files back, then verifies the audit chain and compares every table's row
count with the manifest. Prints the JSON report; exits 1 on any mismatch, 2 on a refusal (nothing
changed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core.backup.manifest import BackupError
from anjian.core.backup.service import backup_restore


class Command(BaseCommand):
    # like migrate: a backup or a restore must not depend on the URLconf or the models' checks
    requires_system_checks: list[str] = []
    help = "从备份目录恢复数据库与上传文件（SQLite 须先停止服务），随后核对审计链与各表行数。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="anjian backup 写出的备份目录")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库已有数据（或 SQLite 存在 -wal 文件）时仍然覆盖",
        )

    def _refuse(self, error: BackupError) -> CommandError:
        self.stdout.write(json.dumps(error.as_dict(), ensure_ascii=False))
        return CommandError(error.message, returncode=2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                folder=Path(options["folder"]).expanduser(), force=options["force"]
            )
        except BackupError as error:
            raise self._refuse(error) from error
        except OSError as exc:
            raise self._refuse(BackupError("IO_ERROR", f"恢复失败：{exc}")) from exc
        self.stdout.write(json.dumps(report, ensure_ascii=False))
        if not report["ok"]:
            raise CommandError("恢复后的核对不一致：见上面的 mismatches 与 audit。", returncode=1)
