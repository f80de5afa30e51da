"""跟进: the daily look at an open complaint is recorded (who looked, when)."""

from __future__ import annotations

import pytest

from complaints.lifecycle import TRANSITIONS, Action
from followup.actions import check_complaint


@pytest.mark.parametrize("status", sorted(TRANSITIONS[Action.CHECK].complaint_from))
def test_check_records_who_looked_without_changing_anything(story, watch, unchanged, people, status):
    case = story.at(status)
    version = case.complaint.version

    with watch(execute=False) as seen:
        check_complaint(case.complaint, remark="已电话跟进。", by=people.agent2, now=story.tick())

    case.refresh()
    assert (case.complaint.status, case.complaint.version) == (status, version)
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status, event.at) == (
        Action.CHECK, people.agent2, status, status, story.now)
    assert event.data == {"remark": "已电话跟进。"}
    assert seen.callbacks == []
