"""`anjian demo`: migrate (a blank database is built from the models in one step:
`anjian.core.fresh_schema`), load the demo county (once, printing each step as it is done), print
the logins, serve. `--host 0.0.0.0` serves the local network: the machine's address is then
allowed as a host and printed in the QR codes of the documents issued (`ANJIAN_SITE_URL`),
unless the environment sets those."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import unicodedata
from argparse import ArgumentParser
from collections.abc import MutableMapping, Sequence
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from anjian.core import fresh_schema
from anjian.demo.county import DEFAULT_SEED, DemoSummary, demo_loaded, load_demo

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
EVERY_ADDRESS = {"0.0.0.0", "::", "[::]"}


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


def lan_address() -> str:
    """This machine's address on the local network (the interface of its default route); no
    packet is sent. 127.0.0.1 without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def public_host(host: str, lan: str) -> str:
    """The host name a browser uses to reach a server listening on `host`: the machine's
    network address for 0.0.0.0 (every interface), 127.0.0.1 for the loopback names."""
    if host in EVERY_ADDRESS:
        return lan
    if host in LOOPBACK:
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def configure_site(host: str, port: int, environ: MutableMapping[str, str], lan: str) -> str:
    """The address to open, made the site's address (`ANJIAN_SITE_URL`, which the documents'
    QR codes carry) and an allowed host, unless the environment sets them. Also sets the
    variable for the background worker."""
    public = public_host(host, lan)
    url = f"http://{public}:{port}"
    if "ANJIAN_SITE_URL" not in environ:
        settings.ANJIAN_SITE_URL = environ["ANJIAN_SITE_URL"] = url
    if "ANJIAN_ALLOWED_HOSTS" not in environ and public not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, public]
        environ["ANJIAN_ALLOWED_HOSTS"] = ",".join(settings.ALLOWED_HOSTS)
    return url


class Command(BaseCommand):
    help = "Load the demo county (文水县) and serve the web app. 加载演示数据并启动服务。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="address to listen on (default 127.0.0.1; 0.0.0.0: phones on the same network)",
        )
        parser.add_argument("--no-serve", action="store_true", help="load only, do not serve")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed ({DEFAULT_SEED})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        host, port = options["host"], options["port"]
        lan = lan_address() if host in EVERY_ADDRESS else "127.0.0.1"
        url = configure_site(host, port, os.environ, lan)
        if fresh_schema.is_blank(connection):
            self.step("新建数据库 Creating the database")
            fresh_schema.build(connection)
        else:
            self.step("迁移数据库 Migrating the database")
            call_command("migrate", verbosity=0, interactive=False)
        self.done(time.monotonic() - started)
        if not demo_loaded():
            self.stdout.write("加载演示数据 Loading the demo county (first run only):")
        summary = load_demo(
            seed=options["seed"], today=timezone.localdate(), progress=self.progress
        )
        self.report(summary, time.monotonic() - started)
        self.stdout.write(f"\n打开 Open: {url}\n")
        if host in EVERY_ADDRESS:
            self.stdout.write(f"手机（同一网络）From a phone on this network: {url}")
        self.stdout.write(
            f"文书二维码地址 Address in the documents' QR codes: {settings.ANJIAN_SITE_URL}\n"
        )
        self.stdout.flush()  # the logins must show before the server takes over the terminal
        if not options["no_serve"]:
            worker = self.start_worker()
            try:
                call_command("runserver", f"{host}:{port}", use_reloader=False)
            finally:
                worker.terminate()

    def step(self, label: str) -> None:
        self.stdout.write(f"{label} …", ending=" ")
        self.stdout.flush()

    def done(self, seconds: float) -> None:
        self.stdout.write(f"{seconds:.1f} s")
        self.stdout.flush()

    def progress(self, number: int, steps: int, label: str, seconds: float) -> None:
        """One line per loaded step, as soon as it is done."""
        self.stdout.write(f"  [{number:>2}/{steps}] {pad(label, 36)} {seconds:5.1f} s")
        self.stdout.flush()

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
