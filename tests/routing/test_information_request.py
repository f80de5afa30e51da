"""需补充信息: the handler asks the agent; the order's clock pauses until the agent answers."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import InvalidInput, NotPermitted
from complaints.lifecycle import Action, OrderState, Status
from routing.actions import answer_information, request_information
from tests.factories import SHANGHAI, order_starts, orders_status

OS = OrderState


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.REQUEST_INFORMATION))
def test_request_information_waits_for_the_agent(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = request_information(case.order, question="客户何时办理的套餐？", by=people.billing, now=story.tick())

    case.refresh()
    assert (order.state, order.info_question, order.paused_at) == (OS.WAITING_INFO, "客户何时办理的套餐？", story.now)
    assert case.complaint.status == Status.WAITING_INFO == orders_status(OS.WAITING_INFO, other)
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.REQUEST_INFORMATION, people.billing, status, Status.WAITING_INFO)
    assert event.work_order == order
    assert seen.notified == {"agent1"}  # the first-contact owner answers


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.ANSWER_INFORMATION))
def test_answer_returns_the_order_to_its_handler(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = answer_information(case.order, answer="5 月 3 日办理。", by=people.agent, now=story.tick())

    case.refresh()
    expected = orders_status(OS.CLAIMED, other)
    assert (order.state, order.claimed_by, order.info_answer, order.paused_at) == (
        OS.CLAIMED, people.billing, "5 月 3 日办理。", None)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.ANSWER_INFORMATION, people.agent, status, expected)
    assert seen.notified == {"billing1"}


def test_waiting_for_the_answer_moves_the_due_time_by_the_working_time_waited(story, people):
    case = story.order_in(OS.WAITING_INFO)
    # dispatched Monday 10:15 (due Wednesday 10:15), asked at 10:25
    assert case.order.due_at == dt.datetime(2025, 6, 11, 10, 15, tzinfo=SHANGHAI)
    assert case.order.paused_at == dt.datetime(2025, 6, 9, 10, 25, tzinfo=SHANGHAI)
    legal = case.complaint.legal_deadline_at

    story.tick(dt.timedelta(hours=24) - dt.timedelta(minutes=5))
    order = answer_information(case.order, answer="已补充。", by=people.agent, now=story.tick())

    # answered Tuesday 10:25: one working day (7h35m + 1h25m) waited
    assert order.due_at == dt.datetime(2025, 6, 12, 10, 15, tzinfo=SHANGHAI)
    case.refresh()
    assert case.complaint.legal_deadline_at == legal  # the legal clock never pauses


def test_only_the_handler_may_request_information(story, watch, unchanged, people):
    case = story.order_in(OS.CLAIMED)  # billing1's
    still = unchanged(case)
    for intruder in (people.billing2, people.network):
        with watch(execute=False) as seen, pytest.raises(NotPermitted):
            request_information(case.order, question="?", by=intruder, now=story.tick())
        assert seen.events == []
    still()


def test_refuses_an_empty_question(story, unchanged, people):
    case = story.order_in(OS.CLAIMED)
    still = unchanged(case)
    with pytest.raises(InvalidInput):
        request_information(case.order, question="  ", by=people.billing, now=story.tick())
    still()
