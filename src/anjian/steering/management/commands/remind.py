"""`anjian remind [--today YYYY-MM-DD]`: create the day's reminders (a timer runs it daily,
docs/ops/systemd/anjian-remind.timer) and print how many were new of each kind."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anjian.steering.reminders import KIND_LABELS, reminders_run


def _moment(raw: str | None) -> tuple[date, datetime]:
    """The day, and the moment the run takes as now: the clock's, or the given day at the
    clock's time of day."""
    now = timezone.now()
    if not raw:
        return timezone.localdate(now), now
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期，收到 {raw!r}") from exc
    moment = datetime.combine(day, timezone.localtime(now).time())
    return day, timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Create today's reminders (run daily). 生成今日提醒（每日运行）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="the day to remind of, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today, now = _moment(options.get("today"))
        started = time.monotonic()
        counts = reminders_run(today, now)
        for kind, count in counts.items():
            self.stdout.write(f"{KIND_LABELS.get(kind, kind)} {kind}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{today:%Y-%m-%d} 新生成提醒 {sum(counts.values())} 条"
                f"（{time.monotonic() - started:.1f} 秒）"
            )
        )
