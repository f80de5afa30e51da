"""Giving an order back to the queue, and a supervisor handing it to a named member."""

from __future__ import annotations

import pytest

from complaints.errors import InvalidInput, NotPermitted
from complaints.lifecycle import Action, OrderState
from routing.actions import reassign, release
from tests.factories import order_starts, orders_status

OS = OrderState


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.RELEASE))
def test_release_puts_the_order_back_in_the_team_queue(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = release(case.order, by=people.billing, now=story.tick())

    case.refresh()
    expected = orders_status(OS.QUEUED, other)
    assert (order.state, order.claimed_by, order.claimed_at) == (OS.QUEUED, None, None)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.RELEASE, people.billing, status,
                                                                             expected)
    assert event.work_order == order and event.data["previous_handler"] == people.billing.pk
    assert len(seen.callbacks) == 1
    assert seen.notified == {"billing2"}  # the rest of the team, not the member who let it go


def test_supervisor_may_release_a_handlers_order(story, watch, people):
    case = story.order_in(OS.CLAIMED)
    with watch() as seen:
        release(case.order, by=people.supervisor, now=story.tick())
    assert seen.event.actor == people.supervisor
    assert seen.notified == {"billing1", "billing2"}


def test_refuses_release_by_a_team_member_who_is_not_the_handler(story, watch, unchanged, people):
    case = story.order_in(OS.CLAIMED)
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(NotPermitted):
        release(case.order, by=people.billing2, now=story.tick())
    assert seen.events == []
    still()


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.REASSIGN))
def test_reassign_hands_the_order_to_a_named_member(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = reassign(case.order, to=people.billing2, by=people.supervisor, now=story.tick())

    case.refresh()
    expected = orders_status(OS.CLAIMED, other)
    assert (order.state, order.claimed_by, order.claimed_at) == (OS.CLAIMED, people.billing2, story.now)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.REASSIGN, people.supervisor,
                                                                             status, expected)
    assert event.data["handler"] == people.billing2.pk
    assert seen.notified == {"billing2"}


def test_refuses_reassigning_to_someone_outside_the_team(story, watch, unchanged, people):
    case = story.order_in(OS.CLAIMED)
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(InvalidInput) as refused:
        reassign(case.order, to=people.network, by=people.supervisor, now=story.tick())
    assert refused.value.field == "to"
    assert seen.events == []
    still()
