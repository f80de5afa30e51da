"""Each try to reach the customer is logged: reached, not reached, or asked to call back."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import TRANSITIONS, Action
from followup.actions import log_contact_attempt
from followup.models import ContactAttempt, ContactOutcome, ContactPurpose


@pytest.mark.parametrize("status", sorted(TRANSITIONS[Action.LOG_CONTACT_ATTEMPT].complaint_from))
def test_contact_attempt_is_logged_without_changing_the_status(story, watch, people, status):
    case = story.at(status)

    with watch(execute=False) as seen:
        attempt = log_contact_attempt(case.complaint, outcome=ContactOutcome.NOT_REACHED, by=people.agent,
                                      now=story.tick())

    case.refresh()
    assert case.complaint.status == status
    assert (attempt.outcome, attempt.purpose, attempt.by, attempt.at) == (
        ContactOutcome.NOT_REACHED, ContactPurpose.REPLY, people.agent, story.now)
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.LOG_CONTACT_ATTEMPT, people.agent, status, status)
    assert event.data["attempt"] == attempt.pk
    assert seen.callbacks == []


def test_a_call_back_needs_a_time_in_the_future(story, people):
    complaint = story.received()
    with pytest.raises(InvalidInput) as refused:
        log_contact_attempt(complaint, outcome=ContactOutcome.CALL_BACK, call_back_at=story.now, by=people.agent,
                            now=story.tick())
    assert refused.value.field == "call_back_at"
    later = story.now + dt.timedelta(hours=2)
    attempt = log_contact_attempt(complaint, outcome=ContactOutcome.CALL_BACK, call_back_at=later, by=people.agent,
                                  now=story.tick())
    assert attempt.call_back_at == later
    assert ContactAttempt.objects.count() == 1
