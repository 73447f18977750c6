"""Page benchmark (issue 17). Not a test: it serves the province data set and prints a table.

It loads the province data set (bench/province.py) into a scratch database, or reuses one that a
finished load left (`--reuse`), serves it with gunicorn (sync workers) through
bench/query_count_wsgi.py, which counts each request's database queries, and then measures the
pages one after the other. For each page, `--clients` client threads (one per worker by
default) each log in once as the page's user and, for `--seconds`, alternate a request to the
page with a request to the trivial view, so both are measured side by side under the same load.

The trivial view is the login page fetched anonymously (GET /accounts/login/): a real Django
view through the whole middleware stack (sessions, CSRF, the security headers, the throttle)
that renders one small template and reads nothing from the database.

Per page it prints: requests, errors (status ≥ 400, or sent to the login page), timeouts (no
answer within `--timeout` seconds), rps (clients ÷ mean time: what the page alone sustains with
that many clients), p50 and p95 in milliseconds, database queries per request (from the
server, X-Bench-Queries), and the page's p50 as a percentage of the trivial view's p50 measured
in the same window. Every client warms up with one request of each first (not counted).

    python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/anjian_province \\
        --workers 2 --seconds 20 [--pages home_head,entries] [--reuse] [--scale 0.1]
    python bench/pages.py --list
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _serve import (
    BENCH_DIR,
    Answer,
    Browser,
    database_exists,
    default_data_dir,
    free_port,
    site_env,
    start_server,
)


@dataclass(frozen=True)
class Page:
    label: str
    login: str
    path: str  # {enterprise} and {annual_plan} come from the load's facts


PAGES: dict[str, Page] = {
    "home_head": Page("home (head)", "head", "/"),
    "home_office": Page("home (office)", "office", "/"),
    "diagnostics": Page("bureau training diagnostics", "hr", "/training/diagnostics/"),
    "annual_plan": Page("annual plan (next year)", "office", "/planning/annual/{annual_plan}/"),
    "personnel": Page("training personnel list", "hr", "/training/personnel/"),
    "api_enterprises": Page("API /api/v1/enterprises", "office", "/api/v1/enterprises"),
    "cases": Page("penalty case list", "legal", "/enforcement/cases/"),
    "entries": Page("entry ledger", "office", "/policy/entries/"),
    "enterprises": Page("enterprise list", "office", "/registry/enterprises/"),
    "enterprise_detail": Page("enterprise detail", "office", "/registry/enterprises/{enterprise}/"),
    "monitor": Page("consistency monitor", "legal", "/enforcement/monitor/"),
    "tasks": Page("inspection task list", "office", "/inspections/"),
    "audit": Page("audit trail list", "auditadmin", "/audit/"),
    "exceptions": Page("quiet exceptions", "office", "/policy/quiet/exceptions/"),
    "portal_home": Page("enterprise portal home", "enterprise", "/"),
    "documents": Page("document register", "office", "/documents/"),
    "home_city": Page("home (city)", "city", "/"),
    "enterprises_city": Page("enterprise list (city)", "city", "/registry/enterprises/"),
}
TRIVIAL = Page("trivial: login page, anonymous", "", "/accounts/login/")


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    ok: bool
    timed_out: bool = False
    queries: int | None = None


@dataclass
class Window:
    """What one page's window measured: the page's samples and the trivial view's."""

    page: list[Sample] = field(default_factory=list)
    trivial: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    problems: list[str] = field(default_factory=list)


class Clients:
    """Logged-in browsers kept per (client, user) across pages, so each logs in once."""

    def __init__(self, base: str, timeout: float) -> None:
        self.base, self.timeout = base, timeout
        self.browsers: dict[tuple[int, str], Browser] = {}

    def browser(self, client: int, login: str) -> Browser:
        key = (client, login)
        if key not in self.browsers:
            browser = Browser(self.base, self.timeout)
            if login:
                browser.login(login)
            self.browsers[key] = browser
        return self.browsers[key]

    def forget(self, client: int, login: str) -> None:
        self.browsers.pop((client, login), None)


def timed(browser: Browser, path: str, expect_login_page: bool) -> Sample:
    started = time.perf_counter()
    try:
        answer = browser.get(path)
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        timed_out = isinstance(reason, TimeoutError) or "timed out" in str(reason)
        return Sample(time.perf_counter() - started, False, timed_out)
    return Sample(
        time.perf_counter() - started, answered(answer, expect_login_page), False, answer.queries
    )


def answered(answer: Answer, expect_login_page: bool) -> bool:
    """A page that answers 2xx where it was asked (a lost session lands on the login page)."""
    on_login = "/accounts/login/" in answer.url
    return answer.status < 400 and on_login == expect_login_page


def client_loop(
    clients: Clients, client: int, page: Page, paths: Sequence[str], seconds: float, window: Window
) -> None:
    """Logs in, warms up (not counted), then alternates page and trivial view for `seconds`."""
    try:
        browser = clients.browser(client, page.login)
    except Exception as error:  # a missing login: the page cannot be measured
        with window.lock:
            window.problems.append(f"login {page.login}: {error}")
        return
    anonymous = clients.browser(client, "")
    timed(browser, paths[client % len(paths)], False)  # warm-up, not counted
    timed(anonymous, TRIVIAL.path, True)
    until, turn = time.time() + seconds, client
    while time.time() < until:
        sample = timed(browser, paths[turn % len(paths)], False)
        trivial = timed(anonymous, TRIVIAL.path, True)
        turn += 1
        with window.lock:
            window.page.append(sample)
            window.trivial.append(trivial)
        if sample.timed_out:  # the timed-out request's session may be mid-save: start afresh
            clients.forget(client, page.login)
            try:
                browser = clients.browser(client, page.login)
            except Exception as error:
                with window.lock:
                    window.problems.append(f"login {page.login} after a timeout: {error}")
                return


def measure(
    clients: Clients, page: Page, paths: Sequence[str], options: argparse.Namespace
) -> Window:
    window = Window()
    threads = [
        threading.Thread(
            target=client_loop, args=(clients, n, page, paths, options.seconds, window)
        )
        for n in range(options.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return window


# --- reporting ------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(name: str, page: Page, window: Window, clients: int) -> dict[str, object]:
    times = [s.seconds for s in window.page]
    trivial = [s.seconds for s in window.trivial if s.ok]
    queries = [s.queries for s in window.page if s.queries is not None]
    trivial_queries = [s.queries for s in window.trivial if s.queries is not None]
    row: dict[str, object] = {
        "page": name,
        "label": page.label,
        "requests": len(times),
        "errors": sum(1 for s in window.page if not s.ok and not s.timed_out),
        "timeouts": sum(1 for s in window.page if s.timed_out),
        "problems": window.problems,
    }
    if not times:
        return row
    p50 = statistics.median(times)
    row.update(
        rps=round(clients / statistics.fmean(times), 2),
        p50_ms=round(p50 * 1000, 1),
        p95_ms=round(percentile(times, 0.95) * 1000, 1),
        queries=round(statistics.fmean(queries), 1) if queries else None,
        queries_max=max(queries) if queries else None,
        trivial_queries=max(trivial_queries) if trivial_queries else None,
        trivial_p50_ms=round(statistics.median(trivial) * 1000, 1) if trivial else None,
        ratio_pct=round(100 * p50 / statistics.median(trivial)) if trivial else None,
    )
    return row


def markdown(rows: Sequence[dict[str, object]]) -> str:
    lines = [
        "| page | requests | errors | timeouts | rps | p50 ms | p95 ms | queries/request "
        "| trivial p50 ms | ratio to trivial (%) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        queries = row.get("queries")
        if queries is not None and row.get("queries_max") != round(float(str(queries))):
            queries = f"{queries} (max {row['queries_max']})"
        cells = [
            f"{row['label']} (`{row['page']}`)",
            row["requests"],
            row["errors"],
            row["timeouts"],
            row.get("rps", "—"),
            row.get("p50_ms", "—"),
            row.get("p95_ms", "—"),
            queries if queries is not None else "—",
            row.get("trivial_p50_ms", "—"),
            row.get("ratio_pct", "—"),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


# --- the run --------------------------------------------------------------------------------------


def paths_for(page: Page, facts: dict[str, object]) -> list[str]:
    if "{enterprise}" in page.path:
        firms = list(facts.get("enterprises") or [])  # type: ignore[call-overload]
        return [page.path.format(enterprise=pk) for pk in firms]
    if "{annual_plan}" in page.path:
        plan = facts.get("annual_plan")
        return [page.path.format(annual_plan=plan)] if plan else []
    return [page.path]


def chosen_pages(spec: str) -> list[str]:
    if not spec:
        return list(PAGES)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        raise SystemExit(f"unknown pages: {', '.join(unknown)} (see --list)")
    return names


def ensure_loaded(options: argparse.Namespace, data_dir: Path) -> dict[str, object]:
    if options.reuse and database_exists(options.database_url, data_dir):
        print(f"reusing the loaded database ({data_dir / 'province.json'})", flush=True)
    else:
        command = [
            sys.executable,
            str(BENCH_DIR / "province.py"),
            "--database-url",
            options.database_url,
            "--scale",
            str(options.scale),
            "--data-dir",
            str(data_dir),
        ]
        subprocess.run(command, check=True)
    return dict(json.loads((data_dir / "province.json").read_text()))


def run(options: argparse.Namespace) -> None:
    names = chosen_pages(options.pages)
    data_dir = options.data_dir or default_data_dir(options.database_url)
    facts = ensure_loaded(options, data_dir)
    env = site_env(data_dir, options.database_url)
    port = free_port()
    server = start_server(
        env, port, options.workers, app="query_count_wsgi:application", timeout=options.timeout + 5
    )
    clients = Clients(f"http://127.0.0.1:{port}", options.timeout)
    rows = []
    print(
        f"\n{options.workers} gunicorn workers, {options.clients} clients, {options.seconds} s "
        f"per page, timeout {options.timeout} s; data loaded {facts.get('loaded_on')}: "
        f"{json.dumps(facts.get('counts'), ensure_ascii=False)}\n",
        flush=True,
    )
    try:
        for name in names:
            page = PAGES[name]
            paths = paths_for(page, facts)
            if not paths:
                print(f"{name}: skipped (the load recorded no {page.path})", flush=True)
                continue
            row = summary(name, page, measure(clients, page, paths, options), options.clients)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print("\n" + markdown(rows))
    print(
        "\nrps: clients ÷ mean time of the page's own requests. ratio: the page's p50 as a "
        "percentage of the trivial view's p50 (GET /accounts/login/, anonymous) measured "
        "alternately by the same clients in the same window."
    )
    if options.json:
        Path(options.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--database-url", default="", help="postgres://… or sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--clients", type=int, default=0, help="client threads (= workers)")
    parser.add_argument("--seconds", type=float, default=20, help="per page (20)")
    parser.add_argument("--timeout", type=float, default=60, help="per request, seconds (60)")
    parser.add_argument("--pages", default="", help="comma-separated names (all; see --list)")
    parser.add_argument("--reuse", action="store_true", help="skip loading if already loaded")
    parser.add_argument("--scale", type=float, default=1.0, help="when loading (1.0)")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--json", default="", help="also write the rows to this file")
    parser.add_argument("--list", action="store_true", help="list the pages and stop")
    options = parser.parse_args(argv)
    options.clients = options.clients or options.workers
    if not options.list and not options.database_url:
        parser.error("--database-url is required")
    return options


def main(argv: Sequence[str] | None = None) -> None:
    options = parse(argv)
    if options.list:
        for name, page in PAGES.items():
            print(f"{name:18} {page.login:11} {page.path:40} {page.label}")
        print(f"{'(trivial)':18} {'—':11} {TRIVIAL.path:40} {TRIVIAL.label}")
        return
    run(options)


if __name__ == "__main__":
    main()
