"""List endpoints read a fixed number of times whatever the page size (STYLE.md: list endpoints)."""

from __future__ import annotations

import pytest

from complaints.lifecycle import OrderState

# Token + user, the user's groups (roles), then the page itself.
LIST_QUERIES = 3


@pytest.fixture
def many(story):
    for _ in range(12):
        story.order_in(OrderState.CLAIMED)


@pytest.mark.parametrize("size", [5, 50])
def test_complaint_list_query_count(api, many, django_assert_num_queries, size):
    client = api.agent
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"/api/v1/complaints/?page_size={size}&status=in_progress")
    assert len(response.json()["results"]) == min(size, 12)


@pytest.mark.parametrize("size", [5, 50])
def test_work_order_list_query_count(api, many, django_assert_num_queries, size):
    client = api.billing
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"/api/v1/work-orders/?page_size={size}&state=claimed")
    assert len(response.json()["results"]) == min(size, 12)


def test_complaint_detail_reads_a_fixed_number_of_times(api, story, django_assert_num_queries):
    case = story.order_in(OrderState.CLAIMED)
    client = api.agent
    # token, roles, visibility, then the complaint with its events, orders, notes and attachments
    with django_assert_num_queries(8):
        client.get(f"/api/v1/complaints/{case.complaint.pk}/")
