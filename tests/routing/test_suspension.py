"""挂起/解挂: suspension needs a supervisor's approval; the order's clock pauses while suspended."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import NotPermitted
from complaints.lifecycle import Action, OrderState, Status
from routing.actions import approve_suspension, refuse_suspension, request_suspension, resume
from tests.factories import SHANGHAI, order_starts, orders_status

OS = OrderState


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.REQUEST_SUSPENSION))
def test_request_suspension_asks_the_teams_supervisor(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = request_suspension(case.order, reason="等待厂家排查。", by=people.billing, now=story.tick())

    case.refresh()
    expected = orders_status(OS.SUSPENSION_REQUESTED, other)
    assert (order.state, order.paused_at) == (OS.SUSPENSION_REQUESTED, None)  # the clock runs until approved
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.REQUEST_SUSPENSION, people.billing, status, expected)
    assert seen.notified == {"supervisor1"}


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.APPROVE_SUSPENSION))
def test_approved_suspension_pauses_the_order(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = approve_suspension(case.order, by=people.supervisor, now=story.tick())

    case.refresh()
    expected = orders_status(OS.SUSPENDED, other)
    assert (order.state, order.paused_at) == (OS.SUSPENDED, story.now)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.APPROVE_SUSPENSION, people.supervisor, status, expected)
    assert seen.notified == {"billing1"}


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.REFUSE_SUSPENSION))
def test_refused_suspension_returns_the_order_to_its_handler(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = refuse_suspension(case.order, reason="可先行处理。", by=people.supervisor, now=story.tick())

    case.refresh()
    expected = orders_status(OS.CLAIMED, other)
    assert (order.state, order.claimed_by, order.paused_at) == (OS.CLAIMED, people.billing, None)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.REFUSE_SUSPENSION, people.supervisor, status, expected)
    assert event.data["reason"] == "可先行处理。"
    assert seen.notified == {"billing1"}


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.RESUME))
def test_resume_puts_the_order_back_in_hand(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch(execute=False) as seen:
        order = resume(case.order, by=people.billing, now=story.tick())

    case.refresh()
    expected = orders_status(OS.CLAIMED, other)
    assert (order.state, order.claimed_by, order.paused_at) == (OS.CLAIMED, people.billing, None)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.RESUME, people.billing, status,
                                                                             expected)
    assert seen.callbacks == []  # resuming tells nobody


def test_suspension_moves_the_due_time_by_the_working_time_suspended(story, people):
    case = story.order_in(OS.SUSPENDED)
    # dispatched Monday 10:15 (due Wednesday 10:15); suspension approved at 10:30
    assert case.order.paused_at == dt.datetime(2025, 6, 9, 10, 30, tzinfo=SHANGHAI)
    at_risk = case.order.at_risk_at

    # resumed Friday 10:30: four working days (36 working hours) later
    story.tick(dt.timedelta(days=4) - dt.timedelta(minutes=5))
    order = resume(case.order, by=people.billing, now=story.tick())

    assert order.due_at == dt.datetime(2025, 6, 17, 10, 15, tzinfo=SHANGHAI)  # Wednesday + 4 working days
    assert order.at_risk_at == dt.datetime(2025, 6, 16, 15, 39, tzinfo=SHANGHAI)
    assert at_risk == dt.datetime(2025, 6, 10, 15, 39, tzinfo=SHANGHAI)


def test_supervisor_may_resume_a_handlers_order(story, watch, people):
    case = story.order_in(OS.SUSPENDED)
    with watch(execute=False) as seen:
        resume(case.order, by=people.supervisor, now=story.tick())
    assert seen.event.actor == people.supervisor
    case.refresh()
    assert case.complaint.status == Status.IN_PROGRESS


def test_refuses_resume_by_a_team_member_who_is_not_the_handler(story, unchanged, people):
    case = story.order_in(OS.SUSPENDED)
    still = unchanged(case)
    with pytest.raises(NotPermitted):
        resume(case.order, by=people.billing2, now=story.tick())
    still()
