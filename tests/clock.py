"""The instant every test starts at (see the root conftest.py): a fixed Monday morning, or the day
given by `ANJIAN_TEST_TODAY=YYYY-MM-DD` to try the suite on another day (for example in a year the
holiday package does not know). Pick a day after the 10th of its month: days 1–10 are the default
quiet period, and the tests that inspect "today" are then refused, as the rules say they must be."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

DEFAULT_NOW = datetime(2026, 11, 16, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _now() -> datetime:
    raw = os.environ.get("ANJIAN_TEST_TODAY")
    if not raw:
        return DEFAULT_NOW
    return datetime.combine(date.fromisoformat(raw), time(9, 30), tzinfo=DEFAULT_NOW.tzinfo)


TEST_NOW = _now()
TEST_TODAY: date = TEST_NOW.date()
