"""A closed complaint can be reopened within 30 days into a new round; after that it is archived."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import TransitionNotAllowed
from complaints.lifecycle import Action, Status
from followup.actions import reopen

S = Status


def test_reopen_starts_a_new_handling_round(story, watch, people):
    case = story.at(S.CLOSED)
    story.tick(dt.timedelta(days=29))

    with watch(execute=False) as seen:
        reopen(case.complaint, reason="客户反映问题复现。", by=people.agent, now=story.tick())

    case.refresh()
    complaint = case.complaint
    assert (complaint.status, complaint.round, complaint.closed_at) == (S.RECEIVED, 2, None)
    assert complaint.satisfaction == "" and complaint.resolution_code == ""
    assert complaint.promised_reply_at > story.now
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.REOPEN, people.agent, S.CLOSED,
                                                                             S.RECEIVED)
    assert event.data["round"] == 2
    assert seen.callbacks == []


def test_refuses_to_reopen_an_archived_complaint(story, watch, unchanged, people):
    case = story.at(S.CLOSED)
    story.tick(dt.timedelta(days=30))
    still = unchanged(case)

    with watch(execute=False) as seen, pytest.raises(TransitionNotAllowed) as refused:
        reopen(case.complaint, reason="太晚了。", by=people.agent, now=story.tick())

    assert refused.value.state == "archived"
    assert seen.events == []
    still()
