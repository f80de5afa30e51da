"""DOMAIN.md's KPI formulas on a small hand-made data set whose figures are worked out here."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from demo.reference import load_reference_data
from demo.users import load_demo_users
from followup.dashboard import Scope, drill_down, headline
from followup.sweep import sla_sweep
from routing.models import Team
from tests.dashboard.conftest import NOW, SCOPE


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
    with django_assert_max_num_queries(40) as captured:
        response = client.get(reverse("followup:dashboard"))
    assert response.status_code == 200
    assert len(captured.captured_queries) == DASHBOARD_QUERIES


# session, user, roles, scope form, the stored-days mark; headline: stored + live period figures, urged,
# breached and at risk now,
# open orders breached and at risk, breaches today, escalations, customers; trend (stored + 3 live), backlog, breaches
# (stored + live), top categories and root causes (stored + live each), act-now, bell.
DASHBOARD_QUERIES = 33


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


def test_backlog_ages_come_from_the_receipt_each_order_carries(data):
    """The backlog reads WorkOrder.complaint_received_at; it must bucket as the complaint's own receipt does."""
    from complaints.lifecycle import ACTIVE_ORDER
    from followup.dashboard import AGE_BUCKETS, backlog_by_age
    from routing.actions import copy_receipt_to_orders
    from routing.models import WorkOrder

    later = NOW + dt.timedelta(days=4, hours=3)
    expected: dict = {}
    for order in WorkOrder.objects.filter(state__in=list(ACTIVE_ORDER)).select_related("complaint"):
        assert order.complaint_received_at == order.complaint.received_at
        age = later - order.complaint.received_at
        name = next(n for n, lo, hi in AGE_BUCKETS
                    if age >= dt.timedelta(days=lo) and (hi is None or age < dt.timedelta(days=hi)))
        expected.setdefault(order.team_id, {n: 0 for n, _lo, _hi in AGE_BUCKETS})[name] += 1
    assert expected
    rows = backlog_by_age(SCOPE, later)
    assert {r["team"].pk: {n: r[n] for n, _lo, _hi in AGE_BUCKETS} for r in rows} == expected
    WorkOrder.objects.update(complaint_received_at=None)
    copy_receipt_to_orders()
    assert backlog_by_age(SCOPE, later) == rows
