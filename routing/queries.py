"""Reads for the back-office: team queues and who may see which work order."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from complaints.lifecycle import ACTIVE_ORDER, OrderState
from routing.models import WorkOrder


def team_queue_for(user) -> QuerySet[WorkOrder]:
    """The user's teams' open orders: unclaimed first by due time, then the user's own."""
    return (
        WorkOrder.objects.filter(team__memberships__user=user, state__in=list(ACTIVE_ORDER))
        .filter(Q(state=OrderState.QUEUED) | Q(claimed_by=user))
        .select_related("team", "complaint", "complaint__customer", "complaint__category", "claimed_by")
        .annotate(unclaimed_first=Case(When(state=OrderState.QUEUED, then=Value(0)), default=Value(1),
                                       output_field=IntegerField()))
        .order_by("unclaimed_first", "due_at", "pk")
    )
