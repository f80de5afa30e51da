from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from tmf import delivery


@shared_task
def deliver_notification(delivery_id: int) -> str | None:
    """The first attempt, queued when the change commits; later ones come from the retry task."""
    return delivery.attempt(delivery_id)


@shared_task
def retry_notifications() -> int:
    """Celery beat, every minute: re-sends the pending deliveries whose backoff has passed."""
    ids = delivery.due(timezone.now())
    for pk in ids:
        deliver_notification.delay(pk)
    return len(ids)
