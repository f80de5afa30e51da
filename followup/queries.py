"""Reads for the follow-up loop: each role's worklist."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from complaints.lifecycle import OPEN, Action, OrderState, Role, Status
from complaints.models import Complaint, Event
from complaints.queries import complaint_list
from complaints.roles import SYSTEM_ACCOUNTS, has_role, is_system_account
from routing.models import WorkOrder


def information_requests_for(user) -> QuerySet[WorkOrder]:
    """Work orders waiting for this agent's answer (需补充信息), oldest first."""
    return (
        WorkOrder.objects.filter(state=OrderState.WAITING_INFO, complaint__first_contact_owner=user)
        .select_related("team", "complaint", "complaint__customer", "claimed_by")
        .order_by("paused_at", "pk")
    )


def status_counts() -> list[tuple[Status, int]]:
    counts = dict(Complaint.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return [(s, counts.get(s.value, 0)) for s in Status]


def overdue_complaints(now: dt.datetime) -> QuerySet[Complaint]:
    return complaint_list(
        Complaint.objects.filter(status__in=sorted(OPEN), promised_reply_at__lt=now)
    ).order_by("promised_reply_at")


BEFORE_REPLY = [Status.RECEIVED, Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING_INFO, Status.SUSPENDED,
                Status.UNDER_REVIEW, Status.AWAITING_REPLY]


def _with_last_check(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    last_check = Event.objects.filter(complaint=OuterRef("pk"), kind=Action.CHECK).order_by("-at").values("at")[:1]
    return qs.annotate(last_checked_at=Subquery(last_check))


def _mine(user) -> QuerySet[Complaint]:
    return _with_last_check(complaint_list(Complaint.objects.filter(first_contact_owner=user)))


def worklist(user, now: dt.datetime) -> dict[str, QuerySet[Complaint]]:
    """The agent's follow-up worklist (跟进): one bounded query per bucket."""
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    mine = _mine(user)
    shared = {}
    if has_role(user, Role.AGENT) and not is_system_account(user):
        # Complaints another system recorded (TMF621, the REST API): every agent follows them up.
        shared["from_systems"] = (_with_last_check(complaint_list(Complaint.objects.filter(
            first_contact_owner__groups__name=SYSTEM_ACCOUNTS, status__in=[*BEFORE_REPLY, Status.REPLIED])))
            .order_by("promised_reply_at", "pk"))
    return {**shared,
        "overdue": mine.filter(status__in=BEFORE_REPLY, promised_reply_at__lte=now).order_by("promised_reply_at"),
        "at_risk": mine.filter(status__in=BEFORE_REPLY, reply_risk_from__lte=now, promised_reply_at__gt=now)
        .order_by("promised_reply_at"),
        "due_today": mine.filter(status__in=BEFORE_REPLY, promised_reply_at__gt=now,
                                 promised_reply_at__lte=end_of_today).filter(
            Q(reply_risk_from__gt=now) | Q(reply_risk_from__isnull=True)).order_by("promised_reply_at"),
        "to_review": mine.filter(status=Status.UNDER_REVIEW).order_by("promised_reply_at"),
        "to_reply": mine.filter(status=Status.AWAITING_REPLY).order_by("promised_reply_at"),
        "return_visits": mine.filter(status=Status.REPLIED, return_visited_at__isnull=True,
                                     return_visit_due_at__lte=end_of_today)
        .order_by("return_visit_due_at"),
    }


def unread_notifications(user) -> QuerySet:
    from followup.models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def inbox(user) -> QuerySet:
    from followup.models import Notification

    return Notification.objects.filter(recipient=user).select_related(
        "event", "event__complaint", "event__actor", "event__work_order").order_by("-created_at", "-pk")


def promise_change_untold(complaint: Complaint) -> bool:
    """A changed promised date the customer has not yet been told of (a reached call of that purpose)."""
    from followup.models import ContactAttempt, ContactOutcome, ContactPurpose

    changed = (Event.objects.filter(complaint=complaint, kind=Action.CHANGE_PROMISED_DATE)
               .order_by("-at").values_list("at", flat=True).first())
    if changed is None:
        return False
    return not ContactAttempt.objects.filter(complaint=complaint, purpose=ContactPurpose.PROMISE_CHANGE,
                                             outcome=ContactOutcome.REACHED, at__gte=changed).exists()


def is_archived(complaint: Complaint, now: dt.datetime) -> bool:
    """Closed for more than 30 days: read-only."""
    from followup.actions import REOPEN_WINDOW

    return complaint.status == Status.CLOSED and complaint.closed_at is not None and \
        now - complaint.closed_at > REOPEN_WINDOW


def complaint_clocks(complaint: Complaint, now: dt.datetime) -> list[dict]:
    """The complaint's own clocks and their states (running, at risk, breached, met), for the page."""

    def state(due, met_at, risk_from=None, flagged_breach=None) -> str:
        if met_at is not None:
            return "met" if due is None or met_at <= due else "met_late"
        if due is None:
            return "not_started"
        if flagged_breach is not None or due <= now:
            return "breached"
        if risk_from is not None and risk_from <= now:
            return "at_risk"
        return "running"

    replied = complaint.replied_at
    visited = complaint.return_visited_at
    return [
        {"name": "reply", "due": complaint.promised_reply_at,
         "state": state(complaint.promised_reply_at, replied, complaint.reply_risk_from, complaint.reply_breached_at)},
        {"name": "legal", "due": complaint.legal_deadline_at,
         "state": state(complaint.legal_deadline_at, replied, None, complaint.legal_breached_at)},
        {"name": "return_visit", "due": complaint.return_visit_due_at,
         "state": state(complaint.return_visit_due_at, visited, None, complaint.return_visit_breached_at)},
    ]
