"""Heavy reports are kept until the data changes (audit/report_cache.py, issue 17): the monitor
and the bureau's diagnostics are computed once per audit version, per user and parameters, and
computed again after any recorded change."""

from __future__ import annotations

import pytest

from anjian.audit.report_cache import cached_report, data_version
from anjian.audit.services import audit_record
from anjian.enforcement.views import monitor as monitor_views
from anjian.training.views import diagnostics as diagnostics_views

pytestmark = pytest.mark.django_db


def counting(module, name: str, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    original = getattr(module, name)

    def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)
    return calls


@pytest.mark.parametrize(
    ("module", "name", "user", "path"),
    [
        (monitor_views, "pending_flags", "legal_office", "/enforcement/monitor/"),
        (diagnostics_views, "bureau_diagnostics", "office", "/training/diagnostics/"),
    ],
)
def test_a_report_is_computed_once_per_data_version(  # type: ignore[no-untyped-def]
    world, login, monkeypatch, module, name, user, path
) -> None:
    calls = counting(module, name, monkeypatch)
    client = login(world.users[user])
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200 and len(calls) == 1
    other = login(world.users["bureau_head"]).get(path)  # another user: its own report
    assert other.status_code == 200 and len(calls) == 2
    before = data_version()
    audit_record(actor=None, action="test.change", changes={"x": {"before": 1, "after": 2}})
    assert data_version() > before
    assert client.get(path).status_code == 200 and len(calls) == 3
    assert client.get(f"{path}?k=4" if "monitor" in path else f"{path}?pass_mark=70").status_code
    assert len(calls) == 4  # other parameters: computed for them


def test_an_unreachable_cache_computes_the_report(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class Down:
        def get(self, *args: object) -> None:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("anjian.audit.report_cache.cache", Down())
    assert cached_report("x", world.users["office"], (1,), lambda: 42) == 42
