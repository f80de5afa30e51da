"""A new promised reply date is logged with its reason; the customer must be told of it."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import TRANSITIONS, Action, Status
from followup.actions import change_promised_date


@pytest.mark.parametrize("status", sorted(TRANSITIONS[Action.CHANGE_PROMISED_DATE].complaint_from))
def test_change_promised_date_sets_a_new_promise(story, watch, people, status):
    case = story.at(status)
    before = case.complaint.promised_reply_at
    new = story.now + dt.timedelta(days=5)

    with watch(execute=False) as seen:
        change_promised_date(case.complaint, promised_reply_at=new, reason="等待厂家结论。", by=people.agent,
                             now=story.tick())

    case.refresh()
    assert case.complaint.status == status
    assert case.complaint.promised_reply_at == new
    assert story.now < case.complaint.reply_risk_from < new
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.CHANGE_PROMISED_DATE, people.agent, status, status)
    assert dt.datetime.fromisoformat(event.data["from"]) == before
    assert dt.datetime.fromisoformat(event.data["to"]) == new
    assert event.data["customer_told"] is False
    assert seen.callbacks == []


@pytest.mark.parametrize(("shift", "reason"), [(dt.timedelta(days=16), "晚了。"), (-dt.timedelta(minutes=1), "过去。"),
                                               (dt.timedelta(days=2), " ")])
def test_refuses_a_promise_past_the_legal_deadline_in_the_past_or_without_reason(story, unchanged, people, shift,
                                                                               reason):
    case = story.at(Status.RECEIVED)
    still = unchanged(case)
    with pytest.raises(InvalidInput):
        change_promised_date(case.complaint, promised_reply_at=story.now + shift, reason=reason, by=people.agent,
                             now=story.now)
    still()
