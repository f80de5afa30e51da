"""DOMAIN.md's KPI formulas on a small hand-made data set whose figures are worked out here."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from complaints.actions import Intake, confirm_read_back, record_complaint, resolve_on_the_spot
from demo.reference import load_reference_data
from demo.users import load_demo_users
from followup.actions import approve_result, close, reply, return_visit
from followup.dashboard import Scope, drill_down, headline
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


def test_headline_figures_follow_the_domain_formulas(data):
    f = headline(SCOPE, NOW)
    assert f["received"] == 5
    # 一次解决率 = on the spot with no repeat within 30 days / all: A and C (C's own repeat? none) = 2/5.
    assert f["fcr"] == 2 and f["rates"]["fcr"] == 40.0
    # 处理及时率 = replied within the promise / due: due are B (replied), D and E (past their promise);
    # A and C were answered on the spot (replied at receipt, within their promise) and are due too.
    assert f["due"] == 5 and f["on_time"] == 3 and f["rates"]["on_time"] == 60.0
    # 重复投诉率 = customers with 2+ complaints on one category / complaining customers = 1/4.
    assert (f["repeat_customers"], f["customers"], f["rates"]["repeat"]) == (1, 4, 25.0)
    # 满意率 = (满意 + 基本满意) / successful return visits = 2/2; 解决率 = solved / closed = 2/2.
    assert f["rates"]["satisfaction"] == 100.0 and f["rates"]["resolution"] == 100.0
    assert f["regulator"] == 1
    # 退单率 = sent back / work orders dispatched = 1/3; 重派率 = 0/3.
    assert (f["orders"], f["sent_back"], f["rates"]["send_back"], f["rates"]["redispatch"]) == (3, 1, 33.3, 0.0)
    assert f["breached_open"] == 2  # D and E are open past their promise


def test_every_figure_drills_down_to_exactly_its_rows(data):
    f = headline(SCOPE, NOW)
    for metric in ["received", "fcr", "regulator", "due", "on_time", "closed", "solved", "breached_open"]:
        assert drill_down(metric, SCOPE, NOW).count() == f[metric], metric
    assert set(drill_down("fcr", SCOPE, NOW)) == {data["a"], data["c"]}
    assert set(drill_down("late", SCOPE, NOW)) == {data["d"], data["e"]}


def test_team_scope_counts_only_that_teams_complaints(data):
    billing = Scope(start=SCOPE.start, end=SCOPE.end, team=Team.objects.get(code="billing"))
    assert headline(billing, NOW)["received"] == 1  # B (C was never dispatched)


def test_dashboard_page_has_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    from demo.users import load_demo_users

    client.force_login(load_demo_users()["supervisor1"])
    client.get(reverse("followup:dashboard"))
    with django_assert_max_num_queries(30) as captured:
        response = client.get(reverse("followup:dashboard"))
    assert response.status_code == 200
    assert len(captured.captured_queries) == DASHBOARD_QUERIES


DASHBOARD_QUERIES = 25  # session, user, roles, scope form, 6 headline aggregates, trend, backlog, breaches, tops, act-now, bell


def test_exports_mask_numbers_and_hold_every_row(client, data):
    from demo.users import load_demo_users

    client.force_login(load_demo_users()["supervisor1"])
    params = {"metric": "received", "start": "2026-03-01", "end": "2026-03-20"}
    csv_body = b"".join(client.get(reverse("followup:drill_down"), {**params, "format": "csv"}).streaming_content)
    text = csv_body.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 5
    assert "135****0001" in text and "13500000001" not in text
    xlsx = client.get(reverse("followup:drill_down"), {**params, "format": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6 and "135****0002" in [r[5] for r in rows]


def test_agents_cannot_open_the_dashboard_and_team_leads_see_only_their_team(client, data):
    from demo.users import load_demo_users

    users = load_demo_users()
    client.force_login(users["agent1"])
    assert client.get(reverse("followup:dashboard")).status_code == 403
    client.force_login(users["billing1"])  # lead of billing
    response = client.get(reverse("followup:dashboard"))
    assert response.status_code == 200 and response.context["scope"].team.code == "billing"
    network = Team.objects.get(code="network")
    assert client.get(reverse("followup:dashboard"), {"team": network.pk}).context["scope"].team.code == "billing"


def test_breached_and_at_risk_figures_match_their_lists_on_the_demo_data(db):
    from django.utils import timezone

    from demo.scenarios import load_demo_complaints

    load_reference_data()
    load_demo_complaints(load_demo_users())
    now = timezone.now()
    sla_sweep(now=now)
    scope = Scope(start=timezone.localdate() - dt.timedelta(days=29), end=timezone.localdate())
    figures = headline(scope, now)
    for metric in ("breached_open", "at_risk", "breached_today", "received", "closed", "fcr", "urged", "escalated"):
        assert drill_down(metric, scope, now).count() == figures[metric], metric
