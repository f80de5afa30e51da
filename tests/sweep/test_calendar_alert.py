"""A date outside the known calendar raises an alert for admins and is never a silent guess."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from demo.reference import load_reference_data
from demo.users import load_demo_users
from worktime import clocks
from worktime.models import CalendarGap, CoveredYear, WorkdayOverride

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_a_deadline_into_an_unknown_year_uses_monday_to_friday_and_records_the_gap():
    due = clocks.deadline(dt.datetime(2026, 12, 31, 10, tzinfo=SHANGHAI), 2, "working_days")
    assert due == dt.datetime(2027, 1, 4, 10, tzinfo=SHANGHAI)  # Fri 1 Jan counted, weekend skipped
    assert set(CalendarGap.objects.values_list("day", flat=True)) == {
        dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3), dt.date(2027, 1, 4)}
    clocks.deadline(dt.datetime(2026, 12, 31, 10, tzinfo=SHANGHAI), 2, "working_days")
    assert CalendarGap.objects.count() == 4  # recorded once


@pytest.mark.django_db
def test_admin_overrides_close_the_gap_and_change_the_deadline():
    WorkdayOverride.objects.create(day=dt.date(2027, 1, 1), is_working_day=False, reason="元旦")
    CoveredYear.objects.create(year=2027, note="国务院办公厅通知")
    due = clocks.deadline(dt.datetime(2026, 12, 31, 10, tzinfo=SHANGHAI), 2, "working_days")
    assert due == dt.datetime(2027, 1, 5, 10, tzinfo=SHANGHAI)
    assert list(clocks.known_gaps()) == []


def test_admin_home_shows_the_calendar_alert(client, db):
    load_reference_data()
    users = load_demo_users()
    clocks.deadline(dt.datetime(2026, 12, 31, 10, tzinfo=SHANGHAI), 2, "working_days")
    client.force_login(users["admin"])
    html = client.get(reverse("home")).content.decode()
    assert 'id="calendar-alert"' in html and "2027-01-04" in html
    client.force_login(users["agent1"])
    assert 'id="calendar-alert"' not in client.get(reverse("home")).content.decode()
