"""复核: the agent approves the returned result, or rejects it back to the handler with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import Action, OrderState, Status
from followup.actions import approve_result, reject_result
from tests.factories import SHANGHAI, order_starts, orders_status

OS = OrderState


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.APPROVE_RESULT))
def test_approve_result_accepts_the_order(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch(execute=False) as seen:
        order = approve_result(case.order, by=people.agent, now=story.tick())

    case.refresh()
    expected = orders_status(OS.ACCEPTED, other)
    assert order.state == OS.ACCEPTED
    assert case.complaint.status == expected
    if other is None:
        assert expected == Status.AWAITING_REPLY  # every order back and accepted: the agent replies
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.APPROVE_RESULT, people.agent, status, expected)
    assert seen.callbacks == []


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.REJECT_RESULT))
def test_reject_result_sends_the_order_back_to_its_handler(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = reject_result(case.order, reason="未说明退费到账时间。", by=people.agent, now=story.tick())

    case.refresh()
    expected = orders_status(OS.CLAIMED, other)
    assert (order.state, order.claimed_by, order.reason, order.rejection_count) == (
        OS.CLAIMED, people.billing, "未说明退费到账时间。", 1)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.REJECT_RESULT, people.agent, status, expected)
    assert seen.notified == {"billing1"}


def test_a_rejected_result_gets_a_fresh_time_limit(story, people):
    case = story.order_in(OS.RETURNED)
    story.tick(dt.timedelta(days=2))  # Wednesday 10:25, the first clock had run out
    order = reject_result(case.order, reason="再核查。", by=people.agent, now=story.tick())
    assert story.now == dt.datetime(2025, 6, 11, 10, 30, tzinfo=SHANGHAI)
    assert order.due_at == dt.datetime(2025, 6, 13, 10, 30, tzinfo=SHANGHAI)  # 2 working days again
    assert order.breached_at is None and order.risk_flagged_at is None


def test_refuses_a_rejection_without_a_reason(story, unchanged, people):
    case = story.order_in(OS.RETURNED)
    still = unchanged(case)
    with pytest.raises(InvalidInput):
        reject_result(case.order, reason="", by=people.agent, now=story.tick())
    still()
