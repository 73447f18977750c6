"""Settings for every test run: a fixed clock, a fast password hasher (the real one costs ~0.3 s a
user), and one BLAS thread — numpy's small matrix products (exam calibration) slow down many times
over when OpenBLAS spreads them over cores that other work is using.

The clock: every test starts at the same instant (`tests/clock.py`: a fixed Monday, or the day in
`ANJIAN_TEST_TODAY`) and time runs on from there, so no test depends on the day the suite is run.
Module-level dates in tests come from `tests.clock.TEST_TODAY`, never from `date.today()`."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest
import time_machine

from tests.clock import TEST_NOW


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Test databases are made from the models (no migrations run); `django_db_setup` below
    then adds the migrations' shipped data and records them, as `anjian demo` does on its
    first run (`anjian.core.fresh_schema`, proven equal by tests/web/test_fresh_schema.py).
    This saves about 20 s per test database."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        database.setdefault("TEST", {})["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from django.db import connections

    from anjian.core import fresh_schema

    with django_db_blocker.unblock():
        for alias in connections:
            if not connections.settings[alias].get("TEST", {}).get("MIRROR"):
                fresh_schema.replay_and_record(connections[alias])


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _roomy_rate_limits(settings) -> None:  # type: ignore[no-untyped-def]
    """The suite logs in from 127.0.0.1 again and again: per-address limits far above its use,
    and a private, empty in-memory cache per test (tests/web/test_rate_limits.py lowers them)."""
    settings.ANJIAN_RATE_LIMITS = {"login": "100000/m", "exam": "100000/m", "verify": "100000/m"}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"anjian-tests-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def _checkpoint_folder(tmp_path_factory) -> object:  # type: ignore[no-untyped-def]
    return tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _private_checkpoint_sink(settings, _checkpoint_folder) -> None:  # type: ignore[no-untyped-def]
    """Audit checkpoints a test publishes go to a temporary folder, never to DATA_DIR."""
    settings.AUDIT_CHECKPOINT_DIR = _checkpoint_folder
