"""Which audit events the /hub listeners hear of, and the deliveries written for them.

The receiver runs inside the action's transaction (complaints.audit.event_recorded): the delivery rows
commit with the change they report, or not at all; the first attempt is queued on commit.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from complaints.lifecycle import Action, Status
from complaints.models import Complaint, Event
from complaints.roles import roles_of
from tmf.inputs import parse_query
from tmf.mapping import iso, ticket_dict, tmf_status
from tmf.models import Delivery, DeliveryStatus, Subscription

CREATE = "TroubleTicketCreateEvent"
STATUS_CHANGE = "TroubleTicketStatusChangeEvent"
RESOLVED = "TroubleTicketResolvedEvent"
INFORMATION_REQUIRED = "TroubleTicketInformationRequiredEvent"

NAMESPACE = uuid.UUID("6f1d3c52-8a0e-4b7e-9c1e-621000000000")


def event_types(event: Event) -> list[str]:
    """A ticket exists for other systems once it is read back (acknowledged); after that every move to
    another TMF status is a status change, a reply is also a resolution, and a work order's request for
    information is an information-required event."""
    if event.kind == Action.CONFIRM_READ_BACK:
        return [CREATE]
    types = []
    before, after = tmf_status(event.from_status), tmf_status(event.to_status)
    if event.from_status not in ("", Status.DRAFT) and after is not None and before != after:
        types.append(STATUS_CHANGE)
        if after == "resolved":
            types.append(RESOLVED)
    if event.kind == Action.REQUEST_INFORMATION:
        types.append(INFORMATION_REQUIRED)
    return types


def notification(event: Event, event_type: str, ticket: dict) -> dict:
    """The spec's <Type>Event body: eventId, eventTime, eventType and the ticket as it stands after the change."""
    body = {
        "@type": event_type,
        "eventId": str(uuid.uuid5(NAMESPACE, f"{event.pk}:{event_type}")),
        "eventTime": iso(event.at),
        "eventType": event_type,
        "domain": "troubleTicket",
        "title": event_type,
        "event": {"troubleTicket": ticket},
    }
    if event_type == INFORMATION_REQUIRED and isinstance(event.data, dict) and event.data.get("question"):
        body["description"] = str(event.data["question"])
    return body


def wanted_by(subscription: Subscription, event_type: str) -> bool:
    types, _unknown = parse_query(subscription.query)
    return types is None or event_type in types


def may_listen(owner) -> bool:
    """Listeners hear of every ticket: only while their owner is active and still an agent or supervisor."""
    from tmf.actions import HUB_ROLES

    return bool(roles_of(owner) & HUB_ROLES)


def refresh_create_event(complaint: Complaint) -> None:
    """The create event is recorded at the read-back, before the caller's externalId, name, notes and
    attachments are saved: once they are, its unsent notifications carry the ticket as created."""
    from tmf.queries import with_everything

    rows = list(Delivery.objects.filter(event__complaint=complaint, event_type=CREATE, status=DeliveryStatus.PENDING,
                                        attempts=0).select_related("event"))
    if not rows:
        return
    ticket = ticket_dict(with_everything(Complaint.objects.filter(pk=complaint.pk)).get())
    for row in rows:
        row.payload = notification(row.event, CREATE, ticket)
    Delivery.objects.bulk_update(rows, ["payload"])


def queue_notifications(sender, event: Event, **kwargs) -> None:
    types = event_types(event)
    if not types:
        return
    subscriptions = [s for s in Subscription.objects.filter(unsubscribed_at__isnull=True, owner__is_active=True)
                     .select_related("owner").prefetch_related("owner__groups") if may_listen(s.owner)]
    if not subscriptions:
        return
    from tmf.queries import with_everything

    complaint = with_everything(Complaint.objects.filter(pk=event.complaint_id)).get()
    ticket = ticket_dict(complaint)
    rows = [
        Delivery(subscription=subscription, event=event, event_type=event_type,
                 notification_id=uuid.uuid5(NAMESPACE, f"{event.pk}:{event_type}"),
                 payload=notification(event, event_type, ticket), status=DeliveryStatus.PENDING,
                 next_attempt_at=event.at)
        for event_type in types for subscription in subscriptions if wanted_by(subscription, event_type)
    ]
    created = Delivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        from tmf.delivery import dispatch

        transaction.on_commit(lambda: dispatch(ids))
