"""回单: the handler returns findings and a proposed answer; the agent reviews it."""

from __future__ import annotations

import pytest

from complaints.errors import InvalidInput, NotPermitted
from complaints.lifecycle import Action, OrderState, Status
from routing.actions import return_result
from tests.factories import order_starts, orders_status

OS = OrderState
RESULT = dict(findings="重复扣费属实。", substantiated=True, actions_taken="已退费 30 元。", proposed_answer="向客户致歉并退费。",
              root_cause="计费规则配置错误")


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.RETURN_RESULT))
def test_return_result_sends_the_findings_for_review(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status

    with watch() as seen:
        order = return_result(case.order, **RESULT, by=people.billing, now=story.tick())

    case.refresh()
    expected = orders_status(OS.RETURNED, other)
    assert (order.state, order.returned_at, order.findings, order.substantiated, order.root_cause) == (
        OS.RETURNED, story.now, "重复扣费属实。", True, "计费规则配置错误")
    assert case.complaint.status == expected
    if other is None:
        assert expected == Status.UNDER_REVIEW
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.RETURN_RESULT, people.billing, status, expected)
    assert event.data["substantiated"] is True
    assert seen.notified == {"agent1"}


@pytest.mark.parametrize("intruder", ["billing2", "network"])
def test_only_the_handler_may_return_a_result(story, watch, unchanged, people, intruder):
    case = story.order_in(OS.CLAIMED)  # billing1's
    still = unchanged(case)
    with watch(execute=False) as seen, pytest.raises(NotPermitted):
        return_result(case.order, **RESULT, by=getattr(people, intruder), now=story.tick())
    assert seen.events == []
    still()


@pytest.mark.parametrize("field", ["findings", "proposed_answer", "root_cause"])
def test_refuses_a_result_missing_a_required_part(story, unchanged, people, field):
    case = story.order_in(OS.CLAIMED)
    still = unchanged(case)
    with pytest.raises(InvalidInput) as refused:
        return_result(case.order, **{**RESULT, field: " "}, by=people.billing, now=story.tick())
    assert refused.value.field == field
    still()
