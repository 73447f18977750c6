"""Settings for every test run: a fast password hasher (the real one costs ~0.3 s a user), and
one BLAS thread — numpy's small matrix products (exam calibration) slow down many times over when
OpenBLAS spreads them over cores that other work is using."""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
