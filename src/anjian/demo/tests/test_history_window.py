"""The demo's campaign year and the window of last year's entries (pure date rules)."""

from __future__ import annotations

from datetime import date

from anjian.demo.steering_history import campaign_year, history_window

RULES = date(2025, 1, 1)


def test_the_campaign_is_this_years_from_august_else_last_years() -> None:
    assert campaign_year(date(2026, 12, 7)) == 2026
    assert campaign_year(date(2026, 8, 1)) == 2026
    assert campaign_year(date(2026, 7, 31)) == 2025


def test_last_year_stops_where_the_rest_of_the_data_begins() -> None:
    today = date(2026, 12, 7)
    assert history_window(today, date(2025, 12, 12), RULES) == (
        date(2025, 1, 1),
        date(2025, 12, 11),
    )


def test_no_window_before_the_first_rule_set() -> None:
    assert history_window(date(2026, 3, 16), date(2025, 3, 21), RULES) is None
    assert history_window(date(2027, 3, 16), date(2026, 3, 21), RULES) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
