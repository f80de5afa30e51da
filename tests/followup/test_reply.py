"""答复: the customer is told the result; the return visit falls due; a written reply needs three tries."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import Action, Status
from followup.actions import log_contact_attempt, reply
from followup.customer_messages import ConsoleBackend
from followup.models import ContactOutcome
from tests.factories import SHANGHAI

S = Status


def test_reply_marks_the_complaint_replied_and_sets_the_return_visit(story, watch, people):
    case = story.at(S.AWAITING_REPLY)

    with watch(execute=False) as seen:
        complaint = reply(case.complaint, summary="已退还 30 元，向您致歉。", by=people.agent, now=story.tick())

    case.refresh()
    assert case.complaint.status == complaint.status == S.REPLIED
    assert (case.complaint.replied_at, case.complaint.reply_summary) == (story.now, "已退还 30 元，向您致歉。")
    assert case.complaint.return_visit_due_at == story.now + dt.timedelta(days=2)  # 2 working days, Mon -> Wed
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.REPLY, people.agent, S.AWAITING_REPLY, S.REPLIED)
    assert event.data == {"on_time": True, "in_writing": False}
    assert seen.callbacks == []


def test_a_late_reply_is_recorded_as_late(story, watch, people):
    case = story.at(S.AWAITING_REPLY)
    story.tick(dt.timedelta(days=7))
    with watch(execute=False) as seen:
        reply(case.complaint, summary="已处理。", by=people.agent, now=story.tick())
    assert seen.event.data["on_time"] is False


def test_refuses_a_written_reply_before_three_unreached_calls_at_different_times(story, unchanged, people):
    case = story.at(S.AWAITING_REPLY)
    for _ in range(3):  # three calls within the same hour count once
        log_contact_attempt(case.complaint, outcome=ContactOutcome.NOT_REACHED, by=people.agent, now=story.tick())
    still = unchanged(case)
    with pytest.raises(InvalidInput) as refused:
        reply(case.complaint, summary="短信答复。", in_writing=True, by=people.agent, now=story.tick())
    assert refused.value.field == "in_writing"
    still()


def test_a_written_reply_after_three_unreached_calls_queues_the_message(story, watch, people):
    case = story.at(S.AWAITING_REPLY)
    for _ in range(3):
        log_contact_attempt(case.complaint, outcome=ContactOutcome.NOT_REACHED, by=people.agent,
                            now=story.tick(dt.timedelta(hours=1)))
    assert story.now.astimezone(SHANGHAI).hour == 13
    ConsoleBackend.sent.clear()

    with watch() as seen:
        reply(case.complaint, summary="已退还 30 元。", in_writing=True, by=people.agent, now=story.tick())

    assert seen.event.data["in_writing"] is True
    assert len(seen.callbacks) == 1
    assert ConsoleBackend.sent == [(case.complaint.contact_number, "已退还 30 元。")]


def test_refuses_an_empty_reply(story, unchanged, people):
    case = story.at(S.AWAITING_REPLY)
    still = unchanged(case)
    with pytest.raises(InvalidInput):
        reply(case.complaint, summary=" ", by=people.agent, now=story.tick())
    still()
