"""Issue 16, defect 7: Content-Security-Policy without inline script or style, HSTS and SSL
redirect for production, Permissions-Policy, and no-store on everything personal."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from anjian.config.keys import GENERATORS
from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "src" / "anjian").glob("**/templates/**/*.html"))
PRODUCTION_DOC = ROOT / "docs" / "ops" / "production-settings.md"


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


# --- Content-Security-Policy -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/inspections/verify/"])
def test_public_pages_send_a_strict_policy(db, client, path) -> None:  # type: ignore[no-untyped-def]
    policy = directives(client.get(path)["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]  # no nonce asked for, no inline style allowed
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_home_page_chart_carries_the_nonce_of_its_policy(world: World, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["office"]).get("/")
    policy = directives(response["Content-Security-Policy"])
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert policy["script-src"] == ["'self'"]
    nonce = re.fullmatch(r"'nonce-([A-Za-z0-9+/=]+)'", policy["style-src"][1])
    assert policy["style-src"][0] == "'self'" and nonce
    html = response.content.decode()
    assert "<svg" in html
    styles = re.findall(r"<style[^>]*>", html)
    assert styles and all(f'nonce="{nonce.group(1)}"' in tag for tag in styles)
    # pygal's configuration <script> is dropped: every script on the page is a file
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert not re.search(r"<[^<>]+\sstyle=", html)  # its tooltip's opacity is an SVG attribute


def test_report_only_rollout_switch() -> None:
    def policy_names(env: dict[str, str]) -> str:
        code = (
            "import anjian.config.settings as s;"
            "print(hasattr(s, 'CONTENT_SECURITY_POLICY'),"
            " hasattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY'))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert policy_names({"ANJIAN_CSP_REPORT_ONLY": "false"}) == "True False"
    assert policy_names({"ANJIAN_CSP_REPORT_ONLY": "true"}) == "False True"


@override_settings(
    CONTENT_SECURITY_POLICY=None,
    CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"script-src": ["'self'"]}},
)
def test_report_only_header(db, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"])["script-src"] == ["'self'"]


def _markup(path: Path) -> str:
    """The template's HTML with Django tags, variables and comments taken out."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.S)
    return re.sub(r"\{[{%].*?[}%]\}", "", text, flags=re.S)


def test_no_template_has_inline_script_handlers_or_styles() -> None:
    assert len(TEMPLATES) > 100
    problems = []
    for path in TEMPLATES:
        markup = _markup(path)
        name = path.relative_to(ROOT)
        for tag in re.findall(r"<script\b[^>]*>", markup, flags=re.I):
            if not re.search(r"\ssrc\s*=", tag):
                problems.append(f"{name}: inline script {tag}")
        for tag in re.findall(r"<[a-z][^<>]*>", markup, flags=re.I):
            handler = re.search(r"\s(on[a-z]+)\s*=", tag, flags=re.I)
            if handler:
                problems.append(f"{name}: handler {handler.group(1)} in {tag[:60]}")
            if re.search(r"\sstyle\s*=", tag, flags=re.I):
                problems.append(f"{name}: style attribute in {tag[:60]}")
            if re.search(r"\shx-on", tag, flags=re.I):
                problems.append(f"{name}: hx-on in {tag[:60]}")
        if re.search(r"<style\b", markup, flags=re.I):
            problems.append(f"{name}: <style> element")
    assert problems == []


def test_the_template_walk_catches_what_it_looks_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sample = tmp_path / "t.html"
    sample.write_text(
        '{% if x %}<button onclick="go()">{% endif %}<script>1</script><p style="x">'
        "{% blocktranslate with online=a %}{{ online }}{% endblocktranslate %}",
        encoding="utf-8",
    )
    markup = _markup(sample)
    assert "onclick=" in markup and "<script>" in markup and "style=" in markup
    assert "online=" not in markup  # template-tag arguments are not HTML attributes


def test_htmx_runs_without_inline_styles_or_eval(world: World, login) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users["office"]).get("/").content.decode()
    assert """content='{"includeIndicatorStyles":false,"allowEval":false}'""" in html
    assert '<script src="/static/anjian/anjian.js"></script>' in html


def test_moved_scripts_are_served_as_files(db, client) -> None:  # type: ignore[no-untyped-def]
    for path in (
        "/static/anjian/anjian.js",
        "/static/inspections/geo.js",
        "/static/inspections/scan.js",
    ):
        response = client.get(path)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert b"addEventListener" in body or b"geolocation" in body


# --- other headers ---------------------------------------------------------------------------


def test_permissions_policy_allows_only_own_geolocation_and_camera(db, client) -> None:  # type: ignore[no-untyped-def]
    header = client.get("/accounts/login/")["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in header.split(","))
    assert features.pop("geolocation") == "(self)"
    assert features.pop("camera") == "(self)"  # the check-in page reads the notice's QR code
    assert features["microphone"] == "()"
    assert set(features.values()) == {"()"}


def test_basic_security_headers(db, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in client.get("/accounts/login/", secure=True)


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=False,
    SECURE_SSL_REDIRECT=True,
)
def test_hsts_and_ssl_redirect_when_configured(db, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    redirect = client.get("/accounts/login/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/accounts/login/"


# --- Cache-Control ---------------------------------------------------------------------------


def _no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.get("Cache-Control", "") and response["Pragma"] == "no-cache"


def test_no_store_on_authenticated_pages_api_and_exports(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    page = client.get("/registry/enterprises/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
    assert _no_store(page)
    api = client.get("/api/v1/me")
    assert api.status_code == 200 and _no_store(api)
    export = client.get("/registry/enterprises/?export=xlsx")
    assert "attachment" in export["Content-Disposition"] and _no_store(export)


def test_no_store_on_api_answers_without_a_session(db, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and _no_store(response)


@pytest.mark.parametrize(
    "path", ["/training/x/no-such-exam/", "/inspections/verify/", "/inspections/verify/XX/"]
)
def test_no_store_on_public_pages_with_personal_data(db, client, path) -> None:  # type: ignore[no-untyped-def]
    assert _no_store(client.get(path))


def test_static_files_keep_their_caching(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    static = client.get("/static/anjian/anjian.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "") and "Pragma" not in static
    assert _no_store(client.get("/"))  # the same signed-in client, on a page


def test_a_view_that_already_forbids_storing_keeps_its_header(db, client) -> None:  # type: ignore[no-untyped-def]
    # the verify page is @never_cache: Django's own, stricter header stays as it was
    response = client.get("/inspections/verify/")
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- the production settings pass Django's deploy check -------------------------------------

# Deploy-check warnings the production settings may leave: none. (HSTS preload, security.W021,
# is silenced in settings while ANJIAN_HSTS_PRELOAD is off, with the reason written there.)
ALLOWED_DEPLOY_WARNINGS: set[str] = set()


def production_env() -> dict[str, str]:
    """The variables of the env block in docs/ops/production-settings.md."""
    text = PRODUCTION_DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- production-env -->\s*```sh\n(.*?)```", text, flags=re.S)
    assert block, "the production env block is missing from production-settings.md"
    pairs = (line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs if not name.startswith("#")}


def test_deploy_check_is_clean_with_the_documented_production_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Playwright's plugin sets DJANGO_ALLOW_ASYNC_UNSAFE in the test process; production has none.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANJIAN_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    documented = production_env()
    assert documented["ANJIAN_HSTS_SECONDS"] == "31536000"
    for name in [name for name in documented if name.endswith("_FILE")]:
        secret = tmp_path / name.lower()  # the documented /etc/anjian/… files, made here
        make = GENERATORS.get(name.removesuffix("_FILE"), lambda: secrets.token_urlsafe(50))
        secret.write_text(make(), encoding="utf-8")
        documented[name] = str(secret)
    env.update(documented, ANJIAN_DATA_DIR=str(tmp_path / "data"))
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "anjian.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    found = set(re.findall(r"\?: \(([a-z_.]+\.[WE]\d+)\)", output))
    assert found <= ALLOWED_DEPLOY_WARNINGS, output
