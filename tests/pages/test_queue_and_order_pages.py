"""The back-office queue and the work order page: visibility, actions, stale pages, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.actions import Intake, confirm_read_back, record_complaint
from complaints.lifecycle import Action, OrderState, Status
from demo.reference import load_reference_data
from demo.users import load_demo_users
from routing.actions import claim, dispatch, request_information
from routing.models import Category, Team, WorkOrder


@pytest.fixture
def users(db):
    load_reference_data()
    return load_demo_users()


def dispatched(users, *, code="billing_dispute", account="13500000001", by="agent1") -> WorkOrder:
    category = Category.objects.get(code=code)
    complaint = record_complaint(Intake(account=account, contact_number=account, category=category,
                                        description="多扣费。", demand="退费。"), by=users[by])
    complaint = confirm_read_back(complaint, by=users[by])
    return dispatch(complaint, team=category.default_team, by=users[by], initial_judgement="核查账单")


def post(client, order, verb, data=None, version=None):
    payload = {"version": order.version if version is None else version}
    payload.update({f"{verb}-{k}": v for k, v in (data or {}).items()})
    return client.post(reverse("routing:order_act", args=[order.pk, verb]), payload)


def test_queue_lists_unclaimed_first_by_due_time_then_own(client, users):
    orders = [dispatched(users, account=f"1350000000{i}") for i in range(3)]
    claim(orders[0], by=users["billing1"])
    client.force_login(users["billing1"])
    listed = list(client.get(reverse("routing:queue")).context["page"].rows)
    assert [o.pk for o in listed] == [orders[1].pk, orders[2].pk, orders[0].pk]


def test_queue_shows_only_the_users_teams_and_masks_numbers(client, users):
    dispatched(users, code="network_quality", account="13511112222")
    billing = dispatched(users, account="13533334444")
    client.force_login(users["billing1"])
    response = client.get(reverse("routing:queue"))
    assert [o.pk for o in response.context["page"].rows] == [billing.pk]
    html = response.content.decode()
    assert "135****4444" in html and "13533334444" not in html


def test_queue_filters_and_search(client, users):
    first = dispatched(users, account="13500000011")
    dispatched(users, account="13500000012")
    client.force_login(users["billing1"])
    by_account = client.get(reverse("routing:queue"), {"q": "13500000011"}).context["page"].rows
    assert [o.pk for o in by_account] == [first.pk]
    by_number = client.get(reverse("routing:queue"), {"q": first.complaint.number}).context["page"].rows
    assert [o.pk for o in by_number] == [first.pk]
    claimed = client.get(reverse("routing:queue"), {"state": OrderState.CLAIMED}).context["page"].rows
    assert list(claimed) == []
    partial = client.get(reverse("routing:queue"), {"q": "13500000011"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().strip().startswith('<section class="card" id="queue-table">')


def test_agents_have_no_queue(client, users):
    client.force_login(users["agent1"])
    assert client.get(reverse("routing:queue")).status_code == 403


@pytest.mark.parametrize("page_size", [3, 12])
def test_queue_query_count_is_fixed_whatever_the_page_size(client, users, page_size,
                                                            django_assert_max_num_queries):
    for i in range(page_size):
        dispatched(users, account=f"135100000{i:02d}")
    client.force_login(users["billing1"])
    client.get(reverse("routing:queue"))  # warm the session
    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("routing:queue"))
    assert len(response.context["page"].rows) == page_size
    assert len(captured.captured_queries) == QUEUE_QUERIES


# session, user, groups, teams and categories for the filters, the unclaimed slice (its ids, then its
# rows), the own slice's ids (its rows only when it has some), the page's teams and categories
# (prefetched once), bell; one more for handlers when the page has claimed orders.
QUEUE_QUERIES = 11


def test_claim_from_the_queue(client, users):
    order = dispatched(users)
    client.force_login(users["billing1"])
    response = post(client, order, "claim")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.CLAIMED and order.claimed_by == users["billing1"]
    assert order.complaint.events.filter(kind=Action.CLAIM).count() == 1


def test_claim_of_an_order_someone_else_claimed_says_who(client, users):
    order = dispatched(users)
    colleague = users["billing1"].__class__.objects.create_user("billing2", first_name="孙悦")
    colleague.groups.add(*users["billing1"].groups.all())
    Team.objects.get(code="billing").memberships.create(user=colleague)
    stale_version = order.version
    claim(order, by=colleague)
    client.force_login(users["billing1"])
    response = post(client, order, "claim", version=stale_version)
    assert response.status_code == 302
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("孙悦" in m for m in messages)
    order.refresh_from_db()
    assert order.claimed_by == colleague


def test_a_stale_page_cannot_overwrite_newer_work(client, users):
    order = dispatched(users)
    claim(order, by=users["billing1"])
    order.refresh_from_db()
    stale = order.version
    request_information(order, question="哪个月？", by=users["billing1"])
    client.force_login(users["billing1"])
    response = post(client, order, "add_note", {"body": "处理中"}, version=stale)
    assert response.status_code == 302  # notes do not overwrite anything: accepted
    response = post(client, order, "transfer", {"team": Team.objects.get(code="business").pk, "reason": "x"},
                    version=stale)
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.state == OrderState.WAITING_INFO


def test_information_request_appears_on_the_agents_home_and_the_answer_returns_the_order(client, users):
    order = dispatched(users)
    claim(order, by=users["billing1"])
    order.refresh_from_db()
    client.force_login(users["billing1"])
    post(client, order, "request_information", {"question": "请确认账单月份。"})
    order.refresh_from_db()
    assert order.state == OrderState.WAITING_INFO and order.complaint.status == Status.WAITING_INFO
    client.force_login(users["agent1"])
    home = client.get(reverse("home"))
    assert [o.pk for o in home.context["information_requests"]] == [order.pk]
    assert "请确认账单月份。" in home.content.decode()
    post(client, order, "answer_information", {"answer": "十月账单。"})
    order.refresh_from_db()
    assert order.state == OrderState.CLAIMED and order.info_answer == "十月账单。"
    assert list(client.get(reverse("home")).context["information_requests"]) == []


def test_transfer_needs_a_reason_and_moves_the_order(client, users):
    order = dispatched(users)
    claim(order, by=users["billing1"])
    order.refresh_from_db()
    client.force_login(users["billing1"])
    business = Team.objects.get(code="business")
    response = post(client, order, "transfer", {"team": business.pk, "reason": ""})
    assert response.status_code == 422 and "reason" in response.context["forms"]["transfer"].errors
    response = post(client, order, "transfer", {"team": business.pk, "reason": "需要业务受理退订"})
    assert response.status_code == 302
    successor = WorkOrder.objects.get(transferred_from=order)
    assert successor.team == business and successor.state == OrderState.QUEUED
    assert client.get(reverse("routing:order", args=[successor.pk])).status_code == 404  # not billing's any more


def test_return_result_with_an_empty_field_keeps_what_was_typed(client, users):
    order = dispatched(users)
    claim(order, by=users["billing1"])
    order.refresh_from_db()
    client.force_login(users["billing1"])
    response = post(client, order, "return_result", {"findings": "确有多扣。", "substantiated": "yes",
                                                     "proposed_answer": "", "root_cause": "计费规则错误"})
    assert response.status_code == 422
    assert "确有多扣。" in response.content.decode()
    response = post(client, order, "return_result", {"findings": "确有多扣。", "substantiated": "yes",
                                                     "proposed_answer": "退还30元。", "root_cause": "计费规则错误"})
    order.refresh_from_db()
    assert order.state == OrderState.RETURNED and order.substantiated is True
    assert order.complaint.status == Status.UNDER_REVIEW


def test_other_team_cannot_see_or_act_on_an_order(client, users):
    order = dispatched(users)
    client.force_login(users["network1"])
    assert client.get(reverse("routing:order", args=[order.pk])).status_code == 404
    assert post(client, order, "claim").status_code == 404


def test_order_page_shows_history_in_time_order(client, users):
    order = dispatched(users)
    claim(order, by=users["billing1"])
    client.force_login(users["billing1"])
    response = client.get(reverse("routing:order", args=[order.pk]))
    kinds = [e.kind for e in response.context["history"]]
    assert kinds == [Action.DISPATCH, Action.CLAIM]
    assert set(response.context["verbs"]) >= {"release", "request_information", "transfer", "send_back",
                                               "request_suspension", "return_result", "add_note", "urge"}


def test_supervisor_approves_a_suspension_from_the_order_page(client, users):
    order = dispatched(users)
    claim(order, by=users["billing1"])
    order.refresh_from_db()
    client.force_login(users["billing1"])
    post(client, order, "request_suspension", {"reason": "等待银行回执"})
    order.refresh_from_db()
    client.force_login(users["supervisor1"])
    assert "approve_suspension" in client.get(reverse("routing:order", args=[order.pk])).context["verbs"]
    post(client, order, "approve_suspension")
    order.refresh_from_db()
    assert order.state == OrderState.SUSPENDED and order.paused_at is not None


def test_queue_pages_run_from_the_unclaimed_orders_into_the_users_own(users):
    from routing.queries import queue_page

    orders = [dispatched(users, account=f"1352000000{i}") for i in range(5)]
    for order in orders[3:]:
        claim(order, by=users["billing1"])
    pages = [queue_page(users["billing1"], {"page": str(n)}, size=2)[1] for n in (1, 2, 3, 4)]
    assert [[o.pk for o in p.rows] for p in pages] == [
        [orders[0].pk, orders[1].pk], [orders[2].pk, orders[3].pk], [orders[4].pk], []]
    assert [p.has_next for p in pages] == [True, True, False, False]
