"""The register of complaints and clues (举报事项、问题线索): the clock of a matter's time limit
and the state machine of its handling. Pure Python, no Django: working days come from the
caller's `is_workday`.

The clock. A matter has two time limits, each in working days: to accept it (counted from the
day it was received) and to answer it (counted from the day it was accepted). While it waits
for acceptance the first runs, while it is handled the second; once answered or closed the clock
stops. A running clock is

- red when today is past its due day;
- amber when at most `AMBER_DAYS` (2) working days are left, or 80 % or more of its working days
  are used (left <= total / 5, i.e. left <= total // 5 for whole days); on the due day itself
  (0 left) it is amber;
- green otherwise.

With the defaults (5 days to accept, 15 to answer) the accept clock turns amber at 2 days left and
the answer clock at 3 days left (80 % of 15). A stopped clock is green when the matter was
answered (or closed) by its due day, red when late.

The state machine. received (待受理) → accepted (办理中) → answered (已答复) → closed (已办结);
a matter can also be closed straight from accepted when a ground for not replying is recorded
(an anonymous matter with no contact, a repeated matter). Closing needs a reply or a recorded
ground. The transitions are declared once, in `TRANSITIONS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from anjian.domain.calendar import working_days_between

AMBER_DAYS = 2
"""A running clock is amber with this many working days left or fewer."""
AMBER_SHARE_DENOMINATOR = 5
"""…or when the days left are at most a fifth of the total (80 % used)."""

RECEIVED, ACCEPTED, ANSWERED, CLOSED = "received", "accepted", "answered", "closed"
GREEN, AMBER, RED = "green", "amber", "red"

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({RECEIVED}), ACCEPTED),
    "answer": (frozenset({ACCEPTED}), ANSWERED),
    "close": (frozenset({ACCEPTED, ANSWERED}), CLOSED),
}
"""action → (the states it may start from, the state it leads to)."""

ASSIGNABLE = frozenset({RECEIVED, ACCEPTED, ANSWERED})
"""States in which the owner (承办人) may be changed."""

REFUSALS = {
    "accept": "只有待受理的事项可以受理",
    "answer": "只有办理中的事项可以答复",
    "close": "只有办理中或已答复的事项可以办结",
    "assign": "已办结的事项不能再指定承办人",
}


class TransitionError(ValueError):
    """A step the matter's state does not allow; the message is Chinese."""


def next_status(status: str, action: str) -> str:
    """The state `action` leads to from `status`, or TransitionError."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionError(REFUSALS[action])
    return target


def allowed_actions(status: str) -> list[str]:
    """The actions the state allows, in the order of `TRANSITIONS` (plus assign)."""
    found = [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
    return [*found, "assign"] if status in ASSIGNABLE else found


def close_refusal(*, reply: str, ground: str) -> str | None:
    """Why the matter cannot be closed, or None: a reply or a recorded ground is required."""
    if not reply.strip() and not ground.strip():
        return "办结前须填写答复内容，或记录不予答复的依据"
    return None


@dataclass(frozen=True)
class Clock:
    """A matter's clock: its colour, the stage it times ("accept", "answer" or "done"), the due
    day, and the working days left (negative when late; None once stopped)."""

    colour: str
    stage: str
    due: date
    days_left: int | None

    @property
    def running(self) -> bool:
        return self.days_left is not None

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def amber_threshold(total: int) -> int:
    """The days left at or below which a running clock of `total` working days is amber."""
    return max(AMBER_DAYS, total // AMBER_SHARE_DENOMINATOR)


def days_left(today: date, due: date, is_workday: Callable[[date], bool]) -> int:
    """Working days in (today, due]; when today is past due, minus the working days in
    (due, today] (a late matter counts its days late)."""
    if today <= due:
        return working_days_between(today, due, is_workday)
    return -max(1, working_days_between(due, today, is_workday))


def colour_of(left: int, total: int) -> str:
    if left < 0:
        return RED
    return AMBER if left <= amber_threshold(total) else GREEN


@dataclass(frozen=True)
class Timing:
    """What the clock reads of a matter."""

    status: str
    received_on: date
    accept_due: date
    answer_due: date
    accepted_on: date | None = None
    replied_on: date | None = None
    closed_on: date | None = None


def matter_clock(timing: Timing, today: date, is_workday: Callable[[date], bool]) -> Clock:
    """The clock of a matter today (see the module's docstring)."""
    if timing.status in (ANSWERED, CLOSED):
        finished = timing.replied_on or timing.closed_on or today
        late = finished > timing.answer_due
        return Clock(RED if late else GREEN, "done", timing.answer_due, None)
    if timing.status == RECEIVED:
        start, due, stage = timing.received_on, timing.accept_due, "accept"
    else:
        start, due, stage = timing.accepted_on or timing.received_on, timing.answer_due, "answer"
    total = max(1, working_days_between(start, due, is_workday))
    left = days_left(today, due, is_workday)
    return Clock(colour_of(left, total), stage, due, left)
