"""转派 to another team with a reason, and 退单 back to the agent as wrongly dispatched."""

from __future__ import annotations

import pytest

from complaints.errors import InvalidInput, NotPermitted
from complaints.lifecycle import Action, OrderState, Status
from routing.actions import dispatch, send_back, transfer
from tests.factories import order_starts, orders_status

OS = OrderState


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.TRANSFER))
def test_transfer_moves_the_order_to_the_other_teams_queue(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        successor = transfer(case.order, team=story.teams["network"], reason="实为网络问题。", by=people.billing,
                             now=story.tick())

    case.refresh()
    expected = orders_status(OS.TRANSFERRED, OS.QUEUED, other)
    assert (case.order.state, case.order.reason) == (OS.TRANSFERRED, "实为网络问题。")
    assert (successor.state, successor.team, successor.claimed_by) == (OS.QUEUED, story.teams["network"], None)
    assert successor.transferred_from == case.order
    assert successor.due_at == case.order.due_at  # the customer's clock keeps running as it was
    assert case.complaint.status == expected
    assert seen.new_orders == 1
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.TRANSFER, people.billing, status,
                                                                             expected)
    assert event.work_order == case.order and event.data["new_order"] == successor.pk
    assert seen.notified == {"network1"}


def test_supervisor_may_transfer_a_handlers_order(story, watch, people):
    case = story.order_in(OS.CLAIMED)
    with watch() as seen:
        transfer(case.order, team=story.teams["business"], reason="属于业务办理。", by=people.supervisor,
                 now=story.tick())
    assert seen.event.actor == people.supervisor
    assert seen.notified == {"business1"}


@pytest.mark.parametrize("intruder", ["network", "billing2"])
def test_refuses_transfer_by_someone_else_than_the_handler_or_the_team(story, watch, unchanged, people, intruder):
    case = story.order_in(OS.CLAIMED)  # billing1's
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(NotPermitted):
        transfer(case.order, team=story.teams["business"], reason="不归我们。", by=getattr(people, intruder),
                 now=story.tick())
    assert seen.events == []
    still()


@pytest.mark.parametrize(("team", "reason", "field"), [("network", " ", "reason"), ("billing", "换人处理。", "team")])
def test_refuses_transfer_without_a_reason_or_to_the_same_team(story, unchanged, people, team, reason, field):
    case = story.order_in(OS.CLAIMED)
    still = unchanged(case)
    with pytest.raises(InvalidInput) as refused:
        transfer(case.order, team=story.teams[team], reason=reason, by=people.billing, now=story.tick())
    assert refused.value.field == field
    still()


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.SEND_BACK))
def test_send_back_returns_the_complaint_to_the_agent(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = send_back(case.order, reason="不属于计费问题。", by=people.billing, now=story.tick())

    case.refresh()
    expected = orders_status(OS.SENT_BACK, other)
    assert (order.state, order.reason) == (OS.SENT_BACK, "不属于计费问题。")
    assert case.complaint.status == expected
    if other is None:
        assert expected == Status.RECEIVED  # the agent triages again
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.SEND_BACK, people.billing, status,
                                                                             expected)
    assert seen.notified == {"agent1"}


def test_a_sent_back_complaint_can_be_dispatched_again(story, people):
    case = story.order_in(OS.SENT_BACK)
    order = dispatch(case.complaint, team=story.teams["network"], team_reason="退单：实为网络问题。", by=people.agent,
                     now=story.tick())
    case.refresh()
    assert case.complaint.status == Status.DISPATCHED and order.state == OS.QUEUED


def test_refuses_send_back_by_a_member_of_another_team(story, watch, unchanged, people):
    case = story.order_in(OS.QUEUED)
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(NotPermitted):
        send_back(case.order, reason="错派。", by=people.business, now=story.tick())
    assert seen.events == []
    still()
