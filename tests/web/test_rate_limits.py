"""Issue 16, defect 8: per-address throttling of the login form, the worker exam pages and the
entry-code check (page and API), with a clear 429 page and Retry-After.

The root conftest gives every test roomy limits and an empty in-memory cache; these tests lower
the limits with override_settings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

import anjian.config.settings as base_settings
from anjian.config.settings import _cache, _rate
from anjian.core.throttle import Rate, hit, parse_rate

LIMITS = {"login": "20/m", "exam": "5/m", "verify": "4/m"}


def assert_throttled_page(response) -> None:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    assert response.status_code == 429
    assert "请求过于频繁" in html and "秒后重试" in html
    assert 1 <= int(response["Retry-After"]) <= 61
    assert f"请在 {response['Retry-After']} 秒后重试" in html


@override_settings(ANJIAN_RATE_LIMITS=LIMITS)
def test_the_21st_login_post_from_one_address_gets_429(db, client) -> None:  # type: ignore[no-untyped-def]
    from axes.models import AccessFailureLog

    for n in range(20):  # a different account each time: the per-account lock never starts
        response = client.post("/accounts/login/", {"username": f"nobody{n}", "password": "x"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "nobody20", "password": "x"})
    assert_throttled_page(response)
    assert 'data-testid="too-many-requests"' in response.content.decode()
    # refused before the login view ran: the failure was not even recorded
    assert AccessFailureLog.objects.count() == 20
    assert not AccessFailureLog.objects.filter(username="nobody20").exists()


@override_settings(ANJIAN_RATE_LIMITS=LIMITS)
def test_showing_the_login_form_is_not_counted(db, client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        assert client.get("/accounts/login/").status_code == 200
    assert client.post("/accounts/login/", {"username": "a", "password": "x"}).status_code == 200


@override_settings(ANJIAN_RATE_LIMITS=LIMITS)
def test_different_addresses_are_counted_apart(db, client) -> None:  # type: ignore[no-untyped-def]
    for n in range(20):
        client.post("/accounts/login/", {"username": f"u{n}", "password": "x"})
    assert client.post("/accounts/login/", {"username": "u", "password": "x"}).status_code == 429
    other = client.post(
        "/accounts/login/", {"username": "u", "password": "x"}, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 200


@override_settings(ANJIAN_RATE_LIMITS=LIMITS, BEHIND_PROXY=False)
def test_a_forged_forwarded_for_does_not_open_a_new_bucket(db, client) -> None:  # type: ignore[no-untyped-def]
    for n in range(20):
        client.post("/accounts/login/", {"username": f"u{n}", "password": "x"})
    forged = client.post(
        "/accounts/login/", {"username": "u", "password": "x"}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert forged.status_code == 429


@override_settings(ANJIAN_RATE_LIMITS=LIMITS, BEHIND_PROXY=True)
def test_behind_the_proxy_the_forwarded_client_is_counted(db, client) -> None:  # type: ignore[no-untyped-def]
    def post(address: str, n: int) -> int:
        data = {"username": f"u{n}", "password": "x"}
        return client.post("/accounts/login/", data, HTTP_X_FORWARDED_FOR=address).status_code

    assert [post("10.0.0.1", n) for n in range(20)] == [200] * 20
    assert post("10.0.0.1", 20) == 429
    assert post("10.0.0.2", 21) == 200  # another client behind the same proxy (REMOTE_ADDR)


@override_settings(ANJIAN_RATE_LIMITS=LIMITS)
def test_exam_pages_share_one_bucket_per_address(db, client) -> None:  # type: ignore[no-untyped-def]
    token = "no-such-exam"
    paths = [f"/training/x/{token}/", f"/training/x/{token}/q/", f"/training/x/{token}/result/"]
    statuses = [client.get(paths[n % 3]).status_code for n in range(5)]
    assert statuses == [404] * 5  # unknown exam code: the page says so
    assert_throttled_page(client.post(paths[1], {"position": "1"}))
    assert client.get(paths[0], REMOTE_ADDR="10.0.0.7").status_code == 404


@override_settings(ANJIAN_RATE_LIMITS=LIMITS)
def test_the_entry_code_check_throttles_page_and_api_together(db, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/inspections/verify/").status_code == 200
    assert client.get("/inspections/verify/FORGED-CODE/").status_code == 404
    assert client.get("/api/v1/inspections/verify/FORGED-CODE").status_code != 429
    assert client.get("/inspections/verify/FORGED-CODE/").status_code == 404
    assert_throttled_page(client.get("/inspections/verify/FORGED-CODE/"))
    api = client.get("/api/v1/inspections/verify/FORGED-CODE")
    assert api.status_code == 429 and int(api["Retry-After"]) >= 1
    assert api["Content-Type"] == "application/json"
    assert "请求过于频繁" in api.json()["detail"]
    assert "no-store" in api["Cache-Control"]


@override_settings(ANJIAN_RATE_LIMITS={**LIMITS, "verify": "off"})
def test_a_scope_can_be_turned_off(db, client) -> None:  # type: ignore[no-untyped-def]
    assert {client.get("/inspections/verify/").status_code for _ in range(10)} == {200}


def test_the_window_resets_and_retry_after_counts_down(db) -> None:  # type: ignore[no-untyped-def]
    rate = Rate(2, 60)
    assert hit("t", "1.2.3.4", rate, now=600.0) is None
    assert hit("t", "1.2.3.4", rate, now=610.0) is None
    refused = hit("t", "1.2.3.4", rate, now=630.5)
    assert refused is not None and refused.retry_after == 30
    assert hit("t", "1.2.3.4", rate, now=660.0) is None  # a new minute


@pytest.mark.parametrize(
    ("text", "rate"),
    [("30/m", Rate(30, 60)), ("5/s", Rate(5, 1)), ("100/h", Rate(100, 3600)), ("off", None)],
)
def test_rates_are_parsed(text: str, rate: Rate | None) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "30", "0/m", "-1/m", "30/week", "30/mh", "lots"])
def test_malformed_rates_stop_the_start(text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)
    monkeypatch.setenv("ANJIAN_RATE_LOGIN", text or " ")
    with pytest.raises(ImproperlyConfigured, match="ANJIAN_RATE_LOGIN"):
        _rate("ANJIAN_RATE_LOGIN", "30/m")


def test_defaults_leave_an_exam_room_behind_one_address_alone() -> None:
    defaults = {scope: parse_rate(text) for scope, text in base_settings.ANJIAN_RATE_LIMITS.items()}
    exam = defaults["exam"]
    # 60 workers, a question every 10 s (a POST and a GET each): 720 requests a minute
    assert exam is not None and exam.count * 60 // exam.seconds >= 60 * 12
    assert defaults["login"] == Rate(30, 60) and defaults["verify"] == Rate(30, 60)


def test_counters_live_in_a_cache_shared_by_worker_processes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    default = base_settings.CACHES["default"]
    assert default["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert str(default["LOCATION"]).startswith(str(base_settings.DATA_DIR))
    redis = _cache("redis://cache.example:6379/0")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.example:6379/0",
    }
    with pytest.raises(ImproperlyConfigured, match="ANJIAN_CACHE_URL"):
        _cache("memcached://x")


@override_settings(ANJIAN_RATE_LIMITS=LIMITS)
def test_an_unreachable_cache_lets_requests_through_and_says_so(
    db, client, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    """Redis restarting must not answer 500 to every login: the request goes on (the
    per-account lockout in the database still holds) and the failure is logged."""

    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("anjian.core.throttle._count", down)
    response = client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    assert response.status_code == 200
    assert "the cache is unavailable" in caplog.text
