"""受理与记录: a draft awaiting read-back; repeats flagged; severity never below what the facts require."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from complaints.actions import correct_draft, record_complaint
from complaints.errors import InvalidInput
from complaints.lifecycle import Action, Status
from complaints.models import Channel, Complaint, Customer, Event, Severity
from tests.factories import CustomerFactory

S = Status


def test_record_complaint_creates_a_draft_owned_by_the_agent(story, watch, people):
    with watch(execute=False) as seen:
        complaint = record_complaint(story.intake(account="13912345678"), by=people.agent, now=story.tick())

    complaint.refresh_from_db()
    assert (complaint.status, complaint.first_contact_owner, complaint.severity) == (S.DRAFT, people.agent,
                                                                                      Severity.GENERAL)
    assert complaint.customer.account == "13912345678" and complaint.customer.name == "王先生"
    assert complaint.received_at is None and complaint.repeat_of is None
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status, event.at) == (
        Action.RECORD, people.agent, "", S.DRAFT, story.now)
    assert seen.callbacks == []


def test_recording_twice_with_the_same_intake_key_returns_the_same_complaint(story, watch, people):
    intake = story.intake()
    first = record_complaint(intake, by=people.agent, intake_key="form-7f3a", now=story.tick())

    with watch(execute=False) as seen:
        again = record_complaint(intake, by=people.agent, intake_key="form-7f3a", now=story.tick())

    assert again.pk == first.pk
    assert Complaint.objects.count() == 1 and Customer.objects.count() == 1
    assert Event.objects.filter(kind=Action.RECORD).count() == 1
    assert seen.events == [] and seen.callbacks == []


def test_correcting_a_draft_keeps_it_a_draft_and_records_what_changed(story, watch, people):
    complaint = story.draft(account="13912345678")

    with watch(execute=False) as seen:
        corrected = correct_draft(complaint, story.intake(account="13912345678", demand="退费并道歉。"),
                                  by=people.agent, now=story.tick())

    assert (corrected.status, corrected.version, corrected.demand) == (S.DRAFT, 2, "退费并道歉。")
    event = seen.event
    assert (event.kind, event.from_status, event.to_status) == (Action.RECORD, S.DRAFT, S.DRAFT)
    assert event.data["corrected"] == ["demand"]
    assert seen.callbacks == []


# --- repeat complaints (重复投诉) ---


def test_an_open_complaint_of_the_same_customer_makes_a_repeat(story, people):
    earlier = story.at(S.DISPATCHED, account="13911110000").complaint
    complaint = record_complaint(story.intake(account="13911110000", category=story.categories["network_quality"]),
                                 by=people.agent, now=story.tick())
    assert complaint.repeat_of == earlier
    assert complaint.severity == Severity.IMPORTANT


def test_a_closed_complaint_on_the_same_category_within_30_days_makes_a_repeat(story, people):
    earlier = story.at(S.CLOSED, account="13911110000").complaint
    story.tick(dt.timedelta(days=29))
    complaint = record_complaint(story.intake(account="13911110000"), by=people.agent, now=story.tick())
    assert complaint.repeat_of == earlier
    assert complaint.severity == Severity.IMPORTANT


@pytest.mark.parametrize(("days", "category"), [(31, "billing_dispute"), (5, "network_quality")],
                         ids=["same-category-after-30-days", "other-category-closed"])
def test_a_closed_complaint_long_ago_or_on_another_category_is_no_repeat(story, people, days, category):
    story.at(S.CLOSED, account="13911110000")
    story.tick(dt.timedelta(days=days))
    complaint = record_complaint(story.intake(account="13911110000", category=story.categories[category]),
                                 by=people.agent, now=story.tick())
    assert complaint.repeat_of is None
    assert complaint.severity == Severity.GENERAL


@pytest.mark.parametrize("status", [S.DRAFT, S.VOIDED, S.REJECTED])
def test_drafts_and_voided_complaints_are_no_repeat(story, people, status):
    story.at(status, account="13911110000")
    complaint = record_complaint(story.intake(account="13911110000"), by=people.agent, now=story.tick())
    assert complaint.repeat_of is None


def test_refuses_a_repeat_below_important(story, people):
    story.at(S.RECEIVED, account="13911110000")
    with pytest.raises(InvalidInput) as refused:
        record_complaint(story.intake(account="13911110000", severity=Severity.GENERAL, severity_reason="客户语气平和"),
                         by=people.agent, now=story.tick())
    assert refused.value.field == "severity"
    assert Complaint.objects.count() == 1


# --- the severity floor (DOMAIN.md: special cases) ---


@pytest.mark.parametrize(
    ("facts", "floor", "rule"),
    [
        ({"escalation_declared": True}, Severity.IMPORTANT, "escalation_declared"),
        ({"media_threat": True}, Severity.URGENT, "media_threat"),
        ({"channel": Channel.REGULATOR, "regulator_case_number": "工信部-2025-0001"}, Severity.URGENT, "regulator"),
        ({"group_complaint": True}, Severity.CRITICAL, "group_complaint"),
        ({"media_exposure": True}, Severity.CRITICAL, "media_exposure"),
        ({"data_leak": True}, Severity.CRITICAL, "data_leak"),
    ],
)
def test_the_facts_set_the_severity_floor(story, watch, people, facts, floor, rule):
    with watch(execute=False) as seen:
        complaint = record_complaint(story.intake(**facts), by=people.agent, now=story.tick())
    assert complaint.severity == floor
    assert rule in seen.event.data["severity_rules"]


def test_a_high_value_customer_is_at_least_important(story, people):
    CustomerFactory(account="13900008888", high_value=True)
    complaint = record_complaint(story.intake(account="13900008888"), by=people.agent, now=story.tick())
    assert complaint.severity == Severity.IMPORTANT


def test_a_category_may_default_to_a_higher_severity(story, people):
    complaint = record_complaint(story.intake(category=story.categories["information_security"]), by=people.agent,
                                 now=story.tick())
    assert complaint.severity == Severity.IMPORTANT


def test_refuses_a_regulator_transfer_without_its_case_number(story, people):
    with pytest.raises(InvalidInput) as refused:
        record_complaint(story.intake(channel=Channel.REGULATOR), by=people.agent, now=story.tick())
    assert refused.value.field == "regulator_case_number"
    assert not Complaint.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize("severity", [Severity.GENERAL, Severity.IMPORTANT])
def test_refuses_lowering_a_group_complaint_below_critical(story, people, severity):
    with pytest.raises(InvalidInput) as refused:
        record_complaint(story.intake(group_complaint=True, severity=severity, severity_reason="只有两户"),
                         by=people.agent, now=story.tick())
    assert refused.value.field == "severity"
    assert not Complaint.objects.exists()


def test_a_severity_other_than_the_suggested_one_needs_a_reason(story, people):
    with pytest.raises(InvalidInput) as refused:
        record_complaint(story.intake(severity=Severity.URGENT), by=people.agent, now=story.tick())
    assert refused.value.field == "severity_reason"
    assert not Complaint.objects.exists()

    complaint = record_complaint(story.intake(severity=Severity.URGENT, severity_reason="全家无法上网"), by=people.agent,
                                 now=story.tick())
    assert (complaint.severity, complaint.severity_reason) == (Severity.URGENT, "全家无法上网")


def test_the_suggested_severity_needs_no_reason(story, people):
    complaint = record_complaint(story.intake(media_threat=True, severity=Severity.URGENT), by=people.agent,
                                 now=story.tick())
    assert (complaint.severity, complaint.severity_reason) == (Severity.URGENT, "")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_records_once_even_when_both_posts_arrive_together(story, people):
    intake = story.intake()
    barrier = threading.Barrier(2)
    outcomes: list = []

    def post() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(record_complaint(intake, by=people.agent, intake_key="form-double", now=story.now).pk)
        except Exception as exc:  # whatever the second post got, reported by the assertion below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2 and all(isinstance(o, int) for o in outcomes), outcomes
    assert outcomes[0] == outcomes[1]
    assert Complaint.objects.count() == 1
    assert Event.objects.filter(kind=Action.RECORD).count() == 1
