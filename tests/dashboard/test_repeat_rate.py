"""The repeat rate read from the customer history equals the rate counted from its definition."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from complaints.actions import Intake, confirm_read_back, record_complaint
from complaints.history import recompute_customer_history
from complaints.models import Complaint
from demo.reference import load_reference_data
from demo.users import load_demo_users
from followup.dashboard import Scope, customer_figures_counted, customer_figures_of
from routing.models import Category
from tests.dashboard.conftest import SH

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH)


@pytest.fixture
def history(db):
    """Six customers, three categories, forty complaints received over three weeks, read back in a
    shuffled order (a receipt may land before complaints already received)."""
    load_reference_data()
    agent = load_demo_users()["agent1"]
    categories = list(Category.objects.filter(parent__isnull=False)[:3]) or list(Category.objects.all()[:3])
    rng = random.Random(7)
    moments = sorted(START + dt.timedelta(hours=rng.randrange(21 * 24)) for _ in range(40))
    plans = [(moment, f"1390000000{rng.randrange(6)}", rng.choice(categories)) for moment in moments]
    rng.shuffle(plans)
    for moment, account, category in plans:
        complaint = record_complaint(Intake(account=account, contact_number=account, category=category,
                                            description="d", demand="x"), by=agent, now=moment)
        confirm_read_back(complaint, by=agent, now=moment)
    return categories


def periods():
    rng = random.Random(11)
    for _ in range(25):
        start = dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(22))
        yield Scope(start=start, end=start + dt.timedelta(days=rng.randrange(1, 15)))
    yield Scope(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))


def test_the_history_gives_the_counts_of_the_definition(history):
    assert Complaint.objects.filter(category_previous_at__isnull=False).exists()
    assert Complaint.objects.filter(earlier_repeat_started_at__isnull=False).exists()
    seen_repeats = 0
    for period in periods():
        for scope in [period, *(replace(period, category=c) for c in history)]:
            direct = customer_figures_counted(scope)
            assert customer_figures_of(scope) == direct, scope
            seen_repeats += direct["repeat_customers"]
    assert seen_repeats > 0  # the data set has repeaters in many periods


def test_recomputing_every_customer_changes_nothing(history):
    columns = ("pk", "customer_previous_at", "category_previous_at", "category_second_previous_at",
               "earlier_repeat_started_at")
    before = set(Complaint.objects.values_list(*columns))
    recompute_customer_history()
    assert set(Complaint.objects.values_list(*columns)) == before
