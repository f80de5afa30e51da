"""The complaint page's follow-up steps, the worklist and the bell, without a browser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.actions import Intake, confirm_read_back, record_complaint
from complaints.lifecycle import Action, Status
from demo.reference import load_reference_data
from demo.users import load_demo_users
from followup.actions import approve_result, close, log_contact_attempt, reply, return_visit
from followup.customer_messages import ConsoleBackend
from followup.models import Notification
from routing.actions import claim, dispatch, return_result
from routing.models import Category


@pytest.fixture
def users(db):
    load_reference_data()
    return load_demo_users()


def awaiting_reply(users, account="13700000001", now=None):
    now = now or timezone.now()
    category = Category.objects.get(code="billing_dispute")
    complaint = record_complaint(Intake(account=account, contact_number=account, category=category,
                                        description="多扣费", demand="退费"), by=users["agent1"], now=now)
    complaint = confirm_read_back(complaint, by=users["agent1"], now=now)
    order = claim(dispatch(complaint, team=category.default_team, by=users["agent1"], now=now),
                  by=users["billing1"], now=now)
    order = return_result(order, findings="属实", substantiated=True, actions_taken="退费", proposed_answer="已退费",
                          root_cause="规则错误", by=users["billing1"], now=now)
    approve_result(order, by=users["agent1"], now=now)
    complaint.refresh_from_db()
    return complaint


def act(client, complaint, verb, data=None):
    payload = {"version": complaint.version, **{f"{verb}-{k}": v for k, v in (data or {}).items()}}
    return client.post(reverse("followup:complaint_act", args=[complaint.pk, verb]), payload)


def test_written_reply_needs_three_unreached_calls_at_different_times(client, users,
                                                                     django_capture_on_commit_callbacks):
    complaint = awaiting_reply(users, now=timezone.now() - dt.timedelta(hours=6))
    client.force_login(users["agent1"])
    response = act(client, complaint, "reply", {"summary": "已退费", "in_writing": "on"})
    assert response.status_code == 409 and "in_writing" in response.context["forms"]["reply"].errors
    start = timezone.now() - dt.timedelta(hours=5)
    for hours in (0, 0, 2, 4):  # two tries in the same hour count once
        log_contact_attempt(complaint, outcome="not_reached", by=users["agent1"],
                            now=start + dt.timedelta(hours=hours, minutes=5 * hours))
    ConsoleBackend.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, complaint, "reply", {"summary": "已退费30元", "in_writing": "on"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED
    assert ConsoleBackend.sent == [("13700000001", "已退费30元")]
    assert complaint.events.get(kind=Action.REPLY).data["in_writing"] is True


def test_a_changed_promise_is_flagged_until_the_customer_is_told(client, users):
    complaint = awaiting_reply(users)
    client.force_login(users["agent1"])
    new = timezone.localtime() + dt.timedelta(days=2)
    act(client, complaint, "change_promised_date", {"promised_reply_at": new.strftime("%Y-%m-%dT%H:%M"),
                                                    "reason": "等待银行退款"})
    page = client.get(reverse("followup:complaint", args=[complaint.pk]))
    assert page.context["promise_untold"] is True
    complaint.refresh_from_db()
    act(client, complaint, "log_contact_attempt", {"purpose": "promise_change", "outcome": "reached"})
    assert client.get(reverse("followup:complaint", args=[complaint.pk])).context["promise_untold"] is False


def test_bad_input_on_a_step_keeps_what_was_typed(client, users):
    complaint = awaiting_reply(users)
    client.force_login(users["agent1"])
    response = act(client, complaint, "change_promised_date", {"promised_reply_at": "2020-01-01T10:00",
                                                               "reason": "客户同意延后"})
    assert response.status_code == 409
    assert "客户同意延后" in response.content.decode()
    assert complaint.events.filter(kind=Action.CHANGE_PROMISED_DATE).count() == 0


def test_closed_more_than_30_days_ago_is_read_only(client, users):
    old = timezone.now() - dt.timedelta(days=40)
    complaint = awaiting_reply(users, now=old)
    reply(complaint, summary="已退费", by=users["agent1"], now=old)
    return_visit(complaint, reached=True, problem_solved=True, satisfaction="satisfied", by=users["agent1"], now=old)
    close(complaint, resolution_code="refunded", root_cause="规则错误",
          responsible_team=Category.objects.get(code="billing_dispute").default_team, by=users["agent1"], now=old)
    client.force_login(users["agent1"])
    page = client.get(reverse("followup:complaint", args=[complaint.pk]))
    assert page.context["archived"] is True and page.context["verbs"] == []
    complaint.refresh_from_db()
    response = act(client, complaint, "reopen", {"reason": "客户又来电"})
    assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_daily_check_is_recorded_and_shown_on_the_worklist(client, users):
    complaint = awaiting_reply(users)
    client.force_login(users["agent1"])
    act(client, complaint, "check", {"remark": "等待答复"})
    event = complaint.events.get(kind=Action.CHECK)
    assert event.actor == users["agent1"] and event.data["remark"] == "等待答复"
    worklist = dict((name, list(rows)) for _title, name, rows in client.get(reverse("home")).context["worklist"])
    assert [c.pk for c in worklist["to_reply"]] == [complaint.pk]
    assert worklist["to_reply"][0].last_checked_at == event.at


def test_bell_counts_unread_and_the_inbox_marks_them_read(client, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        awaiting_reply(users)  # dispatch, result returned: the agent and the team are told
    client.force_login(users["agent1"])
    unread = Notification.objects.filter(recipient=users["agent1"], read_at__isnull=True).count()
    assert unread >= 1
    assert client.get(reverse("home")).context["unread_notifications"] == unread
    client.post(reverse("followup:notifications"))
    assert client.get(reverse("home")).context["unread_notifications"] == 0
