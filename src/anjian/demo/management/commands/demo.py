"""`anjian demo`: migrate, load the demo county (once), print the logins, serve."""

from __future__ import annotations

import subprocess
import sys
import time
import unicodedata
from argparse import ArgumentParser
from collections.abc import Sequence
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from anjian.demo.county import DEFAULT_SEED, DemoSummary, load_demo


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(width(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True))
        for row in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


class Command(BaseCommand):
    help = "Load the demo county (文水县) and serve the web app. 加载演示数据并启动服务。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
        parser.add_argument("--no-serve", action="store_true", help="load only, do not serve")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed ({DEFAULT_SEED})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        summary = load_demo(seed=options["seed"], today=timezone.localdate())
        self.report(summary, time.monotonic() - started)
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(f"\n打开 Open: {url}\n")
        self.stdout.flush()  # the logins must show before the server takes over the terminal
        if not options["no_serve"]:
            worker = self.start_worker()
            try:
                call_command(
                    "runserver", f"{options['host']}:{options['port']}", use_reloader=False
                )
            finally:
                worker.terminate()

    def start_worker(self) -> subprocess.Popen[bytes]:
        """The background task worker (the month planner runs there), beside the web server."""
        self.stdout.write("后台任务 Background worker: anjian db_worker\n")
        self.stdout.flush()
        return subprocess.Popen(
            [sys.executable, "-m", "anjian.cli", "db_worker", "--no-startup-delay"],
        )

    def report(self, summary: DemoSummary, seconds: float) -> None:
        write = self.stdout.write
        if summary.created:
            write(
                self.style.SUCCESS(
                    f"已加载演示数据 Demo data loaded: {summary.county} ({seconds:.1f} s)"
                )
            )
        else:
            write(f"演示数据已存在，未重复加载 Demo data already present: {summary.county}")
        write("")
        for label, count in summary.counts.items():
            write(f"  {label}: {count}")
        for sector, classes in summary.classes.items():
            total = sum(classes.values())
            detail = "，".join(f"{label} {n}" for label, n in classes.items())
            write(f"  {sector} {total}：{detail}")
        write(f"\n演示账号 Demo logins（密码 password: {summary.password}）")
        rows = [
            (r.username, r.role_label, r.display_name, r.where, summary.password)
            for r in summary.logins
        ]
        for line in table(
            ("用户名 user", "角色 role", "姓名 name", "单位 unit", "密码 password"), rows
        ):
            write("  " + line)
