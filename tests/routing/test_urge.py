"""催办: anyone may urge an unreturned order; urges are counted and go to the handler and the supervisor."""

from __future__ import annotations

import pytest

from complaints.lifecycle import Action, OrderState
from routing.actions import urge
from tests.factories import order_starts

OS = OrderState


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.URGE))
def test_urge_is_counted_and_told_to_the_handler_and_supervisor(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = urge(case.order, by=people.agent, remark="客户第三次来电。", now=story.tick())

    case.refresh()
    assert order.urge_count == case.order.urge_count == 1
    assert case.order.state == state and case.complaint.status == status  # an urge changes no state
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.URGE, people.agent, status, status)
    assert event.data["remark"] == "客户第三次来电。"
    # an unclaimed order's team hears of it instead of a handler
    handlers = {"billing1"} if state != OS.QUEUED else {"billing1", "billing2"}
    assert seen.notified == handlers | {"supervisor1"}


def test_urges_add_up_and_follow_a_transfer(story, people):
    case = story.order_in(OS.CLAIMED)
    for _ in range(2):
        urge(case.order, by=people.agent, now=story.tick())
    successor = story.perform(Action.TRANSFER, case)
    assert successor.urge_count == 2
    assert urge(successor, by=people.supervisor, now=story.tick()).urge_count == 3
