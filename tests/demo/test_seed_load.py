"""seed_load: benchmark data that obeys the models' constraints and the lifecycle, appended run after run.

Transactional: on PostgreSQL the rows arrive through COPY on a second connection.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from complaints.lifecycle import ACTIVE_ORDER, FINAL, OPEN, TRANSITIONS, Action, Status, status_from_orders
from complaints.models import Channel, Complaint, Customer, Event, Note, Severity
from complaints.rules import severity_floor
from demo.seed import DAY, EPOCH, TABLES, FastCalendar, local_seconds
from followup.models import ContactAttempt
from routing.models import Membership, WorkOrder
from worktime import clocks

pytestmark = pytest.mark.django_db(transaction=True)

TICKETS = 300


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_load", *args, tickets=TICKETS, chunk=120, stdout=out)
    return out.getvalue()


NOW_IN_A_HOLIDAY = "2026-10-03T10:00:00+08:00"  # National Day week, a make-up working Saturday soon after


@pytest.fixture(params=["now", "holiday"])
def seeded(request):
    """The seeded "now": today, or a day of the National Day holiday with another seed (and PostgreSQL
    checking the foreign keys row by row)."""
    if request.param == "now":
        return seed(), timezone.now()
    return (seed("--seed", "7", "--now", NOW_IN_A_HOLIDAY, "--check-fks"),
            dt.datetime.fromisoformat(NOW_IN_A_HOLIDAY))


def test_creates_exactly_the_complaints_asked_for_with_a_third_as_many_customers(seeded):
    assert Complaint.objects.count() == TICKETS
    assert Customer.objects.count() == TICKETS // 3
    assert "complaints 300/300" in seeded[0] and "seeded in" in seeded[0]
    accounts = list(Customer.objects.values_list("account", flat=True))
    assert all(len(a) == 11 and a.isdigit() and a.startswith("1") for a in accounts)
    assert Customer.objects.filter(high_value=True).exists()


def test_every_status_appears_in_a_realistic_mix(seeded):
    counts = Counter(Complaint.objects.values_list("status", flat=True))
    assert set(Status.values) - {Status.DRAFT} <= set(counts)
    open_share = sum(counts[s] for s in OPEN) / TICKETS
    assert 0.25 <= open_share <= 0.35
    _output, now = seeded
    overdue = Complaint.objects.filter(status__in=list(OPEN), promised_reply_at__lt=now).count()
    assert 0.02 <= overdue / TICKETS <= 0.10
    assert counts[Status.CLOSED] > TICKETS / 2
    severities = Counter(Complaint.objects.values_list("severity", flat=True))
    assert severities[Severity.GENERAL] > TICKETS / 2


def test_complaints_satisfy_the_intake_and_closure_rules(seeded):
    for c in Complaint.objects.select_related("customer"):
        if c.status != Status.DRAFT:
            assert c.category_id and c.received_at and c.promised_reply_at
            assert c.legal_deadline_at == c.received_at + dt.timedelta(days=15)
            assert c.received_at <= c.reply_risk_from <= c.promised_reply_at
            assert c.created_at <= c.received_at <= c.updated_at
        if c.channel == Channel.REGULATOR:
            assert c.regulator_case_number
        floor, _reasons = severity_floor(
            channel=c.channel, is_repeat=c.repeat_of_id is not None, high_value=c.customer.high_value,
            escalation_declared=c.escalation_declared, media_threat=c.media_threat, media_exposure=c.media_exposure,
            group_complaint=c.group_complaint, data_leak=c.data_leak)
        assert Severity.rank(c.severity) >= Severity.rank(floor), c
        assert (c.round, c.version) == (1, 1)
        if c.status in (Status.REPLIED, Status.CLOSED):
            assert c.replied_at and c.return_visit_due_at and c.reply_summary
        if c.status == Status.CLOSED:
            assert c.closed_at and c.resolution_code and c.root_cause and c.responsible_team_id
            assert c.replied_at < c.return_visited_at < c.closed_at
            assert c.satisfaction in ("satisfied", "basically") or c.return_visit_failures >= 3
        if c.status in (Status.VOIDED, Status.REJECTED):
            assert c.void_reason
        if c.repeat_of_id:
            earlier = Complaint.objects.get(pk=c.repeat_of_id)
            assert earlier.customer_id == c.customer_id and earlier.received_at <= c.received_at
    assert Complaint.objects.exclude(repeat_of=None).exists()


def test_work_orders_agree_with_their_complaint(seeded):
    members = set(Membership.objects.values_list("team_id", "user_id"))
    states = defaultdict(list)
    for o in WorkOrder.objects.all():
        states[o.complaint_id].append(o.state)
        if o.state == "queued":
            assert o.claimed_by_id is None
        if o.state in ("claimed", "waiting_info", "returned", "suspension_requested", "suspended", "accepted"):
            assert o.claimed_by_id is not None
        if o.claimed_by_id:
            assert (o.team_id, o.claimed_by_id) in members
        if o.transferred_from_id is None:  # a transferred order keeps its predecessor's clock
            assert o.dispatched_at <= o.at_risk_at <= o.due_at
        assert (o.paused_at is not None) == (o.state in ("waiting_info", "suspended"))
        if o.state in ("returned", "accepted"):
            assert o.findings and o.returned_at and o.substantiated is not None
        if o.transferred_from_id:
            assert WorkOrder.objects.get(pk=o.transferred_from_id).state == "transferred"
    for c in Complaint.objects.all():
        if c.status in OPEN:
            assert status_from_orders(states[c.pk]) == c.status, (c.pk, c.status, states[c.pk])
        if c.status in FINAL:
            assert not set(states[c.pk]) & ACTIVE_ORDER
        if c.status in (Status.REPLIED, Status.CLOSED) and not c.resolved_on_the_spot:
            assert "accepted" in states[c.pk]
    every_state = Counter(WorkOrder.objects.values_list("state", flat=True))
    assert {"queued", "claimed", "waiting_info", "suspension_requested", "suspended", "returned", "accepted",
            "cancelled"} <= set(every_state)
    open_orders = sum(every_state[s] for s in ACTIVE_ORDER)
    assert 0.2 * TICKETS <= open_orders <= 0.4 * TICKETS


def test_events_replay_a_legal_path_to_the_current_status(seeded):
    trail = defaultdict(list)
    for e in Event.objects.order_by("at", "pk"):
        trail[e.complaint_id].append(e)
    for c in Complaint.objects.all():
        events = trail[c.pk]
        assert events and events[0].kind == Action.RECORD and events[0].from_status == ""
        previous = ""
        for e in events:
            assert e.origin == "seed" and e.actor_id
            assert e.from_status == previous, (c.pk, e.kind)
            if e.kind != Action.RECORD:
                transition = TRANSITIONS[Action(e.kind)]
                assert e.from_status in transition.complaint_from, (c.pk, e.kind, e.from_status)
                if transition.complaint_to is not None:
                    assert e.to_status in transition.complaint_to, (c.pk, e.kind, e.to_status)
                if transition.on_work_order:
                    assert e.work_order_id
            previous = e.to_status
        assert previous == c.status
        assert events[-1].at <= c.updated_at + dt.timedelta(seconds=1)
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"record", "confirm_read_back", "dispatch", "claim", "return_result", "approve_result", "reply",
            "return_visit", "close", "void", "log_contact_attempt", "resolve_on_the_spot", "check"} <= kinds
    _output, now = seeded
    assert not Event.objects.filter(at__gt=now).exists()
    assert not Complaint.objects.filter(updated_at__gt=now).exists()


def test_contact_attempts_and_notes_belong_to_replied_or_handled_complaints(seeded):
    replied = Complaint.objects.filter(status__in=[Status.REPLIED, Status.CLOSED], resolved_on_the_spot=False)
    assert not replied.exclude(contact_attempts__purpose="reply").exists()
    closed = Complaint.objects.filter(status=Status.CLOSED)
    assert not closed.exclude(contact_attempts__purpose="return_visit").exists()
    assert ContactAttempt.objects.filter(purpose="return_visit").exclude(satisfaction="").exists()
    assert Note.objects.exists()
    assert Note.objects.count() == Event.objects.filter(kind="add_note").count()


def test_every_foreign_key_points_at_a_row(seeded):
    # On PostgreSQL the load may skip the database's own checks: these are the same checks, after the fact.
    for _name, model, _columns in TABLES:
        for field in model._meta.concrete_fields:
            if field.is_relation:
                targets = field.related_model._default_manager.values("pk")
                orphans = model._default_manager.exclude(**{f"{field.attname}__isnull": True}).exclude(
                    **{f"{field.attname}__in": targets})
                assert not orphans.exists(), (model.__name__, field.name)


def test_a_second_run_appends_and_normal_inserts_still_work(seeded):
    seed()
    assert Complaint.objects.count() == 2 * TICKETS
    assert Customer.objects.count() == 2 * (TICKETS // 3)
    customer = Customer.objects.create(account="10000000000")
    agent = User.objects.get(username="agent1")
    complaint = Complaint.objects.create(customer=customer, contact_number="10000000000", first_contact_owner=agent)
    assert complaint.pk > Complaint.objects.exclude(pk=complaint.pk).latest("pk").pk
    note = Note.objects.create(complaint=complaint, author=agent, body="ok")
    event = Event.objects.create(complaint=complaint, kind="record", actor=agent, at=timezone.now())
    attempt = ContactAttempt.objects.create(complaint=complaint, purpose="reply", outcome="reached", by=agent,
                                            at=timezone.now())
    for row in (note, event, attempt):
        assert row.pk > type(row).objects.exclude(pk=row.pk).latest("pk").pk


def test_fast_calendar_matches_the_working_calendar():
    tz = ZoneInfo(settings.TIME_ZONE)
    calendar = clocks.working_calendar()
    fast = FastCalendar(clocks.working_calendar(), dt.date(2025, 12, 1), dt.date(2026, 12, 15), tz)
    rng = random.Random(5)
    starts = [dt.datetime(2026, 9, 30, 17, 30, 30, tzinfo=tz), dt.datetime(2026, 10, 1, 10, tzinfo=tz),
              dt.datetime(2026, 1, 1, 9, tzinfo=tz), dt.datetime(2026, 2, 14, 18, tzinfo=tz)]
    starts += [dt.datetime(2026, 1, 1, tzinfo=tz) + dt.timedelta(seconds=rng.randrange(330 * DAY)) for _ in range(300)]
    for start in starts:
        s = local_seconds(start, tz)
        for amount, unit in ((3, "working_days"), (1, "working_days"), (4, "working_hours"), (2, "working_hours"),
                             (0, "same_day")):
            expected = calendar.deadline(start, amount, unit)
            got = fast.deadline(s, amount, unit)
            assert got == local_seconds(expected, tz), (start, amount, unit)
            assert fast.at_risk_point(s, got) == local_seconds(clocks.at_risk_point(start, expected), tz)
    assert fast.ts(local_seconds(dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=tz), tz)) == "2026-03-04 05:06:07"
    assert EPOCH == dt.date(1970, 1, 1)
