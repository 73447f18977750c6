"""ISO weeks, the weekly report's deadline and whether a report was late. Pure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO 8601 week: Monday to Sunday, numbered within its ISO year."""

    year: int
    week: int

    def __post_init__(self) -> None:
        last = date(self.year, 12, 28).isocalendar()[1]  # 28 December is always in the last week
        if not 1 <= self.week <= last:
            raise ValueError(f"{self.year} 年没有第 {self.week} 周（该年共 {last} 周）")

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso[0], iso[1])

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def day(self, weekday: int) -> date:
        """The day of this week; `weekday` 0 is Monday (as `date.weekday`)."""
        return self.monday + timedelta(days=weekday)

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.week}周"

    @property
    def code(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def parse(cls, code: str) -> IsoWeek:
        """`2026-W07` back into a week; ValueError with a Chinese message otherwise."""
        year, sep, week = code.partition("-W")
        if not (sep and year.isdigit() and week.isdigit() and len(year) == 4):
            raise ValueError(f"周次格式应为 2026-W07：{code!r}")
        return cls(int(year), int(week))


def weeks_between(first: date, last: date) -> Iterator[IsoWeek]:
    """Every ISO week that has a day in [first, last], in order."""
    week = IsoWeek.of(first)
    while week.monday <= last:
        yield week
        week = week.next()


@dataclass(frozen=True)
class Deadline:
    """When a week's report is due: a weekday of that week (0 Monday … 6 Sunday) and a time."""

    weekday: int = 4
    at: time = time(17, 0)

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("报送日应为周一至周日")

    def due(self, week: IsoWeek) -> datetime:
        """The naive local moment the report of `week` is due."""
        return datetime.combine(week.day(self.weekday), self.at)

    def is_late(self, week: IsoWeek, submitted: datetime) -> bool:
        """Submitted (naive local time) after the deadline."""
        return submitted > self.due(week)


def closes_after(week: IsoWeek, grace_days: int) -> date:
    """The last day a report of `week` may still be filed or changed: the week's Sunday plus the
    grace days. After it the week is closed."""
    return week.sunday + timedelta(days=grace_days)
