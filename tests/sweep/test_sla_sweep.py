"""The SLA sweep: due times across a holiday with a make-up working day, flags once, fixed statements."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from complaints.actions import Intake, confirm_read_back, record_complaint
from complaints.lifecycle import ClockEvent
from complaints.models import Event, Severity
from demo.reference import load_reference_data
from demo.users import load_demo_users
from followup.models import Notification
from followup.sweep import sla_sweep
from routing.actions import claim, dispatch
from routing.models import Category

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Friday before the 2026 Spring Festival (holiday 15-23 Feb); Saturday 14 Feb is a make-up working day.
FRIDAY = dt.datetime(2026, 2, 13, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def users(db):
    load_reference_data()
    return load_demo_users()


def important_complaint(users, *, account="13900000001", now=FRIDAY, claimed=True):
    category = Category.objects.get(code="billing_dispute")
    complaint = record_complaint(
        Intake(account=account, contact_number=account, category=category, description="扣费", demand="退费",
               severity=Severity.IMPORTANT, severity_reason="高额扣费"), by=users["agent1"], now=now)
    complaint = confirm_read_back(complaint, by=users["agent1"], now=now)
    order = dispatch(complaint, team=category.default_team, by=users["agent1"], now=now)
    if claimed:
        order = claim(order, by=users["billing1"], now=now)
    return complaint, order


def test_due_times_skip_the_holiday_and_land_on_the_make_up_saturday(users):
    complaint, order = important_complaint(users)
    assert order.due_at.astimezone(SHANGHAI) == dt.datetime(2026, 2, 14, 10, 0, tzinfo=SHANGHAI)
    assert complaint.promised_reply_at.astimezone(SHANGHAI) == dt.datetime(2026, 2, 24, 10, 0, tzinfo=SHANGHAI)
    assert complaint.legal_deadline_at == FRIDAY + dt.timedelta(days=15)


def test_sweep_flags_exactly_the_overdue_clocks_once(users):
    complaint, order = important_complaint(users)
    important_complaint(users, account="13900000002", now=FRIDAY + dt.timedelta(hours=6))  # not yet due
    saturday = dt.datetime(2026, 2, 14, 11, 0, tzinfo=SHANGHAI)

    flagged = sla_sweep(now=saturday)

    assert flagged[ClockEvent.ORDER_BREACHED] == 1
    assert sum(flagged.values()) == 1  # the second order (due Saturday 16:00) is not at risk before 14:12
    order.refresh_from_db()
    assert order.breached_at == saturday
    event = Event.objects.get(kind=ClockEvent.ORDER_BREACHED)
    assert event.work_order_id == order.pk and event.actor is None and event.origin == "sla-sweep"
    reminded = set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))
    assert reminded == {"billing1", "agent1", "supervisor1"}  # handler, first-contact owner, escalation

    again = sla_sweep(now=saturday + dt.timedelta(minutes=15))
    assert sum(again.values()) == 0
    later = sla_sweep(now=dt.datetime(2026, 2, 14, 14, 30, tzinfo=SHANGHAI))
    assert later[ClockEvent.ORDER_AT_RISK] == 1 and later[ClockEvent.ORDER_BREACHED] == 0
    assert Event.objects.filter(origin="sla-sweep").count() == 2


def test_reply_clock_goes_at_risk_then_breached(users):
    complaint, _order = important_complaint(users)
    risk = complaint.reply_risk_from.astimezone(SHANGHAI)
    assert dt.datetime(2026, 2, 14, 9, tzinfo=SHANGHAI) < risk < dt.datetime(2026, 2, 24, 10, tzinfo=SHANGHAI)
    assert sla_sweep(now=risk - dt.timedelta(minutes=1))[ClockEvent.REPLY_AT_RISK] == 0
    assert sla_sweep(now=risk)[ClockEvent.REPLY_AT_RISK] == 1
    late = dt.datetime(2026, 2, 24, 10, 1, tzinfo=SHANGHAI)
    flagged = sla_sweep(now=late)
    assert flagged[ClockEvent.REPLY_BREACHED] == 1 and flagged[ClockEvent.REPLY_AT_RISK] == 0
    complaint.refresh_from_db()
    assert complaint.reply_breached_at == late


def test_legal_deadline_warns_at_day_ten_and_breaches_at_day_fifteen(users):
    complaint, _order = important_complaint(users)
    assert sla_sweep(now=FRIDAY + dt.timedelta(days=10, minutes=1))[ClockEvent.LEGAL_WARNING] == 1
    assert sla_sweep(now=FRIDAY + dt.timedelta(days=15, minutes=1))[ClockEvent.LEGAL_BREACHED] == 1


def test_paused_orders_are_not_flagged(users):
    from routing.actions import request_information

    _complaint, order = important_complaint(users)
    request_information(order, question="哪个月？", by=users["billing1"], now=FRIDAY + dt.timedelta(hours=1))
    assert sla_sweep(now=dt.datetime(2026, 2, 24, 9, tzinfo=SHANGHAI))[ClockEvent.ORDER_BREACHED] == 0


def test_sweep_issues_the_same_number_of_statements_whatever_the_number_of_complaints(users):
    counts = []
    for batch in (1, 12):
        for i in range(batch):
            important_complaint(users, account=f"1391{batch:02d}{i:05d}")
        with CaptureQueriesContext(connection) as captured:
            flagged = sla_sweep(now=dt.datetime(2026, 3, 20, 10, tzinfo=SHANGHAI))
        assert flagged[ClockEvent.ORDER_BREACHED] == batch
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_management_command_runs_the_sweep(users, capsys):
    important_complaint(users)
    call_command("sla_sweep", now="2026-02-14T11:00:00+08:00")
    out = capsys.readouterr().out
    assert "order_breached: 1" in out
    call_command("sla_sweep", now="2026-02-14T11:00:00+08:00")
    assert "total flagged: 0" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_flag_each_clock_once():
    load_reference_data()
    users = load_demo_users()
    for i in range(5):
        important_complaint(users, account=f"1392000000{i}")
    moment = dt.datetime(2026, 3, 20, 10, tzinfo=SHANGHAI)
    barrier = threading.Barrier(2)
    results = []

    def run(offset):
        try:
            barrier.wait()
            results.append(sla_sweep(now=moment + dt.timedelta(seconds=offset)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[ClockEvent.ORDER_BREACHED] for r in results) == [0, 5]
    assert Event.objects.filter(kind=ClockEvent.ORDER_BREACHED).count() == 5


def test_a_reopened_round_does_not_breach_the_legal_deadline_again(users):
    from followup.actions import approve_result, reply, return_visit
    from routing.actions import return_result

    complaint, order = important_complaint(users)
    order = return_result(order, findings="f", substantiated=True, actions_taken="a", proposed_answer="p",
                          root_cause="r", by=users["billing1"], now=FRIDAY + dt.timedelta(hours=2))
    approve_result(order, by=users["agent1"], now=FRIDAY + dt.timedelta(hours=3))
    reply(complaint, summary="已处理", by=users["agent1"], now=FRIDAY + dt.timedelta(hours=4))
    later = FRIDAY + dt.timedelta(days=20)
    return_visit(complaint, reached=True, problem_solved=False, satisfaction="dissatisfied", by=users["agent1"],
                 now=later)
    flagged = sla_sweep(now=later + dt.timedelta(hours=1))
    assert flagged[ClockEvent.LEGAL_BREACHED] == 0 and flagged[ClockEvent.LEGAL_WARNING] == 0
