"""A new user's first minutes: each role logs in and finds their home page, in both languages."""

from __future__ import annotations

from complaints.lifecycle import Status
from complaints.models import Complaint


def test_agent_sees_their_complaints_and_opens_one(page, live_server, demo_data, log_in, screenshot):
    log_in("agent1")
    rows = page.locator("#my-complaints tbody tr")
    owned = Complaint.objects.filter(first_contact_owner=demo_data["agent1"]).count()
    assert rows.count() == owned > 0
    assert page.locator("#team-queue").count() == 0
    assert page.locator("#configuration").count() == 0
    assert page.get_attribute("html", "lang") == "zh-hans"
    screenshot("home-agent-zh")

    first = Complaint.objects.filter(first_contact_owner=demo_data["agent1"], status=Status.CLOSED).first()
    page.click(f"text={first.number}")
    page.wait_for_url(f"**/complaints/{first.pk}/")
    history = page.locator("#complaint-history tbody tr")
    assert history.count() == first.events.count()
    assert first.get_status_display() in page.inner_text("h1")
    screenshot("complaint-detail-zh")


def test_language_switch_turns_the_page_english(page, live_server, demo_data, log_in, screenshot):
    log_in("agent1")
    page.select_option("#language", "en")
    page.wait_for_load_state("networkidle")
    assert "My complaints" in page.inner_text("#my-complaints h2")
    assert page.get_attribute("html", "lang") == "en"
    screenshot("home-agent-en")


def test_backoffice_sees_their_team_queue_only(page, live_server, demo_data, log_in, screenshot):
    log_in("billing1")
    rows = page.locator("#team-queue tbody tr")
    assert rows.count() > 0
    texts = rows.all_inner_texts()
    assert all("计费账务" in text for text in texts)
    assert page.locator("#my-complaints").count() == 0
    screenshot("home-billing-zh")


def test_supervisor_sees_overview_and_overdue(page, live_server, demo_data, log_in, screenshot):
    log_in("supervisor1")
    tiles = page.locator("#centre-overview .tiles li")
    assert tiles.count() == len(Status)
    closed = Complaint.objects.filter(status=Status.CLOSED).count()
    assert str(closed) in tiles.nth(list(Status).index(Status.CLOSED)).inner_text()
    screenshot("home-supervisor-zh")


def test_admin_reaches_the_configuration(page, live_server, demo_data, log_in, screenshot):
    log_in("admin")
    links = page.locator("#configuration a")
    assert links.count() == 5
    page.click("#configuration a >> nth=1")
    page.wait_for_url("**/admin/routing/category/")
    assert page.locator("#result_list tbody tr").count() == 9
    screenshot("admin-categories")
