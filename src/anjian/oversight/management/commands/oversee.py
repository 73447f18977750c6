"""`anjian oversee [--today YYYY-MM-DD]`: oversight's daily run (oversight/daily.py), from the
timer docs/ops/systemd/anjian-oversee.timer after `anjian remind`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from anjian.oversight.daily import oversee
from anjian.oversight.management.commands.point_warnings import _moment


class Command(BaseCommand):
    help = "Oversight's daily run: register, warnings, action items, disclosure. 监督每日运行。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="the day to run for, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today, now = _moment(options.get("today"))
        for name, n in oversee(today=today, now=now).items():
            self.stdout.write(f"{name}: {n}")
