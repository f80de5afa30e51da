"""What other systems bring in, seen in the browser: a CRM's ticket on the agent's worklist, and the
API's interactive docs served by the app itself (no CDN)."""

from __future__ import annotations

from urllib.parse import urlsplit

from rest_framework.test import APIClient

from demo.users import SYSTEM_USER, system_token


def test_a_ticket_from_the_crm_is_on_every_agents_worklist(page, live_server, demo_data, log_in, screenshot):
    crm = APIClient()
    crm.credentials(HTTP_AUTHORIZATION=f"Token {system_token()}")
    created = crm.post("/tmf-api/troubleTicket/v4/troubleTicket", {
        "description": "宽带每晚 8 点后断线，已持续三天。", "severity": "general", "ticketType": "broadband_home",
        "relatedParty": [{"id": "13912345678", "role": "customer", "@referredType": "Customer"}],
    }, format="json")
    assert created.status_code == 201, created.content
    number = created.json()["id"]
    assert demo_data[SYSTEM_USER].username == SYSTEM_USER

    log_in("agent2")
    bucket = page.locator("#bucket-from_systems")
    assert number in bucket.inner_text()
    screenshot("home-agent-crm-ticket-zh")
    bucket.get_by_text(number).click()
    page.wait_for_url("**/complaints/*/")
    assert number in page.inner_text("h1")


def test_the_api_docs_load_from_this_server_only(page, live_server, demo_data, log_in, screenshot):
    log_in("agent1")
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/complaints/{id}/dispatch/" in p for p in paths)
    assert hosts == {urlsplit(live_server.url).hostname}
    screenshot("api-docs")
