"""The supervisor's dashboard in the browser: figures, drill-down, reassign in place, both languages."""

from __future__ import annotations

from django.utils import timezone

from complaints.lifecycle import Action
from followup.sweep import sla_sweep
from routing.models import WorkOrder


def test_supervisor_reads_the_dashboard_drills_into_breaches_and_reassigns(page, live_server, demo_data, log_in,
                                                                          screenshot):
    sla_sweep(now=timezone.now())
    log_in("supervisor1")
    page.click("#nav-dashboard")
    page.wait_for_url("**/dashboard/")
    breached = int(page.inner_text("#kpi-breached-open"))
    assert breached > 0
    screenshot("dashboard-zh")

    page.click("#kpi-breached-open")
    page.wait_for_url("**/dashboard/list/**")
    assert page.locator("#drill-rows tbody tr").count() == breached
    screenshot("dashboard-drill-breached")

    page.go_back()
    page.wait_for_url("**/dashboard/")
    row = page.locator("#act-now tbody tr").first
    order_pk = int(row.get_attribute("id").removeprefix("act-"))
    order = WorkOrder.objects.get(pk=order_pk)
    members = list(order.team.memberships.values_list("user_id", flat=True))
    page.select_option(f"#reassign-to-{order_pk}", str(members[0]))
    page.click(f"#reassign-{order_pk}")
    page.wait_for_url("**/dashboard/")
    order.refresh_from_db()
    assert order.claimed_by_id == members[0]
    assert order.complaint.events.filter(kind=Action.REASSIGN, actor=demo_data["supervisor1"]).count() == 1

    page.select_option("#language", "en")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "en"
    screenshot("dashboard-en")
