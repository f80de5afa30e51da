"""当场解决: resolved while the customer is on the line; counts as first-contact resolution."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.actions import resolve_on_the_spot
from complaints.errors import InvalidInput
from complaints.lifecycle import Action, Status
from complaints.models import ResolutionCode

S = Status


def test_resolve_on_the_spot_replies_and_sets_the_return_visit(story, watch, people):
    complaint = story.received()

    with watch(execute=False) as seen:
        resolve_on_the_spot(complaint, resolution="解释了流量计费规则，客户认可。", resolution_code=ResolutionCode.EXPLAINED,
                            by=people.agent, now=story.tick())

    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolved_on_the_spot, complaint.replied_at) == (S.REPLIED, True, story.now)
    assert (complaint.resolution_code, complaint.reply_summary) == (ResolutionCode.EXPLAINED, "解释了流量计费规则，客户认可。")
    assert complaint.return_visit_due_at == story.now + dt.timedelta(days=2)  # 2 working days, Monday -> Wednesday
    assert not complaint.work_orders.exists()
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.RESOLVE_ON_THE_SPOT, people.agent, S.RECEIVED, S.REPLIED)
    assert seen.callbacks == []


@pytest.mark.parametrize(("resolution", "code", "field"), [(" ", ResolutionCode.EXPLAINED, "resolution"),
                                                            ("已解释。", "made_up", "resolution_code")])
def test_refuses_without_a_resolution_or_with_an_unknown_code(story, unchanged, people, resolution, code, field):
    complaint = story.received()
    still = unchanged(complaint)
    with pytest.raises(InvalidInput) as refused:
        resolve_on_the_spot(complaint, resolution=resolution, resolution_code=code, by=people.agent, now=story.tick())
    assert refused.value.field == field
    still()
