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


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
