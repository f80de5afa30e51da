"""Which audit events the /hub listeners hear of, and the deliveries written for them.

The receiver runs inside the action's transaction (complaints.audit.event_recorded): the delivery rows
commit with the change they report, or not at all; the first attempt is queued on commit.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from complaints.lifecycle import Action, Status
from complaints.models import Complaint, Event
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


def queue_notifications(sender, event: Event, **kwargs) -> None:
    types = event_types(event)
    if not types:
        return
    subscriptions = list(Subscription.objects.filter(unsubscribed_at__isnull=True))
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
        from tmf.tasks import deliver_notification

        transaction.on_commit(lambda: [deliver_notification.delay(pk) for pk in ids])
