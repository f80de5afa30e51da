"""The role home pages and the complaint page: who sees what, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.lifecycle import OrderState, Status
from complaints.models import Complaint
from demo.reference import load_reference_data
from demo.scenarios import load_demo_complaints
from demo.users import load_demo_users
from routing.models import WorkOrder


@pytest.fixture
def demo(db):
    load_reference_data()
    users = load_demo_users()
    load_demo_complaints(users)
    return users


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_agent_home_lists_only_their_own_complaints(client, demo):
    client.force_login(demo["agent1"])
    response = client.get(reverse("home"))
    listed = {c.pk for c in response.context["my_complaints"]}
    assert listed == set(Complaint.objects.filter(first_contact_owner=demo["agent1"]).values_list("pk", flat=True))
    assert "queue" not in response.context and "status_counts" not in response.context


def test_agent_home_lists_open_complaints_before_closed_ones(client, demo):
    client.force_login(demo["agent1"])
    statuses = [c.status for c in client.get(reverse("home")).context["my_complaints"]]
    first_final = next(i for i, s in enumerate(statuses) if s in (Status.CLOSED, Status.VOIDED, Status.REJECTED))
    assert all(s in (Status.CLOSED, Status.VOIDED, Status.REJECTED) for s in statuses[first_final:])


def test_backoffice_home_shows_their_teams_open_orders_unclaimed_first(client, demo):
    client.force_login(demo["billing1"])
    queue = list(client.get(reverse("home")).context["queue"])
    assert queue and {o.team.code for o in queue} == {"billing"}
    states = [o.state for o in queue]
    assert states == sorted(states, key=lambda s: s != OrderState.QUEUED)
    assert all(o.claimed_by_id in (None, demo["billing1"].pk) for o in queue)


def test_backoffice_cannot_open_a_complaint_of_another_team(client, demo):
    network_only = WorkOrder.objects.filter(team__code="network").exclude(
        complaint__work_orders__team__code="billing").first()
    client.force_login(demo["billing1"])
    assert client.get(reverse("followup:complaint", args=[network_only.complaint_id])).status_code == 404
    client.force_login(demo["network1"])
    assert client.get(reverse("followup:complaint", args=[network_only.complaint_id])).status_code == 200


def test_supervisor_overview_counts_match_the_database(client, demo):
    client.force_login(demo["supervisor1"])
    counts = dict((s.value, n) for s, n in client.get(reverse("home")).context["status_counts"])
    for status in Status:
        assert counts[status] == Complaint.objects.filter(status=status).count()


def test_complaint_page_shows_every_event_in_time_order(client, demo):
    complaint = Complaint.objects.filter(status=Status.CLOSED).first()
    client.force_login(demo["agent2"])
    response = client.get(reverse("followup:complaint", args=[complaint.pk]))
    history = list(response.context["history"])
    assert [e.pk for e in history] == list(complaint.events.order_by("at", "pk").values_list("pk", flat=True))
    assert [e.at for e in history] == sorted(e.at for e in history)
    assert complaint.customer.account not in response.content.decode()  # numbers are masked


@pytest.mark.parametrize("username", ["agent1", "billing1", "supervisor1"])
def test_home_page_query_count_does_not_grow_with_the_data(client, demo, username, django_assert_max_num_queries):
    client.force_login(demo[username])
    with django_assert_max_num_queries(13) as first:
        client.get(reverse("home"))
    load_demo_complaints_again(demo)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("home"))


def load_demo_complaints_again(users) -> None:
    Complaint.objects.filter(intake_key__startswith="demo-").update(intake_key=None)
    load_demo_complaints(users)
