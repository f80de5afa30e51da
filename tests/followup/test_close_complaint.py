"""结案: needs the reply, a resolution code, the responsible team, the root cause and a return visit."""

from __future__ import annotations

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import Action, Status
from complaints.models import ResolutionCode
from followup.actions import close, return_visit

S = Status


def closing(story, people, case, **overrides):
    values = dict(resolution_code=ResolutionCode.REFUNDED, root_cause="计费规则配置错误",
                  responsible_team=story.teams["billing"], by=people.agent, now=story.tick())
    values.update(overrides)
    return close(case.complaint, **values)


def test_close_after_a_satisfied_return_visit(story, watch, people):
    case = story.at(S.REPLIED, visited=True)

    with watch(execute=False) as seen:
        closing(story, people, case)

    case.refresh()
    complaint = case.complaint
    assert (complaint.status, complaint.closed_at) == (S.CLOSED, story.now)
    assert (complaint.resolution_code, complaint.root_cause, complaint.responsible_team) == (
        ResolutionCode.REFUNDED, "计费规则配置错误", story.teams["billing"])
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.CLOSE, people.agent, S.REPLIED,
                                                                             S.CLOSED)
    assert event.data == {"resolution_code": ResolutionCode.REFUNDED, "responsible_team": "billing"}
    assert seen.callbacks == []


def test_refuses_to_close_before_a_return_visit(story, watch, unchanged, people):
    case = story.at(S.REPLIED)
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(InvalidInput) as refused:
        closing(story, people, case)
    assert refused.value.field == "return_visit"
    assert seen.events == []
    still()


def test_closes_after_three_failed_return_visits(story, people):
    case = story.at(S.REPLIED)
    for _ in range(3):
        return_visit(case.complaint, reached=False, by=people.agent, now=story.tick())
    closing(story, people, case, resolution_code=ResolutionCode.EXPLAINED)
    case.refresh()
    assert case.complaint.status == S.CLOSED


@pytest.mark.parametrize(("field", "override"), [("resolution_code", {"resolution_code": ""}),
                                                 ("root_cause", {"root_cause": " "})])
def test_refuses_to_close_without_resolution_code_or_root_cause(story, unchanged, people, field, override):
    case = story.at(S.REPLIED, visited=True)
    still = unchanged(case)
    with pytest.raises(InvalidInput) as refused:
        closing(story, people, case, **override)
    assert refused.value.field == field
    still()
