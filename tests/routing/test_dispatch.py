"""派单: a work order to the category's team (or another, with a reason), due in working time."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.errors import InvalidInput
from complaints.lifecycle import TRANSITIONS, Action, OrderState, Status
from complaints.models import Satisfaction, Severity
from followup.actions import reopen, return_visit
from routing.actions import dispatch
from routing.models import WorkOrder
from tests.factories import ORDER_FOR_STATUS, SHANGHAI, orders_status

S, OS = Status, OrderState


@pytest.mark.parametrize("status", sorted(TRANSITIONS[Action.DISPATCH].complaint_from))
def test_dispatch_queues_a_work_order_for_the_team(story, watch, people, status):
    case = story.at(status)
    existing = ORDER_FOR_STATUS.get(status)

    with watch() as seen:
        order = dispatch(case.complaint, team=story.teams["billing"], by=people.agent, initial_judgement="疑似重复扣费",
                         help_needed="核查账单", now=story.tick())

    case.refresh()
    expected = orders_status(existing, OS.QUEUED)
    assert order.state == OS.QUEUED and order.claimed_by is None and order.team == story.teams["billing"]
    assert (order.dispatched_by, order.dispatched_at, order.round) == (people.agent, story.now, 1)
    assert case.complaint.status == expected
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.DISPATCH, people.agent, status,
                                                                             expected)
    assert event.work_order == order and event.data["team"] == "billing"
    assert len(seen.callbacks) == 1
    assert seen.notified == {"billing1", "billing2"}  # the team; the agent is not told of their own dispatch


def test_result_is_due_in_working_days_of_the_severity(story, people):
    complaint = story.received()  # general: result within 2 working days
    order = dispatch(complaint, team=story.teams["billing"], by=people.agent, now=story.tick())
    assert story.now == dt.datetime(2025, 6, 9, 10, 15, tzinfo=SHANGHAI)  # a Monday
    assert order.due_at == dt.datetime(2025, 6, 11, 10, 15, tzinfo=SHANGHAI)
    # at risk once 80% of the 18 working hours are used: 14h24m of working time later
    # (7h45m on Monday, 6h39m on Tuesday)
    assert order.at_risk_at == dt.datetime(2025, 6, 10, 15, 39, tzinfo=SHANGHAI)


def test_refuses_another_team_than_the_suggested_one_without_a_reason(story, people, unchanged):
    complaint = story.received()
    with pytest.raises(InvalidInput) as refused:
        dispatch(complaint, team=story.teams["network"], by=people.agent, now=story.tick())
    assert refused.value.field == "team_reason"
    assert not WorkOrder.objects.exists()


def test_another_team_with_a_reason_records_the_suggestion(story, watch, people):
    complaint = story.received()
    with watch() as seen:
        dispatch(complaint, team=story.teams["network"], team_reason="客户说是信号问题。", by=people.agent,
                 now=story.tick())
    assert seen.event.data["suggested_team"] == "billing"
    assert seen.event.data["team_reason"] == "客户说是信号问题。"
    assert seen.notified == {"network1"}


def test_refuses_a_team_that_no_longer_takes_work(story, people):
    complaint = story.received()
    team = story.teams["billing"]
    team.active = False
    team.save(update_fields=["active"])
    with pytest.raises(InvalidInput):
        dispatch(complaint, team=team, by=people.agent, now=story.tick())
    assert not WorkOrder.objects.exists()


def test_triage_may_raise_the_severity_with_a_reason_and_the_promise_follows(story, watch, people):
    complaint = story.received()
    promised_before = complaint.promised_reply_at
    with watch() as seen:
        order = dispatch(complaint, team=story.teams["billing"], severity=Severity.URGENT,
                         severity_reason="客户称要向工信部投诉。", by=people.agent, now=story.tick())
    complaint.refresh_from_db()
    assert complaint.severity == order.severity == Severity.URGENT
    assert complaint.promised_reply_at < promised_before  # urgent: 1 working day instead of 3
    assert seen.event.data["severity_from"] == Severity.GENERAL
    assert seen.event.data["severity_to"] == Severity.URGENT


def test_refuses_a_severity_change_without_a_reason(story, people):
    complaint = story.received()
    with pytest.raises(InvalidInput) as refused:
        dispatch(complaint, team=story.teams["billing"], severity=Severity.URGENT, by=people.agent, now=story.tick())
    assert refused.value.field == "severity_reason"
    complaint.refresh_from_db()
    assert complaint.severity == Severity.GENERAL and not WorkOrder.objects.exists()


def test_refuses_lowering_the_severity_below_the_rules_floor(story, people):
    complaint = story.received(escalation_declared=True, severity=Severity.IMPORTANT)
    with pytest.raises(InvalidInput) as refused:
        dispatch(complaint, team=story.teams["billing"], severity=Severity.GENERAL, severity_reason="客户已平静。",
                 by=people.agent, now=story.tick())
    assert refused.value.field == "severity"
    complaint.refresh_from_db()
    assert complaint.severity == Severity.IMPORTANT and not WorkOrder.objects.exists()


@pytest.mark.parametrize("new_round", ["reopened", "dissatisfied"])
def test_a_severity_change_in_a_new_round_promises_from_the_rounds_start(story, people, new_round):
    case = story.at(S.CLOSED if new_round == "reopened" else S.REPLIED)
    story.tick(dt.timedelta(days=20))
    if new_round == "reopened":
        reopen(case.complaint, reason="问题复现。", by=people.agent, now=story.tick())
    else:
        return_visit(case.complaint, reached=True, problem_solved=False, satisfaction=Satisfaction.DISSATISFIED,
                     by=people.agent, now=story.tick())
    assert story.now.date() == dt.date(2025, 6, 29)  # a Sunday

    dispatch(case.complaint, team=story.teams["billing"], severity=Severity.IMPORTANT, severity_reason="第二次投诉。",
             by=people.agent, now=story.tick())

    case.refresh()
    # important: 2 working days from the round's start (Sunday: from Monday 09:00), not from the first receipt
    assert case.complaint.promised_reply_at == dt.datetime(2025, 7, 1, 18, 0, tzinfo=SHANGHAI)
