"""`anjian point_warnings [--today YYYY-MM-DD]`: raise the day's contact-point warnings (run daily,
next to `anjian remind`; it is a command of its own, not part of the reminders run) and print how
many were new."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anjian.oversight.points.warnings import point_warnings_raise


def _moment(raw: str | None) -> tuple[date, datetime]:
    now = timezone.now()
    if not raw:
        return timezone.localdate(now), now
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期，收到 {raw!r}") from exc
    return day, timezone.make_aware(datetime.combine(day, timezone.localtime(now).time()))


class Command(BaseCommand):
    help = "Raise contact-point warnings (run daily). 生成基层联系点预警（每日运行）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="the day to check, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today, now = _moment(options.get("today"))
        raised = point_warnings_raise(today=today, now=now)
        self.stdout.write(self.style.SUCCESS(f"{today:%Y-%m-%d} 新生成联系点预警 {raised} 条"))
