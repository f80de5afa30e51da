"""回访: solved and satisfied; dissatisfied reopens into a new round; three failed tries end the clock."""

from __future__ import annotations

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import Action, Status
from complaints.models import Satisfaction
from followup.actions import return_visit

S = Status


@pytest.mark.parametrize("satisfaction", [Satisfaction.SATISFIED, Satisfaction.BASICALLY])
def test_a_satisfied_return_visit_leaves_the_complaint_ready_to_close(story, watch, people, satisfaction):
    case = story.at(S.REPLIED)

    with watch(execute=False) as seen:
        return_visit(case.complaint, reached=True, problem_solved=True, satisfaction=satisfaction, by=people.agent,
                     now=story.tick())

    case.refresh()
    assert case.complaint.status == S.REPLIED
    assert (case.complaint.satisfaction, case.complaint.problem_solved) == (satisfaction, True)
    assert case.complaint.return_visited_at == story.now
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Action.RETURN_VISIT, people.agent, S.REPLIED, S.REPLIED)
    assert seen.callbacks == []


def test_a_dissatisfied_customer_reopens_the_complaint_into_a_new_round(story, watch, people):
    case = story.at(S.REPLIED)
    legal = case.complaint.legal_deadline_at

    with watch(execute=False) as seen:
        return_visit(case.complaint, reached=True, problem_solved=False, satisfaction=Satisfaction.DISSATISFIED,
                     by=people.agent, now=story.tick())

    case.refresh()
    complaint = case.complaint
    assert (complaint.status, complaint.round) == (S.RECEIVED, 2)
    assert complaint.replied_at is None and complaint.return_visit_due_at is None
    assert complaint.promised_reply_at > story.now
    assert complaint.legal_deadline_at == legal  # the legal clock runs on
    event = seen.event
    assert (event.kind, event.from_status, event.to_status) == (Action.RETURN_VISIT, S.REPLIED, S.RECEIVED)
    assert event.data["round"] == 2
    assert seen.callbacks == []


def test_the_new_round_is_derived_from_its_own_work_orders(story, people):
    case = story.at(S.REPLIED)  # its round-1 order is accepted
    return_visit(case.complaint, reached=True, problem_solved=False, satisfaction=Satisfaction.DISSATISFIED,
                 by=people.agent, now=story.tick())
    order = story.dispatch(case.complaint)
    case.refresh()
    assert order.round == 2
    assert case.complaint.status == S.DISPATCHED


def test_failed_return_visits_are_counted_and_the_third_ends_the_clock(story, watch, people):
    case = story.at(S.REPLIED)
    for attempt in (1, 2, 3):
        with watch(execute=False) as seen:
            return_visit(case.complaint, reached=False, by=people.agent, now=story.tick())
        case.refresh()
        assert case.complaint.return_visit_failures == attempt
        assert case.complaint.status == S.REPLIED
        assert seen.event.data["reached"] is False
    assert case.complaint.return_visited_at == story.now


def test_refuses_a_reached_visit_without_satisfaction(story, unchanged, people):
    case = story.at(S.REPLIED)
    still = unchanged(case)
    with pytest.raises(InvalidInput) as refused:
        return_visit(case.complaint, reached=True, problem_solved=True, by=people.agent, now=story.tick())
    assert refused.value.field == "satisfaction"
    still()
