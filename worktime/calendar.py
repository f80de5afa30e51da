"""Working time: mainland China's public holidays and make-up working days, plus admins' overrides.

The published calendar comes from the `chinesecalendar` package behind `published_working_day`.
Admins' overrides win over it. A date the package does not know, in a year no admin has entered,
falls back to a documented conservative rule (Monday to Friday are working days, so a promise is
never later than it would be with the real calendar) and is reported through `unknown_days`, so the
caller can raise an alert instead of guessing silently.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar

log = logging.getLogger(__name__)

MAX_SEARCH_DAYS = 3660


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"


def published_working_day(day: dt.date) -> bool | None:
    """The State Council's calendar as packaged; None where the package has no data for that year."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


@dataclass
class WorkingCalendar:
    workday_start: dt.time
    workday_end: dt.time
    overrides: dict[dt.date, bool] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()
    unknown_days: set[dt.date] = field(default_factory=set)

    @property
    def minutes_per_day(self) -> int:
        start = self.workday_start.hour * 60 + self.workday_start.minute
        end = self.workday_end.hour * 60 + self.workday_end.minute
        return end - start

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        published = published_working_day(day)
        if published is not None:
            return published
        if day.year not in self.covered_years:
            if day not in self.unknown_days:
                log.warning("working calendar: %s is outside the known calendar; using Monday-Friday", day)
            self.unknown_days.add(day)
        return day.weekday() < 5

    def _bounds(self, day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.workday_start, tzinfo=tz),
            dt.datetime.combine(day, self.workday_end, tzinfo=tz),
        )

    def next_working_day(self, day: dt.date) -> dt.date:
        for _ in range(MAX_SEARCH_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError(f"no working day within {MAX_SEARCH_DAYS} days after {day}")

    def clamp(self, moment: dt.datetime) -> dt.datetime:
        """The first working instant at or after `moment`."""
        day = moment.date()
        tz = moment.tzinfo
        if self.is_working_day(day):
            start, end = self._bounds(day, tz)
            if moment < start:
                return start
            if moment < end:
                return moment
        return self._bounds(self.next_working_day(day), tz)[0]

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """`start` plus `minutes` of working time; a deadline that falls on a day's end stays on that day."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        moment = self.clamp(start)
        remaining = minutes
        while True:
            _, end = self._bounds(moment.date(), moment.tzinfo)
            left_today = int((end - moment).total_seconds() // 60)
            if remaining <= left_today:
                return moment + dt.timedelta(minutes=remaining)
            remaining -= left_today
            moment = self._bounds(self.next_working_day(moment.date()), moment.tzinfo)[0]

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working minutes in [start, end); what a paused clock must be moved by when it resumes."""
        if end <= start:
            return 0
        total = 0
        moment = self.clamp(start)
        while moment < end:
            _, day_end = self._bounds(moment.date(), moment.tzinfo)
            total += int((min(day_end, end) - moment).total_seconds() // 60)
            if end <= day_end:
                break
            moment = self._bounds(self.next_working_day(moment.date()), moment.tzinfo)[0]
        return total

    def deadline(self, start: dt.datetime, amount: int, unit: Unit | str) -> dt.datetime:
        unit = Unit(unit)
        if unit is Unit.SAME_DAY:
            moment = self.clamp(start)
            return self._bounds(moment.date(), moment.tzinfo)[1]
        if unit is Unit.WORKING_HOURS:
            return self.add_working_minutes(start, amount * 60)
        return self.add_working_minutes(start, amount * self.minutes_per_day)


def calendar_from(
    *,
    workday_start: tuple[int, int],
    workday_end: tuple[int, int],
    overrides: Iterable[tuple[dt.date, bool]] = (),
    covered_years: Iterable[int] = (),
) -> WorkingCalendar:
    return WorkingCalendar(
        workday_start=dt.time(*workday_start),
        workday_end=dt.time(*workday_end),
        overrides=dict(overrides),
        covered_years=frozenset(covered_years),
    )
