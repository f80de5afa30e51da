"""A supervisor escalates an open complaint: severity up one level, everyone on it told."""

from __future__ import annotations

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import TRANSITIONS, Action, Status
from complaints.models import Severity
from followup.actions import escalate

S = Status
UNCLAIMED = {S.RECEIVED, S.DISPATCHED}


@pytest.mark.parametrize("status", sorted(TRANSITIONS[Action.ESCALATE].complaint_from))
def test_escalate_raises_the_severity_one_level_and_tells_everyone_on_it(story, watch, people, status):
    case = story.at(status)
    promised = case.complaint.promised_reply_at

    with watch() as seen:
        escalate(case.complaint, reason="客户称将向媒体曝光。", by=people.supervisor, now=story.tick())

    case.refresh()
    assert case.complaint.status == status
    assert (case.complaint.severity, case.complaint.severity_reason) == (Severity.IMPORTANT, "客户称将向媒体曝光。")
    assert case.complaint.promised_reply_at == promised  # the promise stands
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.ESCALATE, people.supervisor,
                                                                             status, status)
    assert (event.data["severity_from"], event.data["severity_to"]) == (Severity.GENERAL, Severity.IMPORTANT)
    assert seen.notified == {"agent1"} | (set() if status in UNCLAIMED else {"billing1"})


def test_a_critical_complaint_stays_critical(story, people):
    complaint = story.received(group_complaint=True)
    assert complaint.severity == Severity.CRITICAL
    complaint = escalate(complaint, reason="再次升级。", by=people.supervisor, now=story.tick())
    assert complaint.severity == Severity.CRITICAL


def test_refuses_escalation_without_a_reason(story, unchanged, people):
    case = story.at(S.RECEIVED)
    still = unchanged(case)
    with pytest.raises(InvalidInput):
        escalate(case.complaint, reason=" ", by=people.supervisor, now=story.tick())
    still()
