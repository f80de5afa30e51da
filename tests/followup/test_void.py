"""作废: a supervisor voids a duplicate or rejects a non-complaint; its open orders are cancelled."""

from __future__ import annotations

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import ACTIVE_ORDER, TRANSITIONS, Action, OrderState, Status
from followup.actions import void
from routing.models import WorkOrder

S, OS = Status, OrderState
UNCLAIMED = {S.RECEIVED, S.DISPATCHED}


@pytest.mark.parametrize("not_a_complaint", [False, True], ids=["duplicate", "not-a-complaint"])
@pytest.mark.parametrize("status", sorted(TRANSITIONS[Action.VOID].complaint_from))
def test_void_ends_the_complaint_and_cancels_its_open_orders(story, watch, people, status, not_a_complaint):
    case = story.at(status)
    active = WorkOrder.objects.filter(complaint=case.complaint, state__in=ACTIVE_ORDER).count()

    with watch() as seen:
        void(case.complaint, reason="重复登记。", not_a_complaint=not_a_complaint, by=people.supervisor,
             now=story.tick())

    case.refresh()
    expected = S.REJECTED if not_a_complaint else S.VOIDED
    assert (case.complaint.status, case.complaint.void_reason) == (expected, "重复登记。")
    assert not WorkOrder.objects.filter(complaint=case.complaint, state__in=ACTIVE_ORDER).exists()
    assert WorkOrder.objects.filter(complaint=case.complaint, state=OS.CANCELLED).count() == active
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.VOID, people.supervisor, status,
                                                                             expected)
    assert event.data["cancelled_orders"] == active
    # the first-contact owner and whoever handled one of its orders; never the supervisor who voided it
    assert seen.notified == {"agent1"} | (set() if status in UNCLAIMED else {"billing1"})


def test_refuses_to_void_without_a_reason(story, unchanged, people):
    case = story.at(S.RECEIVED)
    still = unchanged(case)
    with pytest.raises(InvalidInput):
        void(case.complaint, reason="", by=people.supervisor, now=story.tick())
    still()
