"""Working-time arithmetic over mainland China's calendar (holidays and 调休 make-up working days)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from worktime import clocks
from worktime.calendar import WorkingCalendar, calendar_from, published_working_day
from worktime.models import CalendarGap, CoveredYear, WorkdayOverride

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def calendar(**kwargs) -> WorkingCalendar:
    return calendar_from(workday_start=(9, 0), workday_end=(18, 0), **kwargs)


# --- the published calendar -----------------------------------------------------------------------


def test_national_day_2025_ends_on_a_make_up_saturday():
    assert [published_working_day(day(f"2025-10-{d:02d}")) for d in range(1, 12)] == [
        False, False, False, False, False, False, False, False, True, True, True]
    assert day("2025-10-11").weekday() == 5  # a Saturday, worked


def test_three_working_days_from_the_eve_of_national_day_land_on_the_make_up_saturday():
    # Tuesday 30 Sep 10:00: 8h that day, 9h on Thursday 9 Oct and Friday 10 Oct, the last hour on Saturday 11 Oct
    assert calendar().deadline(at(2025, 9, 30, 10, 0), 3, "working_days") == at(2025, 10, 11, 10, 0)


def test_spring_festival_2026_matches_the_state_council_notice():
    holiday = [day("2026-02-15") + dt.timedelta(days=n) for n in range(9)]  # 15..23 Feb
    assert all(published_working_day(d) is False for d in holiday)
    for make_up in ("2026-02-14", "2026-02-28"):  # Saturdays worked
        assert day(make_up).weekday() == 5 and published_working_day(day(make_up)) is True
    assert published_working_day(day("2026-02-24")) is True


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (at(2026, 2, 13, 10, 0), 1, at(2026, 2, 14, 10, 0)),  # Friday -> the make-up Saturday
        (at(2026, 2, 13, 10, 0), 2, at(2026, 2, 24, 10, 0)),  # over the whole holiday
        (at(2026, 2, 14, 10, 0), 1, at(2026, 2, 24, 10, 0)),
        (at(2026, 2, 15, 10, 0), 1, at(2026, 2, 24, 18, 0)),  # from within the holiday: a whole first day
        (at(2026, 2, 27, 10, 0), 1, at(2026, 2, 28, 10, 0)),  # Friday -> the second make-up Saturday
    ],
)
def test_deadlines_across_the_2026_spring_festival(start, days, due):
    assert calendar().deadline(start, days, "working_days") == due


def test_the_end_of_the_year_skips_new_years_day_and_lands_on_the_make_up_sunday():
    assert [published_working_day(day(d)) for d in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04")] == [
        False, False, False, True]
    assert calendar().deadline(at(2025, 12, 31, 10, 0), 1, "working_days") == at(2026, 1, 4, 10, 0)


# --- working hours and days --------------------------------------------------------------------


def test_working_hours_continue_the_next_working_day():
    assert calendar().deadline(at(2025, 6, 9, 16, 0), 4, "working_hours") == at(2025, 6, 10, 11, 0)


def test_working_hours_from_friday_afternoon_continue_on_monday():
    assert calendar().deadline(at(2025, 6, 13, 16, 0), 4, "working_hours") == at(2025, 6, 16, 11, 0)


def test_a_deadline_at_the_end_of_a_day_stays_on_that_day():
    # 2 working days from Monday 09:00 is Tuesday 18:00, not Wednesday 09:00
    assert calendar().deadline(at(2025, 6, 9, 9, 0), 2, "working_days") == at(2025, 6, 10, 18, 0)


def test_a_start_outside_working_hours_counts_from_the_next_working_start():
    cal = calendar()
    assert cal.deadline(at(2025, 6, 9, 7, 30), 1, "working_hours") == at(2025, 6, 9, 10, 0)
    assert cal.deadline(at(2025, 6, 9, 20, 0), 1, "working_hours") == at(2025, 6, 10, 10, 0)
    assert cal.deadline(at(2025, 6, 14, 12, 0), 1, "working_hours") == at(2025, 6, 16, 10, 0)  # Saturday


def test_same_day_means_the_end_of_the_current_or_next_working_day():
    cal = calendar()
    assert cal.deadline(at(2025, 6, 9, 10, 0), 0, "same_day") == at(2025, 6, 9, 18, 0)
    assert cal.deadline(at(2025, 6, 9, 19, 0), 0, "same_day") == at(2025, 6, 10, 18, 0)


def test_working_minutes_between_skip_the_weekend():
    cal = calendar()
    assert cal.working_minutes_between(at(2025, 6, 13, 17, 0), at(2025, 6, 16, 10, 0)) == 120
    assert cal.working_minutes_between(at(2025, 6, 14, 8, 0), at(2025, 6, 15, 20, 0)) == 0  # all weekend
    assert cal.working_minutes_between(at(2025, 6, 9, 9, 0), at(2025, 6, 10, 18, 0)) == 2 * 540
    assert cal.working_minutes_between(at(2025, 6, 10, 9, 0), at(2025, 6, 9, 9, 0)) == 0


def test_working_minutes_between_and_adding_them_agree():
    cal = calendar()
    start = at(2026, 2, 12, 15, 20)
    due = cal.add_working_minutes(start, 1234)
    assert cal.working_minutes_between(start, due) == 1234


def test_refuses_negative_working_time():
    with pytest.raises(ValueError):
        calendar().add_working_minutes(at(2025, 6, 9, 10, 0), -1)


# --- overrides and unknown years ---------------------------------------------------------------


def test_an_admins_override_wins_over_the_package():
    extra_holiday = calendar(overrides=[(day("2025-06-10"), False)])
    assert extra_holiday.deadline(at(2025, 6, 9, 10, 0), 1, "working_days") == at(2025, 6, 11, 10, 0)
    extra_working_day = calendar(overrides=[(day("2025-06-14"), True)])
    assert extra_working_day.deadline(at(2025, 6, 13, 10, 0), 1, "working_days") == at(2025, 6, 14, 10, 0)
    national_day_worked = calendar(overrides=[(day("2025-10-08"), True)])
    assert national_day_worked.deadline(at(2025, 9, 30, 10, 0), 1, "working_days") == at(2025, 10, 8, 10, 0)


def test_a_date_the_package_does_not_know_uses_monday_to_friday_and_is_recorded():
    assert published_working_day(day("2027-01-01")) is None
    cal = calendar()
    # Thursday 31 Dec 2026 is known; Friday 1 Jan 2027 is not, and counts as a working day
    assert cal.deadline(at(2026, 12, 31, 10, 0), 1, "working_days") == at(2027, 1, 1, 10, 0)
    assert cal.unknown_days == {day("2027-01-01")}
    assert cal.deadline(at(2027, 1, 8, 10, 0), 1, "working_days") == at(2027, 1, 11, 10, 0)  # Fri -> Mon
    assert {day("2027-01-09"), day("2027-01-10"), day("2027-01-11")} <= cal.unknown_days


def test_a_year_an_admin_has_entered_is_no_longer_unknown():
    cal = calendar(covered_years=[2027], overrides=[(day("2027-01-01"), False)])
    assert cal.deadline(at(2026, 12, 31, 10, 0), 1, "working_days") == at(2027, 1, 4, 10, 0)
    assert cal.unknown_days == set()


# --- the clocks the actions use (calendar from the database) --------------------------------------


@pytest.mark.django_db
def test_clocks_read_the_overrides_from_the_database():
    WorkdayOverride.objects.create(day=day("2025-06-10"), is_working_day=False, reason="台风停工")
    assert clocks.deadline(at(2025, 6, 9, 10, 0), 1, "working_days") == at(2025, 6, 11, 10, 0)


@pytest.mark.django_db
def test_clocks_raise_the_calendar_alert_for_unknown_dates_until_the_year_is_entered():
    clocks.deadline(at(2026, 12, 31, 10, 0), 1, "working_days")
    clocks.deadline(at(2026, 12, 31, 11, 0), 1, "working_days")  # recorded once
    assert list(CalendarGap.objects.values_list("day", flat=True)) == [day("2027-01-01")]
    assert [g.day for g in clocks.known_gaps()] == [day("2027-01-01")]

    CoveredYear.objects.create(year=2027, note="国务院办公厅通知")
    assert not clocks.known_gaps().exists()


def test_the_legal_deadline_is_fifteen_calendar_days_and_ignores_holidays():
    assert clocks.legal_deadline(at(2026, 2, 13, 10, 0)) == at(2026, 2, 28, 10, 0)


@pytest.mark.django_db
def test_a_clock_is_at_risk_after_80_percent_of_its_working_time():
    # Friday 13 Feb 2026 10:00 to Saturday 14 Feb 10:00 is 9 working hours; 80% is 7h12m
    assert clocks.at_risk_point(at(2026, 2, 13, 10, 0), at(2026, 2, 14, 10, 0)) == at(2026, 2, 13, 17, 12)
    # Friday 16:00 to the make-up Saturday 16:00: 2h on Friday, then 5h12m into Saturday
    assert clocks.at_risk_point(at(2026, 2, 13, 16, 0), at(2026, 2, 14, 16, 0)) == at(2026, 2, 14, 14, 12)
