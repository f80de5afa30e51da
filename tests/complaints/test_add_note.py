"""Progress notes and remarks, visible to the agent and the handlers; back-office staff write on their order."""

from __future__ import annotations

import pytest

from complaints.actions import add_note
from complaints.errors import InvalidInput, NotPermitted
from complaints.lifecycle import TRANSITIONS, Action, OrderState
from complaints.models import Note
from routing.actions import add_progress_note

OS = OrderState


@pytest.mark.parametrize("status", sorted(TRANSITIONS[Action.ADD_NOTE].complaint_from))
def test_a_note_on_the_complaint_is_told_to_its_first_contact_owner(story, watch, people, status):
    case = story.at(status)

    with watch() as seen:
        note = add_note(case.complaint, body="客户来电询问进度。", by=people.agent2, now=story.tick())

    case.refresh()
    assert case.complaint.status == status
    assert (note.complaint, note.author, note.body, note.work_order) == (case.complaint, people.agent2, "客户来电询问进度。",
                                                                         None)
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.ADD_NOTE, people.agent2, status,
                                                                             status)
    assert event.data == {"note": note.pk}
    assert seen.notified == {"agent1"}


def test_the_owners_own_note_tells_nobody(story, watch, people):
    case = story.order_in(OS.QUEUED)
    with watch() as seen:
        add_note(case.complaint, body="已回电。", by=people.agent, now=story.tick())
    assert len(seen.callbacks) == 1
    assert seen.notified == set()  # the actor never notifies themself


def test_a_progress_note_by_the_handler_is_told_to_the_agent(story, watch, people):
    case = story.order_in(OS.CLAIMED)
    with watch() as seen:
        note = add_progress_note(case.order, body="正在核查计费记录。", by=people.billing, now=story.tick())
    assert note.work_order == case.order
    assert seen.event.work_order == case.order
    assert seen.notified == {"agent1"}


def test_a_team_members_note_is_told_to_the_agent_and_the_handler(story, watch, people):
    case = story.order_in(OS.CLAIMED)  # billing1's
    with watch() as seen:
        add_progress_note(case.order, body="补充：系统日志显示重复扣费。", by=people.billing2, now=story.tick())
    assert seen.notified == {"agent1", "billing1"}


def test_refuses_a_progress_note_on_another_teams_order(story, watch, unchanged, people):
    case = story.order_in(OS.CLAIMED)
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(NotPermitted):
        add_progress_note(case.order, body="看看。", by=people.network, now=story.tick())
    assert seen.events == [] and not Note.objects.exists()
    still()


def test_refuses_a_back_office_note_without_a_work_order(story, unchanged, people):
    case = story.order_in(OS.CLAIMED)
    still = unchanged(case)
    with pytest.raises(NotPermitted):
        add_note(case.complaint, body="备注。", by=people.billing, now=story.tick())
    still()


def test_refuses_an_empty_note(story, unchanged, people):
    case = story.at("received")
    still = unchanged(case)
    with pytest.raises(InvalidInput):
        add_note(case.complaint, body="  ", by=people.agent, now=story.tick())
    still()
