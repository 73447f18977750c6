"""`anjian backup [DIR]`: a consistent copy of the database, the media files and a manifest with
every file's SHA-256 (docs/ops/backup.md). Prints a JSON summary; a refusal prints a JSON error
and exits 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core.backup.manifest import BackupError
from anjian.core.backup.service import backup_create


class Command(BaseCommand):
    # like migrate: a backup or a restore must not depend on the URLconf or the models' checks
    requires_system_checks: list[str] = []
    help = "备份数据库与上传文件，并写出带 SHA-256 的清单（密钥不在备份内）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", nargs="?", help="备份目录（默认 DATA_DIR/backups/<时间>），须不存在或为空"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"]).expanduser() if options["folder"] else None
        try:
            summary = backup_create(folder=folder)
        except BackupError as error:
            raise self._refuse(error) from error
        except OSError as exc:
            failed = BackupError("IO_ERROR", f"备份失败，未留下备份目录：{exc}")
            raise self._refuse(failed) from exc
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def _refuse(self, error: BackupError) -> CommandError:
        self.stdout.write(json.dumps(error.as_dict(), ensure_ascii=False))
        return CommandError(error.message, returncode=2)
