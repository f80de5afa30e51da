"""The whole role table: for every action and every role, a user holding only that role is refused
(NotPermitted, nothing changes) unless WHO_MAY lists the role, and allowed when it does.

Each case starts from a state in which the action is legal, so the role is the only difference.
The back-office user is a member of the work order's team and its handler; object-level rules
(other teams, other handlers) are in the routing tests.
"""

from __future__ import annotations

import pytest

from complaints.actions import Intake, record_complaint
from complaints.errors import NotPermitted
from complaints.lifecycle import WHO_MAY, Action, Role
from complaints.models import Complaint, Event
from complaints.roles import roles_of

CASES = [
    pytest.param(action, role, role in WHO_MAY[action], id=f"{action}-{role}-{'allowed' if role in WHO_MAY[action] else 'refused'}")
    for action in Action
    for role in Role
]


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_role_table(story, watch, unchanged, role_user, action, role, allowed):
    user = role_user(role)
    assert roles_of(user) == {role}
    case = story.legal_start(action)

    if allowed:
        with watch(execute=False) as seen:
            story.perform(action, case, by=user)
        assert seen.event.kind == action
        assert seen.event.actor == user
    else:
        still = unchanged(case)
        with watch(execute=False) as seen, pytest.raises(NotPermitted) as refused:
            story.perform(action, case, by=user)
        assert refused.value.action == action
        assert seen.events == [] and seen.callbacks == []
        still()


@pytest.mark.parametrize("role", [Role.BACKOFFICE, Role.ADMIN])
def test_refuses_recording_a_complaint_to_roles_that_do_not_take_calls(story, role_user, role):
    with pytest.raises(NotPermitted):
        record_complaint(story.intake(), by=role_user(role), now=story.tick())
    assert not Complaint.objects.exists() and not Event.objects.exists()


def test_refuses_a_user_without_any_role(story):
    from tests.factories import UserFactory

    nobody = UserFactory(username="nobody")
    with pytest.raises(NotPermitted):
        record_complaint(story.intake(), by=nobody, now=story.tick())


def test_refuses_an_inactive_agent(story, people):
    people.agent.is_active = False
    people.agent.save(update_fields=["is_active"])
    with pytest.raises(NotPermitted):
        record_complaint(Intake(account="13800009999", contact_number="13800009999",
                                category=story.categories["billing_dispute"], description="x", demand="y"),
                         by=people.agent, now=story.tick())
