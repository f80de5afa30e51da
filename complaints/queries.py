"""Who may see which complaints, and the reads the pages need."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from complaints.lifecycle import FINAL, Role, Status
from complaints.models import Complaint, Event
from complaints.roles import roles_of

OPEN_FIRST = Case(
    When(status__in=[s.value for s in FINAL], then=Value(2)),
    When(status=Status.REPLIED, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def visible_complaints(user) -> QuerySet[Complaint]:
    roles = roles_of(user)
    qs = Complaint.objects.all()
    if roles & {Role.AGENT, Role.SUPERVISOR}:
        return qs
    if Role.BACKOFFICE in roles:
        # Back-office staff see the complaints dispatched to one of their teams.
        return qs.filter(work_orders__team__memberships__user=user).distinct()
    return qs.none()


def complaint_list(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.select_related("customer", "category", "first_contact_owner").annotate(open_first=OPEN_FIRST)


def my_complaints(user) -> QuerySet[Complaint]:
    return complaint_list(Complaint.objects.filter(first_contact_owner=user)).order_by(
        "open_first", "promised_reply_at", "-created_at")


def complaint_history(complaint: Complaint) -> QuerySet[Event]:
    return complaint.events.select_related("actor", "work_order").order_by("at", "pk")
