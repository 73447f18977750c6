"""What the province loader and the page benchmark share: the site's environment (fixed keys, a
data folder kept per database so a reused database still finds its uploads), scratch PostgreSQL
databases, gunicorn, and a logged-in HTTP client. Same approach as bench/load.py, generalised to
any database URL. Not a test; no Django import here (the loader sets Django up itself)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "Anjian@2025"
BENCH_DIR = Path(__file__).resolve().parent
# Scratch databases only: the loader drops and recreates the database it is given, so it refuses
# any name that does not say it is a bench database.
SCRATCH_NAME = re.compile(r"^anjian_[a-z0-9_]+$")


# --- the site's environment -------------------------------------------------------------------


def default_data_dir(database_url: str) -> Path:
    """One data folder per database (keys, uploads, cache), so `--reuse` finds what the load
    left there."""
    name = "sqlite" if is_sqlite(database_url) else database_name(database_url)
    return Path(tempfile.gettempdir()) / f"anjian-bench-{name}" / "data"


def site_env(data_dir: Path, database_url: str) -> dict[str, str]:
    """The environment of every process of the site: fixed keys (the loader encrypts ID numbers
    with the field key the server then reads them with) and the rate limits lifted."""
    env = dict(os.environ)
    env.update(
        ANJIAN_DATA_DIR=str(data_dir),
        ANJIAN_SECRET_KEY="province-bench-secret-key-" + "x" * 40,
        ANJIAN_AUDIT_KEY="province-bench-audit-key-" + "y" * 40,
        ANJIAN_FIELD_KEY="00112233445566778899aabbccddeeff",
        ANJIAN_ALLOWED_HOSTS="127.0.0.1,localhost",
        # The bench logs in from one address many times: lift the per-address limits for it.
        ANJIAN_RATE_LOGIN="100000/m",
        ANJIAN_RATE_EXAM="100000/m",
        ANJIAN_RATE_VERIFY="100000/m",
        ANJIAN_LOG_LEVEL="ERROR",
    )
    env.pop("DATABASE_URL", None)
    if not is_sqlite(database_url):
        env["DATABASE_URL"] = database_url
    return env


# --- databases ----------------------------------------------------------------------------------


def is_sqlite(database_url: str) -> bool:
    """`sqlite` means the data folder's own SQLite file (the settings' default)."""
    return database_url == "sqlite"


def database_name(database_url: str) -> str:
    return urllib.parse.urlsplit(database_url).path.lstrip("/")


def _admin_url(database_url: str) -> str:
    """The same server's `postgres` database, to create and drop the bench database from."""
    parts = urllib.parse.urlsplit(database_url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres"))


def _psql(url: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def database_exists(database_url: str, data_dir: Path) -> bool:
    """True when the database is there and a province load finished in it."""
    if is_sqlite(database_url):
        return (data_dir / "anjian.sqlite3").exists() and (data_dir / "province.json").exists()
    name = database_name(database_url)
    found = _psql(_admin_url(database_url), f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    return found == "1" and (data_dir / "province.json").exists()


def recreate_database(database_url: str, data_dir: Path) -> None:
    """Drops and creates the scratch database (PostgreSQL) or removes the SQLite file."""
    if is_sqlite(database_url):
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"anjian.sqlite3{suffix}").unlink(missing_ok=True)
        return
    name = database_name(database_url)
    if not SCRATCH_NAME.match(name):
        raise SystemExit(f"refusing to drop {name!r}: bench databases are named anjian_<something>")
    admin = _admin_url(database_url)
    _psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _psql(admin, f"CREATE DATABASE {name}")


def django_shell(env: dict[str, str], code: str) -> object:
    """Runs `code` in `anjian shell` against the site's database; it prints one JSON value."""
    done = subprocess.run(["anjian", "shell", "-c", code], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"anjian shell failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- gunicorn -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    env: dict[str, str],
    port: int,
    workers: int,
    *,
    app: str = "anjian.config.wsgi:application",
    timeout: int = 60,
) -> subprocess.Popen[bytes]:
    """gunicorn with sync workers; `app` may name a module in bench/ (it is put on the path)."""
    server_env = dict(env)
    server_env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(BENCH_DIR), env.get("PYTHONPATH", "")) if part
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            "5",
        ],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} before answering")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer within 90 s")


# --- a user's browser ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    url: str  # after redirects
    queries: int | None  # X-Bench-Queries, when the server counts them


class Browser:
    """A cookie jar and urllib; every request has a timeout."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> Answer:
        fields = [("csrfmiddlewaretoken", self.csrf()), *data.items()]
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Referer", self.base + path)
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Answer(
                    response.status, response.read(), response.url, _queries(response.headers)
                )
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), error.url or "", _queries(error.headers))

    def login(self, username: str) -> None:
        self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if answer.status != 200 or "/accounts/login/" in answer.url:
            raise RuntimeError(f"login {username} failed ({answer.status})")


def _queries(headers: object) -> int | None:
    raw = getattr(headers, "get", lambda _name: None)("X-Bench-Queries")
    return int(raw) if raw is not None and str(raw).isdigit() else None
