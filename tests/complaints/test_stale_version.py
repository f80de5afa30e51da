"""A page opened before someone else's change acts on a stale version: refused, nothing changes."""

from __future__ import annotations

import pytest
from django.db.models import F

from complaints.actions import confirm_read_back, correct_draft
from complaints.errors import StaleVersion
from complaints.lifecycle import TRANSITIONS, Action, OrderState
from complaints.models import Complaint
from followup.actions import reply
from routing.actions import claim, release
from routing.models import WorkOrder

# These record without a version check: they change nothing another person could have overwritten
# (notes, contact attempts, urges, the daily check) or add a new work order (dispatch).
UNVERSIONED = {Action.DISPATCH, Action.URGE, Action.ADD_NOTE, Action.LOG_CONTACT_ATTEMPT, Action.CHECK}
VERSIONED = [action for action in TRANSITIONS if action not in UNVERSIONED]


@pytest.mark.parametrize("action", VERSIONED)
def test_refuses_an_action_on_a_version_someone_else_has_changed(story, watch, unchanged, action):
    case = story.legal_start(action)
    on_order = bool(TRANSITIONS[action].order_from)
    target = case.order if on_order else case.complaint
    opened = target.version
    # someone else saves in between
    (WorkOrder if on_order else Complaint).objects.filter(pk=target.pk).update(version=F("version") + 1)
    still = unchanged(case)

    with watch(execute=False) as seen, pytest.raises(StaleVersion):
        story.perform(action, case, expected_version=opened)

    assert seen.events == [] and seen.callbacks == []
    still()


@pytest.mark.parametrize("action", VERSIONED)
def test_the_current_version_is_accepted(story, watch, action):
    case = story.legal_start(action)
    target = case.order if TRANSITIONS[action].order_from else case.complaint
    with watch(execute=False) as seen:
        story.perform(action, case, expected_version=target.version)
    assert seen.event.kind == action


def test_refuses_a_read_back_of_a_draft_corrected_since_it_was_shown(story, unchanged, people):
    shown = story.draft()
    correct_draft(shown, story.intake(account=shown.customer.account, demand="退费并道歉。"), by=people.agent2,
                  now=story.tick())
    still = unchanged(shown)
    with pytest.raises(StaleVersion):
        confirm_read_back(shown, by=people.agent, expected_version=shown.version, now=story.tick())
    still()


def test_refuses_a_claim_from_a_queue_page_older_than_a_release(story, unchanged, people):
    case = story.order_in(OrderState.QUEUED)
    page_version = case.order.version
    claim(case.order, by=people.billing, now=story.tick())
    release(case.order, by=people.billing, now=story.tick())
    still = unchanged(case)
    with pytest.raises(StaleVersion):
        claim(case.order, by=people.billing2, expected_version=page_version, now=story.tick())
    still()


def test_refuses_a_reply_on_a_complaint_changed_since(story, unchanged, people):
    case = story.at("awaiting_reply")
    opened = case.complaint.version
    story.perform(Action.CHANGE_PROMISED_DATE, case)
    still = unchanged(case)
    with pytest.raises(StaleVersion):
        reply(case.complaint, summary="已处理。", by=people.agent, expected_version=opened, now=story.tick())
    still()
