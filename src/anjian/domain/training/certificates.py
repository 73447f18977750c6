"""A certificate's dates and its status on a day.

- A certificate is valid through the same calendar date `valid_years` after its issue (issued
  2020-03-01 with 6 years: 有效期至 2026-03-01, as the issuing systems print it), and, where the
  kind is reviewed, due for review every `review_every_years` from the issue date, as long as
  that falls before the end of validity.
- A recorded review moves the due date on by one interval from the date it was due (an early or
  late review does not shift the cycle); once the next due date reaches the end of validity there
  is no further review: the holder renews the certificate instead (a new certificate).
- Status on a day, most serious first: revoked, expired, review overdue, expiring soon or review
  due soon (within the alert window, whichever date comes first), valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from anjian.domain.training.requirements import CertificateRule

STATUSES: dict[str, str] = {
    "valid": "有效",
    "review_due_soon": "即将到期复审",
    "expiring_soon": "即将到期",
    "review_overdue": "逾期未复审",
    "expired": "已过期",
    "revoked": "已注销",
}
ALERTS = frozenset({"review_due_soon", "expiring_soon", "review_overdue", "expired"})
OVERDUE = frozenset({"review_overdue", "expired"})
# Bootstrap badge colours for the pages (presentation, but shared by every page that shows one).
BADGES: dict[str, str] = {
    "valid": "success",
    "review_due_soon": "warning",
    "expiring_soon": "warning",
    "review_overdue": "danger",
    "expired": "danger",
    "revoked": "secondary",
}


def add_years(day: date, years: int) -> date:
    """The same calendar date `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class CertificateDates:
    valid_until: date
    review_due: date | None


def certificate_dates(issued_on: date, rule: CertificateRule) -> CertificateDates:
    """Validity and first review from the issue date."""
    valid_until = add_years(issued_on, rule.valid_years)
    review_due = None
    if rule.review_every_years is not None:
        first = add_years(issued_on, rule.review_every_years)
        review_due = first if first < valid_until else None
    return CertificateDates(valid_until, review_due)


def next_review_due(
    *, review_due: date, issued_on: date, valid_until: date, rule: CertificateRule
) -> date | None:
    """The due date after a review of the one due on `review_due`: one interval on, counted
    from the issue date, or None when that reaches the end of validity."""
    if rule.review_every_years is None:
        return None
    step = rule.review_every_years
    cycles = 1
    while add_years(issued_on, step * cycles) <= review_due:
        cycles += 1
    following = add_years(issued_on, step * cycles)
    return following if following < valid_until else None


@dataclass(frozen=True)
class CertificateFacts:
    valid_until: date
    review_due: date | None
    revoked_on: date | None = None


@dataclass(frozen=True)
class CertificateStatus:
    code: str
    due_on: date | None  # the date the status is about (end of validity, review, revocation)
    days_left: int | None  # days from the day asked about to `due_on` (negative: past)
    reason: str

    @property
    def label(self) -> str:
        return STATUSES[self.code]

    @property
    def badge(self) -> str:
        return BADGES[self.code]

    @property
    def is_alert(self) -> bool:
        return self.code in ALERTS


def certificate_status(facts: CertificateFacts, day: date, alert_days: int) -> CertificateStatus:
    if facts.revoked_on is not None and facts.revoked_on <= day:
        return CertificateStatus("revoked", facts.revoked_on, None, f"{facts.revoked_on}已注销")
    left = (facts.valid_until - day).days
    if left < 0:
        return CertificateStatus(
            "expired", facts.valid_until, left, f"有效期至{facts.valid_until}，已过期{-left}天"
        )
    review_left = None if facts.review_due is None else (facts.review_due - day).days
    if review_left is not None and review_left < 0:
        return CertificateStatus(
            "review_overdue",
            facts.review_due,
            review_left,
            f"应于{facts.review_due}前复审，已逾期{-review_left}天",
        )
    if review_left is not None and review_left <= alert_days and review_left <= left:
        return CertificateStatus(
            "review_due_soon",
            facts.review_due,
            review_left,
            f"应于{facts.review_due}前复审，还有{review_left}天",
        )
    if left <= alert_days:
        return CertificateStatus(
            "expiring_soon",
            facts.valid_until,
            left,
            f"有效期至{facts.valid_until}，还有{left}天",
        )
    return CertificateStatus("valid", facts.valid_until, left, f"有效期至{facts.valid_until}")


def alert_window(day: date, alert_days: int) -> tuple[date, date]:
    """The dates an alert list covers: from `day` to `alert_days` later (inclusive); anything
    due before `day` is overdue and listed too."""
    return day, day + timedelta(days=alert_days)
