"""`anjian collect_matters [--today YYYY-MM-DD]`: pull the portal's complaints, low ratings and
contact-point reports into the register of complaints and clues (each once), then remind the
handlers of matters whose clock turned amber or red. Run it daily after `anjian remind` (the same
timer can run both); a second run the same day creates nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from anjian.oversight.matters.collect import matters_collect
from anjian.steering.management.commands.remind import _moment


class Command(BaseCommand):
    help = "Collect complaints, low ratings and contact-point reports into the register (daily)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="the day of the run, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today, now = _moment(options.get("today"))
        counts = matters_collect(today=today, now=now)
        for name, count in sorted(counts.items()):
            self.stdout.write(f"{name}: {count}")
        reminders = counts.pop("reminders")
        registered = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"{today:%Y-%m-%d} 登记 {registered} 件，提醒 {reminders} 条")
        )
