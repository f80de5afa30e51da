"""The only writer of the audit trail."""

from __future__ import annotations

import contextvars
from typing import Any

from django.dispatch import Signal
from django.utils import timezone

from complaints.models import Complaint, Event

# Where the current request came from (client address or "api:<token user>"); set by middleware,
# "system" for the sweep and commands.
current_origin: contextvars.ContextVar[str] = contextvars.ContextVar("current_origin", default="system")

# Sent inside the action's transaction; receivers queue their side effects with on_commit.
# Layers above `complaints` (notifications, webhooks) listen here so this app imports none of them.
event_recorded = Signal()


def record_event(
    complaint: Complaint,
    kind: str,
    *,
    by,
    from_status: str,
    to_status: str | None = None,
    work_order=None,
    data: dict[str, Any] | None = None,
    at=None,
) -> Event:
    event = Event.objects.create(
        complaint=complaint,
        work_order=work_order,
        kind=kind,
        actor=by if by is not None and by.is_authenticated else None,
        at=at or timezone.now(),
        origin=current_origin.get()[:64],
        from_status=from_status,
        to_status=to_status if to_status is not None else complaint.status,
        data=data or {},
    )
    event_recorded.send(sender=Event, event=event)
    return event


class OriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(request.META.get("REMOTE_ADDR", "") or "unknown")
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
