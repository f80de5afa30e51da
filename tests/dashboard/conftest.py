"""The dashboard tests' hand-made data set (its figures are worked out in test_kpis.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from complaints.actions import Intake, confirm_read_back, record_complaint, resolve_on_the_spot
from demo.reference import load_reference_data
from demo.users import load_demo_users
from followup.actions import approve_result, close, reply, return_visit
from followup.dashboard import Scope
from followup.sweep import sla_sweep
from routing.actions import claim, dispatch, return_result, send_back
from routing.models import Category, Team

SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH)  # an ordinary working week
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=SH)
SCOPE = Scope(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20))


@pytest.fixture
def data(db):
    """Five complaints by four customers:

    A  13500000001 network, resolved on the spot, satisfied, closed          -> FCR
    B  13500000002 billing, dispatched, replied on time, satisfied, solved   -> on time
    C  13500000002 billing (same customer, same category: a repeat of B), resolved on the spot
       -> not FCR for B? No: B was not on the spot. C is on the spot but it *is* a repeat of B;
          FCR counts on-the-spot complaints with no repeat *of them* within 30 days: C counts.
    D  13500000003 network, dispatched, never replied, promise passes         -> late, breached
    E  13500000004 business, regulator transfer, dispatched then sent back    -> regulator, send-back
    """
    load_reference_data()
    users = load_demo_users()
    agent, supervisor = users["agent1"], users["supervisor1"]
    cat = {c.code: c for c in Category.objects.all()}

    def receive(account, code, at, **extra):
        c = record_complaint(Intake(account=account, contact_number=account, category=cat[code], description="d",
                                    demand="x", **extra), by=agent, now=at)
        return confirm_read_back(c, by=agent, now=at)

    a = receive("13500000001", "network_quality", MONDAY)
    resolve_on_the_spot(a, resolution="重启恢复", resolution_code="fixed", by=agent, now=MONDAY)
    return_visit(a, reached=True, problem_solved=True, satisfaction="satisfied", by=agent,
                 now=MONDAY + dt.timedelta(days=1))
    close(a, resolution_code="fixed", root_cause="终端", responsible_team=Team.objects.get(code="network"),
          by=agent, now=MONDAY + dt.timedelta(days=1))

    b = receive("13500000002", "billing_dispute", MONDAY)
    order = claim(dispatch(b, team=cat["billing_dispute"].default_team, by=agent, now=MONDAY), by=users["billing1"],
                  now=MONDAY)
    order = return_result(order, findings="f", substantiated=True, actions_taken="a", proposed_answer="p",
                          root_cause="计费规则", by=users["billing1"], now=MONDAY + dt.timedelta(hours=2))
    approve_result(order, by=agent, now=MONDAY + dt.timedelta(hours=3))
    reply(b, summary="已退费", by=agent, now=MONDAY + dt.timedelta(hours=4))
    return_visit(b, reached=True, problem_solved=True, satisfaction="basically", by=agent,
                 now=MONDAY + dt.timedelta(days=1))
    close(b, resolution_code="refunded", root_cause="计费规则", responsible_team=Team.objects.get(code="billing"),
          by=agent, now=MONDAY + dt.timedelta(days=1))

    c = receive("13500000002", "billing_dispute", MONDAY + dt.timedelta(days=2))
    resolve_on_the_spot(c, resolution="解释", resolution_code="explained", by=agent,
                        now=MONDAY + dt.timedelta(days=2))

    d = receive("13500000003", "network_quality", MONDAY + dt.timedelta(days=3))
    dispatch(d, team=cat["network_quality"].default_team, by=agent, now=MONDAY + dt.timedelta(days=3))

    e = receive("13500000004", "plans_orders", MONDAY + dt.timedelta(days=4), channel="regulator",
                regulator_case_number="工信部-1")
    order_e = dispatch(e, team=cat["plans_orders"].default_team, by=agent, now=MONDAY + dt.timedelta(days=4))
    send_back(order_e, reason="派错", by=supervisor, now=MONDAY + dt.timedelta(days=4, hours=1))
    sla_sweep(now=NOW)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}
