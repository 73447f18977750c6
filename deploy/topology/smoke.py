"""Smoke test of the topology that deploy/topology/up.sh brought up (docs/ops/scale-out.md).

Every check goes through nginx (127.0.0.1:8100) like a browser, except the one that talks to
one app host directly to show a session made on web1 is good on web2. Where a check needs to
know which server did something it asks the servers themselves: nginx's `X-Upstream` header
names the app host that answered; PostgreSQL logs every statement of the application role
with the host's `application_name`, so the primary's and the replica's logs say which server
ran the queries of a page; Redis is asked for the rate-limit counters.

    python deploy/topology/smoke.py --topology /tmp/anjian-topology/topology.json

Prints one line per check and a summary; exits 1 when any check failed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PASSWORD = "Anjian@2025"  # the demo county's logins (src/anjian/demo/logins.py)
ROLES = ("head", "office", "hazchem", "legal", "hr", "discipline", "auditadmin", "enterprise")
WEB_APPS = ("anjian-web1", "anjian-web2")
TABLE = re.compile(r'(?:FROM|JOIN|UPDATE|INTO)\s+"(\w+)"')


@dataclass
class Topology:
    dir: Path
    venv: Path
    pg_bin: Path
    pg_primary_port: int
    pg_replica_port: int
    redis_port: int
    web: dict[str, int]
    nginx_port: int

    @classmethod
    def load(cls, path: Path) -> Topology:
        raw = json.loads(path.read_text())
        return cls(
            dir=Path(raw["dir"]),
            venv=Path(raw["venv"]),
            pg_bin=Path(raw["pg_bin"]),
            pg_primary_port=raw["pg_primary_port"],
            pg_replica_port=raw["pg_replica_port"],
            redis_port=raw["redis_port"],
            web=raw["web"],
            nginx_port=raw["nginx_port"],
        )

    @property
    def lb(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def host_of(self, upstream: str) -> str:
        """`127.0.0.1:8101` (nginx's $upstream_addr) → `web1`."""
        port = int(upstream.rsplit(":", 1)[-1]) if upstream else 0
        return next((name for name, p in self.web.items() if p == port), upstream or "nginx")


# --- results -----------------------------------------------------------------------------------


@dataclass
class Results:
    rows: list[tuple[bool, str, str]] = field(default_factory=list)

    def check(self, ok: bool, name: str, detail: str = "") -> bool:
        self.rows.append((ok, name, detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}{': ' + detail if detail else ''}", flush=True)
        return ok

    def step(self, name: str, run: Callable[[], None]) -> None:
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        try:
            run()
        except Exception as error:  # one broken step is reported, the next ones still run
            traceback.print_exc()
            self.check(False, name, f"{type(error).__name__}: {error}")
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)


# --- talking to the servers ---------------------------------------------------------------------


def psql(topo: Topology, port: int, sql: str, database: str = "anjian") -> list[list[str]]:
    done = subprocess.run(
        [
            *(str(topo.pg_bin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"),
            *("-d", database, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def value(topo: Topology, port: int, sql: str) -> str:
    rows = psql(topo, port, sql)
    return rows[0][0] if rows else ""


def host_env(topo: Topology, host: str, application_name: str) -> dict[str, str]:
    """The environment a command run on `host` gets (its env files), with its own name in the
    database logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANJIAN_", "DATABASE_"))}
    for name in ("anjian.env", f"{host}.env"):
        for line in (topo.dir / "etc" / name).read_text().splitlines():
            key, sep, val = line.partition("=")
            if sep and not line.startswith("#"):
                env[key] = val
    for key in ("DATABASE_URL", "DATABASE_REPLICA_URL"):
        if key in env:
            env[key] = re.sub(
                r"application_name=[\w-]+", f"application_name={application_name}", env[key]
            )
    return env


def anjian(topo: Topology, host: str, *args: str) -> str:
    done = subprocess.run(
        [str(topo.venv / "bin" / "anjian"), *args],
        env=host_env(topo, host, f"anjian-ops-{host}"),
        cwd=topo.dir / "hosts" / host,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"anjian {' '.join(args)} on {host}: {done.stderr[-2000:]}")
    return done.stdout


class UpstreamRecorder(urllib.request.BaseHandler):
    """Notes nginx's X-Upstream of every response, redirects included."""

    handler_order = 100  # before the error processor turns a redirect into another request

    def __init__(self) -> None:
        self.seen: list[str] = []

    def http_response(self, request: urllib.request.Request, response: Any) -> Any:
        self.seen.append(response.headers.get("X-Upstream", ""))
        return response


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.upstreams = UpstreamRecorder()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self.upstreams
        )
        self.url = ""

    def csrf(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, object]) -> tuple[int, str]:
        fields: list[tuple[str, str]] = [("csrfmiddlewaretoken", self.csrf())]
        for name, val in data.items():
            vals = val if isinstance(val, list | tuple) else [val]
            fields.extend((name, str(v)) for v in vals)
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Referer", self.base + path)
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=120) as response:
                self.url = response.geturl()
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            self.url = error.geturl()
            return error.code, error.read().decode("utf-8", "replace")

    @property
    def last_upstream(self) -> str:
        return self.upstreams.seen[-1] if self.upstreams.seen else ""

    def login(self, username: str, password: str = PASSWORD) -> bool:
        self.get("/accounts/login/")
        status, body = self.post("/accounts/login/", {"username": username, "password": password})
        path = urllib.parse.urlparse(self.url).path
        return status == 200 and 'name="password"' not in body and path == "/"


class Logs:
    """The new lines of the primary's and the replica's logs since `mark()`."""

    def __init__(self, topo: Topology) -> None:
        self.files = {
            "primary": topo.dir / "pg" / "primary.log",
            "replica": topo.dir / "pg" / "replica.log",
        }
        self.offsets = dict.fromkeys(self.files, 0)

    def mark(self) -> None:
        self.offsets = {name: path.stat().st_size for name, path in self.files.items()}

    def statements(self, server: str, apps: tuple[str, ...] = WEB_APPS) -> list[tuple[str, str]]:
        """(application, statement) of the web hosts' statements logged since `mark()`."""
        time.sleep(0.3)  # the server writes its log line as the statement starts: let it land
        with self.files[server].open("rb") as handle:
            handle.seek(self.offsets[server])
            text = handle.read().decode("utf-8", "replace")
        found = []
        for line in text.splitlines():
            match = re.search(r"\] (\S+) \S+ LOG:\s+statement: (.*)", line)
            if match and match.group(1) in apps:
                found.append((match.group(1), match.group(2)))
        return found


def tables(statements: list[tuple[str, str]], verb: str = "SELECT") -> Counter[str]:
    counted: Counter[str] = Counter()
    for _app, sql in statements:
        if sql.lstrip().upper().startswith(verb):
            counted.update(TABLE.findall(sql))
    return counted


def summary(counted: Counter[str], limit: int = 6) -> str:
    """`table×n` (n: how often SELECTs named the table, joins included), the most named first."""
    return "(" + (", ".join(f"{t}×{n}" for t, n in counted.most_common(limit)) or "none") + ")"


# --- the checks ---------------------------------------------------------------------------------


class Smoke:
    def __init__(self, topo: Topology) -> None:
        self.topo = topo
        self.results = Results()
        self.logs = Logs(topo)
        self.browsers: dict[str, Browser] = {}
        self.login_posts = 0
        self.facts: dict[str, Any] = {}

    def ok(self, ok: bool, name: str, detail: str = "") -> bool:
        return self.results.check(ok, name, detail)

    def primary(self, sql: str) -> str:
        return value(self.topo, self.topo.pg_primary_port, sql)

    def replica(self, sql: str) -> str:
        return value(self.topo, self.topo.pg_replica_port, sql)

    # 1 -------------------------------------------------------------------------------------------
    def databases(self) -> None:
        self.ok(self.primary("SELECT pg_is_in_recovery()") == "f", "db1 is a primary")
        self.ok(self.replica("SELECT pg_is_in_recovery()") == "t", "db2 is a hot standby")
        row = psql(
            self.topo,
            self.topo.pg_primary_port,
            "SELECT application_name, state, sync_state, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
            "coalesce(replay_lag::text, '0') FROM pg_stat_replication",
        )
        self.ok(
            len(row) == 1 and row[0][1] == "streaming",
            "db2 streams from db1",
            f"{row[0][0]} {row[0][1]} ({row[0][2]}), replay {row[0][3]} bytes / {row[0][4]} behind"
            if row
            else "no standby in pg_stat_replication",
        )
        counts = {}
        for table in ("accounts_user", "registry_enterprise", "audit_auditentry"):
            sql = f"SELECT count(*) FROM {table}"
            counts[table] = (self.primary(sql), self.replica(sql))
        self.ok(
            all(a == b and int(a) > 0 for a, b in counts.values()),
            "the demo county reached the replica by streaming",
            "; ".join(f"{t} {a} on db1, {b} on db2" for t, (a, b) in counts.items()),
        )
        county = psql(
            self.topo,
            self.topo.pg_primary_port,
            "SELECT b.id, b.name, p.name FROM accounts_user u JOIN accounts_enforcementbody b "
            "ON b.id = u.body_id JOIN accounts_enforcementbody p ON p.id = b.parent_id "
            "WHERE u.username = 'office'",
        )[0]
        self.facts.update(county_id=int(county[0]), county=county[1], city=county[2])

    # 2 -------------------------------------------------------------------------------------------
    def logins(self) -> None:
        upstreams: Counter[str] = Counter()
        failed = []
        for username in ROLES:
            browser = Browser(self.topo.lb)
            logged_in = browser.login(username)
            self.login_posts += 1
            if logged_in:
                self.browsers[username] = browser
            else:
                failed.append(username)
            upstreams.update(self.topo.host_of(u) for u in browser.upstreams.seen)
        self.ok(
            not failed,
            f"{len(ROLES)} roles log in through nginx",
            f"failed: {failed}" if failed else ", ".join(ROLES),
        )
        self.ok(
            upstreams["web1"] > 0 and upstreams["web2"] > 0,
            "nginx spreads them over both app hosts",
            ", ".join(f"{h} answered {n}" for h, n in sorted(upstreams.items())),
        )

    def static(self) -> None:
        browser = Browser(self.topo.lb)
        status, body = browser.get("/static/anjian/anjian.js")
        self.ok(
            status == 200 and len(body) > 100,
            "static files through nginx (whitenoise on the app hosts)",
            f"{status}, {len(body)} characters from {self.topo.host_of(browser.last_upstream)}",
        )

    # 3 -------------------------------------------------------------------------------------------
    def shared_session(self) -> None:
        web1 = f"http://127.0.0.1:{self.topo.web['web1']}"
        web2 = f"http://127.0.0.1:{self.topo.web['web2']}"
        browser = Browser(web1)
        logged_in = browser.login("team")
        self.login_posts += 1
        browser.base = web2  # the same cookies, the other host
        status, body = browser.get("/")
        path = urllib.parse.urlparse(browser.url).path
        self.ok(
            logged_in and status == 200 and path == "/" and "退出" in body,
            "a session made on web1 is good on web2 (sessions in the database)",
            f"login on {web1}, home page on {web2}: {status} {path}",
        )
        nginx_browser = self.browsers.get("office")
        if nginx_browser is not None:
            before = len(nginx_browser.upstreams.seen)
            pages = [nginx_browser.get("/") for _ in range(4)]
            hosts = {self.topo.host_of(u) for u in nginx_browser.upstreams.seen[before:]}
            self.ok(
                all(s == 200 for s, _ in pages) and hosts == {"web1", "web2"},
                "one browser stays signed in while nginx alternates hosts",
                f"4 pages answered by {sorted(hosts)}",
            )

    def shared_cache(self) -> None:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.topo.redis_port)
        keys = list(client.scan_iter(match="*anjian.throttle:login:*"))
        counted = sum(int(client.get(k) or 0) for k in keys)
        self.ok(
            counted == self.login_posts,
            "the login rate limit counts across hosts in Redis",
            f"{self.login_posts} login posts to web1 and web2; Redis counted {counted} "
            f"in {len(keys)} key(s)",
        )

    # 4 -------------------------------------------------------------------------------------------
    def booking(self) -> None:
        browser = self.browsers["office"]
        county = self.facts["county_id"]
        today = date.fromisoformat(self.primary("SELECT current_date"))
        officers = [
            r[0]
            for r in psql(
                self.topo,
                self.topo.pg_primary_port,
                f"SELECT id FROM registry_officer WHERE body_id = {county} AND NOT is_deleted "
                f"AND certificate_valid_until > current_date ORDER BY id LIMIT 2",
            )
        ]
        firms = [
            r[0]
            for r in psql(
                self.topo,
                self.topo.pg_primary_port,
                f"SELECT id FROM registry_enterprise WHERE supervising_body_id = {county} "
                f"AND NOT is_deleted AND status = 'operating' ORDER BY id LIMIT 5",
            )
        ]
        days = [d for d in (today + timedelta(days=n) for n in range(1, 60)) if d.weekday() < 5]
        days = [d for d in days if d.day > 10][:5] or days[:5]
        browser.get("/policy/entries/check/")
        for firm, day in zip(firms, days, strict=False):
            form: dict[str, object] = {
                "enterprise": firm,
                "date": day.isoformat(),
                "activity": "assistance_guidance",
                "mode": "remote",
                "officers": officers,
                "book": "1",
            }
            status, body = browser.post("/policy/entries/check/", form)
            if "入企已登记" in body:
                break
        else:
            self.ok(False, "a booking through the entry check page", f"refused ({status})")
            return
        upstream = self.topo.host_of(browser.last_upstream)
        booking = self.primary(
            f"SELECT max(id) FROM policy_entrybooking WHERE enterprise_id = {firm} "
            f"AND date = '{day.isoformat()}' AND cancelled_at IS NULL"
        )
        audited = self.primary(
            f"SELECT count(*) FROM audit_auditentry WHERE action = 'entry.book' "
            f"AND target_id = '{booking}'"
        )
        self.ok(
            bool(booking) and audited == "1",
            "a booking through the entry check page",
            f"enterprise {firm}, {day}, remote assistance: booking {booking} on db1 with its "
            f"entry.book audit entry (page answered by {upstream})",
        )
        started = time.perf_counter()
        while time.perf_counter() - started < 10:
            if (
                self.replica(f"SELECT count(*) FROM policy_entrybooking WHERE id = {booking}")
                == "1"
            ):
                break
            time.sleep(0.02)
        seen_after = time.perf_counter() - started
        self.ok(
            seen_after < 10,
            "the booking reaches the replica",
            f"visible on db2 {seen_after * 1000:.0f} ms after the page answered "
            "(includes one psql start per poll)",
        )

    # 5 -------------------------------------------------------------------------------------------
    def replica_reads(self) -> None:
        county = self.facts["county_id"]
        pages = [
            ("public item lists", None, "/policy/public/items/", "policy_inspectionitemlist"),
            ("public item list", None, f"/policy/public/items/{county}/", "policy_inspectionitem"),
            ("training diagnostics", "head", "/training/diagnostics/", "training_examattempt"),
            ("audit trail", "auditadmin", "/audit/", "audit_auditentry"),
        ]
        for label, username, path, table in pages:
            self._page_on_replica(label, username, path, table)
        browser = self.browsers["office"]
        self.logs.mark()
        status, _ = browser.get("/policy/entries/")
        replica_tables = tables(self.logs.statements("replica"))
        self.ok(
            status == 200 and not replica_tables,
            "a page that did not opt in (/policy/entries/) reads only the primary",
            f"db2 ran {sum(replica_tables.values())} SELECTs for it",
        )

    def _page_on_replica(self, label: str, username: str | None, path: str, table: str) -> None:
        """The page's main table was read on the replica, by the host that answered, and not
        on the primary; what the primary did for the request (the session) is reported."""
        browser = self.browsers[username] if username else Browser(self.topo.lb)
        self.logs.mark()
        status, _body = browser.get(path)
        host = self.topo.host_of(browser.last_upstream)
        on_replica = self.logs.statements("replica")
        on_primary = self.logs.statements("primary")
        replica_tables, primary_tables = tables(on_replica), tables(on_primary)
        updated = tables(on_primary, "UPDATE")
        self.ok(
            status == 200
            and replica_tables[table] > 0
            and primary_tables[table] == 0
            and {app for app, _ in on_replica} == {f"anjian-{host}"},
            f"{label} ({path}) read from the replica",
            f"{status} from {host}; db2 ran {len(on_replica)} statements naming "
            f"{summary(replica_tables)}; db1 ran {len(on_primary)} naming {summary(primary_tables)}"
            + (f", updating {summary(updated)}" if updated else ""),
        )

    def _replica_ctl(self, *args: str) -> None:
        pg_ctl = [str(self.topo.pg_bin / "pg_ctl"), "-D", str(self.topo.dir / "pg" / "replica")]
        as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_pg, *pg_ctl, *args], check=True, capture_output=True)

    def _item_lists_through_nginx(self, times: int) -> list[tuple[int, str]]:
        answers = []
        for _ in range(times):
            browser = Browser(self.topo.lb)
            status, _ = browser.get("/policy/public/items/")
            answers.append((status, self.topo.host_of(browser.last_upstream)))
        return answers

    def replica_down(self) -> None:
        self._replica_ctl("-m", "fast", "-w", "stop")
        try:
            self.logs.mark()
            answers = self._item_lists_through_nginx(4)
            selects = tables(self.logs.statements("primary"))["policy_inspectionitemlist"]
            warned = sum(
                (self.topo.dir / "log" / f"{h}.error.log").read_text().count("replica failed")
                for h in self.topo.web
            )
            self.ok(
                all(s == 200 for s, _ in answers) and selects >= 4 and warned > 0,
                "with the replica stopped, replica pages are served from the primary",
                f"answers {answers}; db1 ran the item-list SELECT {selects}×; "
                f"{warned} 'replica failed' warnings in the app hosts' logs",
            )
        finally:
            log = self.topo.dir / "pg" / "replica.log"
            self._replica_ctl("-l", str(log), "-w", "-t", "60", "start")
        started = time.perf_counter()
        streaming = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
        while time.perf_counter() - started < 30 and self.primary(streaming) != "1":
            time.sleep(0.2)
        streaming_after = time.perf_counter() - started
        self.logs.mark()
        hosts = sorted({host for _, host in self._item_lists_through_nginx(4)})
        selects = tables(self.logs.statements("replica"))["policy_inspectionitemlist"]
        self.ok(
            selects >= 4,
            "after the replica is back, the pages read from it again",
            f"streaming {streaming_after:.1f} s after pg_ctl start returned; db2 ran the "
            f"item-list SELECT {selects}× for 4 requests to {hosts}",
        )

    # 6 -------------------------------------------------------------------------------------------
    def worker(self) -> None:
        browser = self.browsers["office"]
        county = self.facts["county_id"]
        month, state = psql(
            self.topo,
            self.topo.pg_primary_port,
            f"SELECT id, status FROM planning_planningmonth WHERE body_id = {county} "
            f"ORDER BY month DESC LIMIT 1",
        )[0]
        if state == "open":
            browser.post(f"/planning/{month}/close/", {})
        status, _ = browser.post(f"/planning/{month}/run/", {})
        match = re.search(r"/planning/runs/(\d+)/", browser.url)
        self.ok(
            bool(match) and status == 200,
            "the office queues a planner run",
            f"month {month}: {browser.url}",
        )
        if not match:
            return
        run = match.group(1)
        started = time.perf_counter()
        state = ""
        while time.perf_counter() - started < 240:
            state = self.primary(f"SELECT status FROM planning_planrun WHERE id = {run}")
            if state in ("done", "failed"):
                break
            time.sleep(0.5)
        took = time.perf_counter() - started
        row = psql(
            self.topo,
            self.topo.pg_primary_port,
            f"SELECT r.stage, (SELECT count(*) FROM planning_planentry e WHERE e.run_id = r.id), "
            f"t.status, t.worker_ids FROM planning_planrun r LEFT JOIN "
            f"django_tasks_database_dbtaskresult t ON t.id::text = r.task_id WHERE r.id = {run}",
        )
        stage, entries, task_status, workers = (
            (row[0] + ["", "", "", ""])[:4] if row else ("", "", "", "")
        )
        self.ok(
            state == "done",
            "the worker runs it",
            f"run {run} {state} after {took:.1f} s ({stage}; {entries} plan entries); "
            f"task {task_status} by {workers}",
        )
        status, body = browser.get(f"/planning/runs/{run}/")
        self.ok(
            status == 200 and "已完成" in body,
            "its result page through nginx",
            f"{status} from {self.topo.host_of(browser.last_upstream)}",
        )

    # 7 -------------------------------------------------------------------------------------------
    def add_county(self) -> None:
        name = "演练县应急管理局"
        anjian(
            self.topo,
            "web1",
            "createbody",
            "--name",
            name,
            "--level",
            "county",
            "--parent",
            self.facts["city"],
            "--division-code",
            "141199",
            "--section",
            "办公室:office",
            "--section",
            "危化股:business:hazardous_chemicals",
        )
        password_file = self.topo.dir / "etc" / "drill_password"
        password_file.write_text("Yanlian#2026x\n")
        password_file.chmod(0o600)
        anjian(
            self.topo,
            "web1",
            "createadmin",
            "--username",
            "drill_sysadmin",
            "--name",
            "演练管理员",
            "--body",
            name,
            "--password-file",
            str(password_file),
            "--no-password-change",
        )
        body = self.primary(f"SELECT id FROM accounts_enforcementbody WHERE name = '{name}'")
        browser = Browser(self.topo.lb)
        logged_in = browser.login("drill_sysadmin", "Yanlian#2026x")
        self.login_posts += 1
        status, page = browser.get("/accounts/users/")
        sections = self.primary(
            f"SELECT count(*) FROM accounts_section WHERE body_id = {body or 0}"
        )
        time.sleep(0.5)
        on_replica = self.replica(
            f"SELECT count(*) FROM accounts_enforcementbody WHERE id = {body or 0}"
        )
        self.ok(
            bool(body)
            and logged_in
            and status == 200
            and "drill_sysadmin" in page
            and on_replica == "1",
            "a county added with createbody + createadmin signs in",
            f"body {body} under {self.facts['city']} with {sections} sections; its system "
            f"administrator signs in through nginx ({self.topo.host_of(browser.last_upstream)}) "
            "and sees the user list; the body is on db2",
        )

    # 8 -------------------------------------------------------------------------------------------
    def shared_media(self) -> None:
        code = (
            "from django.core.files.base import ContentFile;"
            "from django.core.files.storage import default_storage as s;"
            "print(s.save('topology-smoke/probe.txt', ContentFile(b'written on web1')))"
        )
        name = anjian(self.topo, "web1", "shell", "-c", code).strip().splitlines()[-1]
        code = (
            "from django.conf import settings;"
            "from django.core.files.storage import default_storage as s;"
            f"print(settings.MEDIA_ROOT, s.open({name!r}).read().decode())"
        )
        answer = anjian(self.topo, "web2", "shell", "-c", code).strip().splitlines()[-1]
        self.ok(
            answer.endswith("written on web1"),
            "a media file saved on web1 is read on web2 (shared folder)",
            f"{name}: web2 read {answer!r}",
        )

    def run(self) -> int:
        r = self.results
        r.step("1. the databases", self.databases)
        r.step("2. logins through nginx", self.logins)
        r.step("2b. static files", self.static)
        r.step("3. a session shared by the app hosts", self.shared_session)
        r.step("3b. a cache shared by the app hosts", self.shared_cache)
        r.step("4. a booking", self.booking)
        r.step("5. reads served by the replica", self.replica_reads)
        r.step("5b. the replica stopped and started", self.replica_down)
        r.step("6. a worker task", self.worker)
        r.step("7. a county added", self.add_county)
        r.step("8. shared media", self.shared_media)
        passed = sum(1 for ok, _, _ in r.rows if ok)
        failed = len(r.rows) - passed
        print(f"\ntopology smoke: {passed} passed, {failed} failed")
        return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topology", type=Path, default=Path("/tmp/anjian-topology/topology.json"))
    options = parser.parse_args()
    sys.exit(Smoke(Topology.load(options.topology)).run())


if __name__ == "__main__":
    main()
