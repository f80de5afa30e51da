"""The one place the rest of the app asks for working-time deadlines."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from worktime.calendar import Unit, WorkingCalendar, calendar_from
from worktime.models import CalendarGap, CoveredYear, WorkdayOverride

LEGAL_DEADLINE_DAYS = 15
LEGAL_WARNING_DAYS = 10


def working_calendar() -> WorkingCalendar:
    """Loads the (small) override tables once per call site; the arithmetic then never queries."""
    return calendar_from(
        workday_start=settings.WORKDAY_START,
        workday_end=settings.WORKDAY_END,
        overrides=WorkdayOverride.objects.values_list("day", "is_working_day"),
        covered_years=CoveredYear.objects.values_list("year", flat=True),
    )


def report_unknown_days(calendar: WorkingCalendar) -> None:
    """Raises the alert for admins: the dates a deadline needed that no calendar knows."""
    if calendar.unknown_days:
        CalendarGap.objects.bulk_create([CalendarGap(day=day) for day in sorted(calendar.unknown_days)],
                                        ignore_conflicts=True)


def deadline(start: dt.datetime, amount: int, unit: Unit | str, *, calendar: WorkingCalendar | None = None) -> dt.datetime:
    calendar = calendar or working_calendar()
    local = timezone.localtime(start)
    due = calendar.deadline(local, amount, unit)
    report_unknown_days(calendar)
    return due


def legal_deadline(received_at: dt.datetime) -> dt.datetime:
    """15 calendar days from receipt (电信用户申诉处理办法); this clock never pauses."""
    return received_at + dt.timedelta(days=LEGAL_DEADLINE_DAYS)


AT_RISK_SHARE = 0.8


def at_risk_point(start: dt.datetime, due: dt.datetime, *, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When 80% of the working time between start and due is used: the clock is at risk from then."""
    calendar = calendar or working_calendar()
    start, due = timezone.localtime(start), timezone.localtime(due)
    used = int(calendar.working_minutes_between(start, due) * AT_RISK_SHARE)
    point = calendar.add_working_minutes(start, used) if used else start
    report_unknown_days(calendar)
    return point


def known_gaps():
    """Open calendar alerts: needed dates in years still unknown to both the package and the admins."""
    covered = CoveredYear.objects.values_list("year", flat=True)
    return CalendarGap.objects.exclude(day__year__in=covered).exclude(
        day__in=WorkdayOverride.objects.values_list("day", flat=True))
