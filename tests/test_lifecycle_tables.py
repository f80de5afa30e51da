"""The lifecycle tables themselves: complete, consistent, and the derived status's precedence."""

from __future__ import annotations

import pytest

from complaints.errors import NotPermitted, TransitionNotAllowed
from complaints.lifecycle import (
    ACTIVE_ORDER,
    FINAL,
    HANDLING,
    OPEN,
    TRANSITIONS,
    WHO_MAY,
    Action,
    OrderState,
    Role,
    Status,
    is_legal,
    require_complaint_state,
    require_order_state,
    require_role,
    status_from_orders,
)

S, OS = Status, OrderState


def test_every_action_has_a_transition_and_a_role_row():
    assert set(TRANSITIONS) == set(Action) == set(WHO_MAY)
    assert all(WHO_MAY[action] for action in Action), "an action nobody may perform"


def test_admins_configure_and_do_not_handle_complaints():
    assert not any(Role.ADMIN in roles for roles in WHO_MAY.values())


def test_only_back_office_staff_claim_and_return_results():
    assert WHO_MAY[Action.CLAIM] == {Role.BACKOFFICE}
    assert WHO_MAY[Action.RETURN_RESULT] == {Role.BACKOFFICE}
    assert WHO_MAY[Action.VOID] == {Role.SUPERVISOR}
    assert WHO_MAY[Action.APPROVE_SUSPENSION] == WHO_MAY[Action.REFUSE_SUSPENSION] == {Role.SUPERVISOR}


def test_work_order_actions_need_a_complaint_in_handling():
    for action, transition in TRANSITIONS.items():
        if transition.order_from:
            assert transition.complaint_from == HANDLING, action
            assert transition.complaint_to is None, action  # derived from the orders


def test_work_order_targets_are_order_states():
    for action, transition in TRANSITIONS.items():
        if transition.order_to is not None:
            assert transition.order_to in OrderState.values, action


def test_final_statuses_are_dead_ends_except_reopening_a_closed_complaint():
    for status in FINAL:
        legal = {action for action, t in TRANSITIONS.items() if status in t.complaint_from}
        assert legal == ({Action.REOPEN} if status == S.CLOSED else set()), status


def test_every_open_status_can_be_voided_and_checked():
    for status in OPEN | {S.REPLIED}:
        assert is_legal(Action.VOID, status)
        assert is_legal(Action.CHECK, status)
    assert not is_legal(Action.VOID, S.DRAFT)


def test_every_status_is_reached_by_some_action_or_derivation():
    targets = set()
    for transition in TRANSITIONS.values():
        targets |= transition.complaint_to or set()
    derived = {status_from_orders(states) for states in
               [[OS.QUEUED], [OS.CLAIMED], [OS.WAITING_INFO], [OS.SUSPENDED], [OS.RETURNED], [OS.ACCEPTED], []]}
    assert targets | derived | {S.DRAFT} == set(Status)


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], S.RECEIVED),
        ([OS.SENT_BACK], S.RECEIVED),
        ([OS.TRANSFERRED, OS.CANCELLED], S.RECEIVED),
        ([OS.QUEUED], S.DISPATCHED),
        ([OS.CLAIMED], S.IN_PROGRESS),
        ([OS.SUSPENSION_REQUESTED], S.IN_PROGRESS),
        ([OS.WAITING_INFO], S.WAITING_INFO),
        ([OS.SUSPENDED], S.SUSPENDED),
        ([OS.RETURNED], S.UNDER_REVIEW),
        ([OS.ACCEPTED], S.AWAITING_REPLY),
        # Waiting for the agent comes first, then anything in a handler's hands, then the queue.
        ([OS.WAITING_INFO, OS.CLAIMED, OS.QUEUED], S.WAITING_INFO),
        ([OS.CLAIMED, OS.QUEUED], S.IN_PROGRESS),
        ([OS.QUEUED, OS.SUSPENDED], S.DISPATCHED),
        ([OS.SUSPENDED, OS.RETURNED], S.SUSPENDED),
        ([OS.RETURNED, OS.ACCEPTED], S.UNDER_REVIEW),
        ([OS.ACCEPTED, OS.TRANSFERRED], S.AWAITING_REPLY),
    ],
)
def test_status_from_orders_follows_the_precedence(states, expected):
    assert status_from_orders(states) == expected


def test_active_orders_keep_a_complaint_in_handling():
    for state in ACTIVE_ORDER - {OS.RETURNED}:
        assert status_from_orders([state]) in HANDLING
    assert status_from_orders([OS.RETURNED]) == S.UNDER_REVIEW


def test_require_helpers_raise_the_typed_errors():
    with pytest.raises(NotPermitted):
        require_role(Action.CLAIM, {Role.AGENT})
    require_role(Action.CLAIM, {Role.AGENT, Role.BACKOFFICE})
    with pytest.raises(TransitionNotAllowed) as err:
        require_complaint_state(Action.REPLY, S.DISPATCHED)
    assert (err.value.action, err.value.state) == (Action.REPLY, S.DISPATCHED)
    with pytest.raises(TransitionNotAllowed):
        require_order_state(Action.CLAIM, OS.CLAIMED)
    with pytest.raises(TransitionNotAllowed):
        require_order_state(Action.REPLY, OS.QUEUED)  # not a work order action at all


def test_is_legal_checks_the_order_state_of_work_order_actions():
    assert is_legal(Action.CLAIM, S.DISPATCHED, OS.QUEUED)
    assert not is_legal(Action.CLAIM, S.DISPATCHED, OS.CLAIMED)
    assert not is_legal(Action.CLAIM, S.DISPATCHED)
    assert not is_legal(Action.CLAIM, S.RECEIVED, OS.QUEUED)
    assert is_legal(Action.REPLY, S.AWAITING_REPLY)
