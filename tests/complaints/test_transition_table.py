"""Every action refused from every state the transition table does not allow, and nothing moves.

Complaint statuses: each (action, status) pair outside TRANSITIONS. Work order actions get an order in
a state they accept, so only the complaint's status can be the reason for the refusal.
Order states: each work order action on an order in a state it does not accept, while the complaint is
in a handling status the action accepts, so only the order's state can be the reason.
"""

from __future__ import annotations

import pytest

from complaints.errors import TransitionNotAllowed
from complaints.lifecycle import TRANSITIONS, Action, OrderState, Status
from routing.actions import AlreadyClaimed
from tests.factories import WorkOrderFactory, orders_status

S, OS = Status, OrderState
ORDER_ACTIONS = [action for action, t in TRANSITIONS.items() if t.order_from]
HANDLED = {OS.CLAIMED, OS.WAITING_INFO, OS.SUSPENSION_REQUESTED, OS.SUSPENDED, OS.RETURNED, OS.ACCEPTED}

ILLEGAL_STATUSES = [
    pytest.param(action, status, id=f"{action}-from-{status}")
    for action, transition in TRANSITIONS.items()
    for status in Status
    if status not in transition.complaint_from
]
ILLEGAL_ORDER_STATES = [
    pytest.param(action, state, id=f"{action}-on-{state}")
    for action in ORDER_ACTIONS
    for state in OrderState
    if state not in TRANSITIONS[action].order_from
]


def refuse(story, watch, unchanged, action, case, by=None, error=TransitionNotAllowed):
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(error) as refused:
        story.perform(action, case, by=by)
    assert seen.events == [] and seen.callbacks == []
    still()
    return refused.value


@pytest.mark.parametrize(("action", "status"), ILLEGAL_STATUSES)
def test_refuses_action_from_a_status_the_table_does_not_allow(story, watch, unchanged, people, action, status):
    case = story.at(status)
    transition = TRANSITIONS[action]
    if transition.order_from:
        legal_state = sorted(transition.order_from)[0]
        case.order = WorkOrderFactory(
            complaint=case.complaint, team=story.teams["billing"], state=legal_state,
            claimed_by=people.billing if legal_state in HANDLED else None)

    error = refuse(story, watch, unchanged, action, case)

    assert error.action == action
    assert error.state == status


def order_with_complaint_in_handling(story, people, state):
    """An order in `state`, its complaint in a handling status (a second, queued order where needed)."""
    if state == OS.CANCELLED:
        # Only voiding cancels an order, and it voids the complaint too: a bare row isolates the check.
        case = story.order_in(OS.QUEUED)
        case.order = WorkOrderFactory(complaint=case.complaint, team=story.teams["billing"], state=state)
        return case
    other = None if orders_status(state) in TRANSITIONS[Action.CLAIM].complaint_from else OS.QUEUED
    return story.order_in(state, other=other)


@pytest.mark.parametrize(("action", "state"), ILLEGAL_ORDER_STATES)
def test_refuses_work_order_action_on_an_order_state_the_table_does_not_allow(story, watch, unchanged, people,
                                                                              action, state):
    case = order_with_complaint_in_handling(story, people, state)
    assert case.complaint.status in TRANSITIONS[action].complaint_from

    error = refuse(story, watch, unchanged, action, case)

    assert error.state == state
    if action == Action.CLAIM and case.order.claimed_by_id:
        assert isinstance(error, AlreadyClaimed)


def test_refuses_correcting_a_complaint_after_the_read_back(story, watch, unchanged):
    case = story.at(S.RECEIVED)
    error = refuse(story, watch, unchanged, Action.RECORD, case)
    assert error.state == S.RECEIVED
