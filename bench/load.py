"""Load and fault benchmark (issue 16). Not a test: it prints what it measured.

It loads the demo county into a scratch database, serves it with gunicorn (several sync
workers) and drives it over HTTP like real users, in four parts:

1. bookers: N processes, each with its own login session, try at the same moment to book
   on-site enforcement entries for one enterprise whose yearly cap has room for only a few; the
   count of bookings that went through is compared with the room that was left (an overbooking
   is any booking past the cap);
2. mixed load: T client threads for D seconds, about nine reads of the main pages to one write
   (a remote entry booked, a language switch); requests, errors, median and p95 per page;
3. a worker killed (SIGKILL) in the middle of the mixed load;
4. the database restarted in the middle of the mixed load (PostgreSQL: `pg_ctlcluster restart`;
   SQLite has no server, so a second process holds the write lock for longer than the busy
   timeout instead).

After every part it checks that nothing is half-written: the audit chain verifies, every live
booking has its `entry.book` audit entry, and every cap counter equals the counting units of the
bookings it counts.

    python bench/load.py --database sqlite
    python bench/load.py --database postgres --workers 4 --duration 300

The PostgreSQL run creates and drops its own database `anjian_load` on 127.0.0.1 (trust auth).
Never point it at real data. Needs gunicorn (`pip install -e ".[serve]"` or `pip install gunicorn`).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import _serve

PASSWORD = "Anjian@2025"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "anjian_load"

# What the mixed load reads: (label, login, path). Paths with {enterprise} get one in scope.
READS = [
    ("home (head)", "head", "/"),
    ("home (office)", "office", "/"),
    ("enterprise list", "office", "/registry/enterprises/"),
    ("enterprise detail", "office", "/registry/enterprises/{enterprise}/"),
    ("entry ledger", "office", "/policy/entries/"),
    ("quiet exceptions", "office", "/policy/quiet/exceptions/"),
    ("inspection tasks", "hazchem", "/inspections/"),
    ("penalty cases", "legal", "/enforcement/cases/"),
    ("training personnel", "hr", "/training/personnel/"),
    ("audit trail", "auditadmin", "/audit/"),
    ("enterprise portal", "enterprise", "/"),
]


# --- the site -------------------------------------------------------------------------------


def site_env(data_dir: Path, database: str) -> dict[str, str]:
    """The site's environment (fixed keys, lifted rate limits: bench/_serve.py) on this bench's
    scratch database."""
    url = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}" if database == "postgres" else "sqlite"
    return _serve.site_env(data_dir, url)


def pg_admin(sql: str) -> None:
    subprocess.run(
        ["psql", PG_ADMIN, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
    )


def prepare(env: dict[str, str], database: str) -> float:
    if database == "postgres":
        pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {PG_NAME}")
    started = time.perf_counter()
    subprocess.run(["anjian", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "anjian.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def django(env: dict[str, str], code: str) -> object:
    """Runs `code` in `anjian shell` against the site's database; it prints one JSON value."""
    done = subprocess.run(["anjian", "shell", "-c", code], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"anjian shell failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


FACTS = """
import json
from django.db.models import F
from anjian.policy.models import CapCounter
from anjian.registry.models import Enterprise, Officer
from anjian.accounts.models import User
from django.utils import timezone
office = User.objects.get(username="office")
year = timezone.localdate().year
room = {c.enterprise_id: c.cap - c.used for c in CapCounter.objects.filter(
    year=year, kind="cap", enterprise__supervising_body=office.body)}
firms = Enterprise.objects.filter(supervising_body=office.body, is_deleted=False).order_by("id")
target = next((e for e in firms if 1 <= room.get(e.pk, 0) <= 3), None)
if target is None:
    target = next(e for e in firms if e.pk not in room)
officers = list(Officer.objects.filter(body=office.body, is_deleted=False,
    certificate_valid_until__gt=timezone.localdate()).values_list("pk", flat=True)[:12])
print(json.dumps({"target": target.pk, "room": room.get(target.pk), "officers": officers,
    "enterprises": list(firms.values_list("pk", flat=True)[:200]), "year": year}))
"""

CONSISTENCY = """
import json
from collections import defaultdict
from anjian.audit.models import AuditEntry
from anjian.audit.services import audit_verify
from anjian.policy.models import CapCounter, EntryBooking
live = EntryBooking.objects.filter(cancelled_at__isnull=True)
audited = set(AuditEntry.objects.filter(action="entry.book").values_list("target_id", flat=True))
unaudited = [b for b in live.values_list("pk", flat=True) if str(b) not in audited]
units = defaultdict(set)
for b in live.filter(counts_toward__in=["cap", "supervision"]):
    units[(b.enterprise_id, b.date.year, b.counts_toward)].add(b.joint_key or f"#{b.pk}")
bad = []
for c in CapCounter.objects.all():
    n = len(units.get((c.enterprise_id, c.year, c.kind), ()))
    if n != c.used or c.used > c.cap:
        bad.append([c.enterprise_id, c.year, c.kind, c.used, n, c.cap])
report = audit_verify()
print(json.dumps({"audit_ok": report.ok, "audit_checked": report.checked,
    "audit_problem": report.problem, "bookings": live.count(), "unaudited": len(unaudited),
    "counter_mismatches": bad}))
"""


# --- a user's browser -----------------------------------------------------------------------


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> tuple[int, bytes]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, object]) -> tuple[int, bytes]:
        fields: list[tuple[str, str]] = [("csrfmiddlewaretoken", self.csrf())]
        for name, value in data.items():
            values = value if isinstance(value, list | tuple) else [value]
            fields.extend((name, str(v)) for v in values)
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Referer", self.base + path)
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, bytes]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def login(self, username: str) -> None:
        self.get("/accounts/login/")
        status, body = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if status != 200 or b'name="password"' in body:
            raise RuntimeError(f"login {username} failed ({status})")


def booking_days(today: date, count: int) -> list[date]:
    """Weekdays after today, past the default quiet period (days 1–10), in today's year."""
    days, day = [], today + timedelta(days=1)
    while len(days) < count and day.year == today.year:
        if day.weekday() < 5 and day.day > 10:
            days.append(day)
        day += timedelta(days=1)
    return days


# --- part 1: bookers ------------------------------------------------------------------------


def _booker(args: tuple[str, dict[str, object], object]) -> tuple[int, str]:
    base, form, barrier = args
    browser = Browser(base)
    browser.login("office")
    browser.get("/policy/entries/check/")
    barrier.wait()  # type: ignore[attr-defined]
    status, body = browser.post("/policy/entries/check/", form)
    text = body.decode("utf-8", "replace")
    booked = "入企已登记" in text
    return status, "booked" if booked else "refused"


def bookers(base: str, facts: dict[str, object], count: int) -> dict[str, object]:
    days = booking_days(date.today(), 20) or [date.today() + timedelta(days=1)]
    officers = list(facts["officers"])  # type: ignore[call-overload]
    manager = multiprocessing.Manager()
    barrier = manager.Barrier(count)
    jobs = []
    for n in range(count):
        pair = [officers[(2 * n) % len(officers)], officers[(2 * n + 1) % len(officers)]]
        form = {
            "enterprise": facts["target"],
            "date": days[n % len(days)].isoformat(),
            "activity": "enforcement_inspection",
            "mode": "on_site",
            "officers": pair,
            "book": "1",
        }
        jobs.append((base, form, barrier))
    started = time.perf_counter()
    with multiprocessing.Pool(count) as pool:
        results = pool.map(_booker, jobs)
    seconds = time.perf_counter() - started
    statuses = defaultdict(int)
    for status, outcome in results:
        statuses[f"{status} {outcome}"] += 1
    booked = sum(1 for _, outcome in results if outcome == "booked")
    return {"bookers": count, "seconds": round(seconds, 2), "booked": booked, "outcomes": statuses}


# --- parts 2–4: mixed load ------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[tuple[float, str, str]] = field(default_factory=list)

    def add(self, label: str, seconds: float, ok: bool, detail: str, at: float) -> None:
        with self.lock:
            self.times[label].append(seconds)
            if not ok:
                self.errors[label] += 1
                self.failures.append((at, label, detail))


def _client(base: str, facts: dict[str, object], until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    browsers: dict[str, Browser] = {}
    enterprises = list(facts["enterprises"])  # type: ignore[call-overload]
    officers = list(facts["officers"])  # type: ignore[call-overload]
    days = booking_days(date.today(), 20) or [date.today() + timedelta(days=1)]
    while time.time() < until:
        roll = rng.random()
        if roll < 0.05:
            label, user = "write: remote entry booked", "office"
        elif roll < 0.10:
            label, user = "write: language switched", "hazchem"
        else:
            label, user, path = rng.choice(READS)
        started = time.perf_counter()
        try:
            browser = browsers.get(user)
            if browser is None:
                browser = browsers[user] = Browser(base)
                browser.login(user)
            if label.startswith("write: remote"):
                status, body = browser.post(
                    "/policy/entries/check/",
                    {
                        "enterprise": rng.choice(enterprises),
                        "date": rng.choice(days).isoformat(),
                        "activity": "assistance_guidance",
                        "mode": "remote",
                        "officers": rng.sample(officers, 2),
                        "book": "1",
                    },
                )
            elif label.startswith("write: language"):
                status, body = browser.post(
                    "/accounts/language/", {"language": rng.choice(["en", "zh-hans"])}
                )
            else:
                status, body = browser.get(path.format(enterprise=rng.choice(enterprises[:20])))
            ok = status < 500 and b'name="password"' not in body
            detail = str(status)
        except Exception as error:  # a killed worker resets the connection: count it
            ok, detail = False, type(error).__name__
            browsers.pop(user, None)
        tally.add(label, time.perf_counter() - started, ok, detail, time.time())


def mixed(
    base: str,
    facts: dict[str, object],
    seconds: int,
    threads: int,
    fault: object | None = None,
) -> tuple[Tally, float]:
    tally = Tally()
    until = time.time() + seconds
    workers = [
        threading.Thread(target=_client, args=(base, facts, until, tally, seed))
        for seed in range(threads)
    ]
    for worker in workers:
        worker.start()
    fault_at = 0.0
    if fault is not None:
        time.sleep(seconds / 2)
        fault_at = time.time()
        fault()  # type: ignore[operator]
    for worker in workers:
        worker.join()
    return tally, fault_at


def summary(tally: Tally, seconds: float) -> list[dict[str, object]]:
    rows = []
    for label, times in sorted(tally.times.items()):
        ordered = sorted(times)
        rows.append(
            {
                "page": label,
                "requests": len(ordered),
                "errors": tally.errors.get(label, 0),
                "median_ms": round(statistics.median(ordered) * 1000, 1),
                "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
            }
        )
    total = sum(len(t) for t in tally.times.values())
    rows.append(
        {
            "page": "all",
            "requests": total,
            "errors": sum(tally.errors.values()),
            "per_second": round(total / seconds, 1),
            "p95_ms": round(
                sorted(x for t in tally.times.values() for x in t)[int(0.95 * (total - 1))] * 1000,
                1,
            ),
        }
    )
    return rows


def print_table(rows: list[dict[str, object]]) -> None:
    for row in rows:
        print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))


def hold_sqlite_lock(path: Path, seconds: float) -> None:
    """Another process takes SQLite's write lock and keeps it longer than the busy timeout."""
    code = (
        "import sqlite3, time, sys; c = sqlite3.connect(sys.argv[1], timeout=60, "
        "isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); "
        "time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    started = time.perf_counter()
    if holder.stdout.readline().strip() != "locked":
        raise RuntimeError("the lock holder could not take SQLite's write lock")
    print(f"  write lock taken after {time.perf_counter() - started:.1f} s")


def consistency(env: dict[str, str]) -> None:
    print(f"  consistency: {json.dumps(django(env, CONSISTENCY), ensure_ascii=False)}")


def part_bookers(base: str, facts: dict[str, object], env: dict[str, str], count: int) -> None:
    print(
        f"\n1. {count} bookers at once, enterprise {facts['target']}, "
        f"room left under its cap this year: {facts['room']}"
    )
    result = bookers(base, facts, count)
    print(f"  {json.dumps(result, ensure_ascii=False)}")
    room = facts["room"]
    if room is not None:
        over = max(0, int(result["booked"]) - int(room))  # type: ignore[call-overload]
        print(f"  overbookings: {over}")
    consistency(env)


def part_mixed(base: str, facts: dict[str, object], env: dict[str, str], options: Any) -> None:
    print(f"\n2. mixed load, {options.threads} threads, {options.duration} s")
    tally, _ = mixed(base, facts, options.duration, options.threads)
    print_table(summary(tally, options.duration))
    consistency(env)


def part_kill(
    base: str,
    facts: dict[str, object],
    env: dict[str, str],
    options: Any,
    server: subprocess.Popen[bytes],
) -> None:
    seconds = options.fault_duration
    print(f"\n3. a gunicorn worker killed (SIGKILL) halfway through {seconds} s")

    def kill_worker() -> None:
        pids = worker_pids(server)
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            print(f"  killed worker {pids[0]}")

    tally, at = mixed(base, facts, seconds, options.threads, kill_worker)
    print_table(summary(tally, seconds))
    for when, label, detail in tally.failures[:10]:
        print(f"  failed {when - at:+.2f} s after the kill: {label} ({detail})")
    consistency(env)


def part_restart(
    base: str, facts: dict[str, object], env: dict[str, str], options: Any, data_dir: Path
) -> None:
    print(f"\n4. the database restarted halfway through {options.fault_duration} s")

    def restart_database() -> None:
        if options.database == "postgres":
            version = sorted(os.listdir("/etc/postgresql"))[-1]
            started = time.perf_counter()
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                check=True,
                capture_output=True,
            )
            print(f"  PostgreSQL restarted in {time.perf_counter() - started:.1f} s")
        else:
            hold_sqlite_lock(data_dir / "anjian.sqlite3", 25)
            print("  SQLite write lock held by another process for 25 s (busy timeout 20 s)")

    tally, _ = mixed(base, facts, options.fault_duration, options.threads, restart_database)
    print_table(summary(tally, options.fault_duration))
    kinds: dict[str, int] = defaultdict(int)
    for _when, label, detail in tally.failures:
        kinds[f"{label}: {detail}"] += 1
    for kind, n in sorted(kinds.items()):
        print(f"  failed {n}× {kind}")
    consistency(env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--bookers", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="mixed-load client threads")
    parser.add_argument("--duration", type=int, default=300, help="mixed load, seconds")
    parser.add_argument("--fault-duration", type=int, default=60, help="each fault run, seconds")
    parser.add_argument("--parts", default="1234", help="which parts to run, e.g. 4")
    options = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="anjian-load-")) / "data"
    env = site_env(data_dir, options.database)
    print(f"database: {options.database}; gunicorn workers: {options.workers}; data: {data_dir}")
    print(f"demo loaded in {prepare(env, options.database):.1f} s")
    facts = django(env, FACTS)
    assert isinstance(facts, dict)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port, options.workers)
    try:
        if "1" in options.parts:
            part_bookers(base, facts, env, options.bookers)
        if "2" in options.parts:
            part_mixed(base, facts, env, options)
        if "3" in options.parts:
            part_kill(base, facts, env, options, server)
        if "4" in options.parts:
            part_restart(base, facts, env, options, data_dir)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if options.database == "postgres":
            pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
