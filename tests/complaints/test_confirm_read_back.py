"""复述确认: the customer agreed to the summary read back; the complaint is received and its clocks start."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.actions import confirm_read_back, correct_draft
from complaints.errors import InvalidInput
from complaints.lifecycle import Action, Status
from complaints.models import Severity
from tests.factories import SHANGHAI

S = Status


def test_confirm_read_back_receives_the_complaint_and_starts_its_clocks(story, watch, people):
    complaint = story.draft()

    with watch(execute=False) as seen:
        complaint = confirm_read_back(complaint, by=people.agent, now=story.tick())

    complaint.refresh_from_db()
    received = dt.datetime(2025, 6, 9, 10, 10, tzinfo=SHANGHAI)  # a Monday
    assert (complaint.status, complaint.received_at) == (S.RECEIVED, received)
    assert complaint.legal_deadline_at == received + dt.timedelta(days=15)  # calendar days, never paused
    assert complaint.promised_reply_at == dt.datetime(2025, 6, 12, 10, 10, tzinfo=SHANGHAI)  # 3 working days
    assert received < complaint.reply_risk_from < complaint.promised_reply_at
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.CONFIRM_READ_BACK, people.agent,
                                                                             S.DRAFT, S.RECEIVED)
    assert seen.callbacks == []


def test_a_critical_complaint_is_promised_a_reply_the_same_day(story, people):
    complaint = confirm_read_back(story.draft(data_leak=True), by=people.agent, now=story.tick())
    assert complaint.severity == Severity.CRITICAL
    assert complaint.promised_reply_at == dt.datetime(2025, 6, 9, 18, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("missing", ["description", "demand"])
def test_refuses_a_read_back_of_an_incomplete_draft(story, watch, unchanged, people, missing):
    complaint = story.draft()
    complaint = correct_draft(complaint, story.intake(account=complaint.customer.account, **{missing: ""}),
                              by=people.agent, now=story.tick())
    still = unchanged(complaint)
    with watch(execute=False) as seen, pytest.raises(InvalidInput) as refused:
        confirm_read_back(complaint, by=people.agent, now=story.tick())
    assert refused.value.field == missing
    assert seen.events == []
    still()
