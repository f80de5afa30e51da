"""Who may see which complaints, and the reads the pages need."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from complaints.lifecycle import FINAL, Role, Status
from complaints.models import Attachment, Complaint, Customer, Event
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


HISTORY_LIMIT = 20


def customer_with_history(number: str) -> tuple[Customer | None, list[Complaint]]:
    """The customer a typed service number or contact number belongs to, and their earlier complaints,
    open ones first. Two indexed lookups and one query for the complaints, whatever the data size."""
    number = number.strip().replace(" ", "")
    if len(number) < 5:
        return None, []
    customer = Customer.objects.filter(account=number).first()
    if customer is None:
        customer = Customer.objects.filter(contact_number=number).order_by("-pk").first()
    if customer is None:
        return None, []
    earlier = list(
        complaint_list(customer.complaints.exclude(status=Status.DRAFT))
        .order_by("open_first", "-received_at", "-pk")[:HISTORY_LIMIT]
    )
    return customer, earlier


def intake_categories() -> QuerySet:
    # The category model belongs to routing; the complaint's foreign key knows it without an import.
    category_model = Complaint._meta.get_field("category").related_model
    return category_model.objects.filter(active=True).select_related("default_team").order_by("code")


def visible_attachment(user, pk: int) -> Attachment | None:
    return Attachment.objects.filter(pk=pk, complaint__in=visible_complaints(user)).first()
