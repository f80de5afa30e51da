"""Reads for the follow-up loop: each role's worklist."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from complaints.lifecycle import OPEN, OrderState, Status
from complaints.models import Complaint
from complaints.queries import complaint_list
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
