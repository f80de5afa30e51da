"""Sending a notification to a listener: signed, recorded, retried with backoff until delivered or given up.

A delivery is claimed with one conditional UPDATE (status pending and due), which pushes its next
attempt a lease ahead, so a worker and the retry task never send the same one twice at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.db.models import F
from django.utils import timezone

from tmf.callbacks import refusal
from tmf.models import Delivery, DeliveryStatus

TIMEOUT_SECONDS = 10
LEASE = dt.timedelta(minutes=2)
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
# A listener may be down for a long weekend: retried (at most an hour apart) for three days, then given up.
GIVE_UP_AFTER = dt.timedelta(hours=72)
RETRY_BATCH = 200
SIGNATURE_HEADER = "X-Signature"

log = logging.getLogger(__name__)


def backoff(attempts: int) -> dt.timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return min(FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 20)), LONGEST_WAIT)


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a listener answers where it was registered; a redirect counts as a failure


_opener = urllib.request.build_opener(_NoRedirect())


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def attempt(delivery_id: int, *, now: dt.datetime | None = None) -> str | None:
    """One attempt at a due pending delivery; returns its new status, or None if it was not ours to send."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now,
                                      subscription__unsubscribed_at__isnull=True).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json;charset=utf-8", "User-Agent": "complaint-desk-tmf621",
               SIGNATURE_HEADER: signature(body, delivery.subscription.secret),
               "X-Event-Id": str(delivery.notification_id), "X-Event-Type": delivery.event_type}
    code: int | None = None
    try:
        refused = refusal(delivery.subscription.callback)
        if refused:
            raise PermissionError(refused)
        code = post(delivery.subscription.callback, body, headers)
        error = "" if 200 <= code < 300 else f"HTTP {code}"
    except Exception as exc:  # refused, timed out, unresolvable, malformed URL, not HTTP at all...
        error = f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
    attempts = delivery.attempts + 1
    if not error:
        status, changes = DeliveryStatus.DELIVERED, {"delivered_at": timezone.now(), "next_attempt_at": None}
    elif now - delivery.created_at >= GIVE_UP_AFTER:
        status, changes = DeliveryStatus.FAILED, {"next_attempt_at": None}
    else:
        status, changes = DeliveryStatus.PENDING, {"next_attempt_at": now + backoff(attempts)}
    Delivery.objects.filter(pk=delivery_id).update(status=status, attempts=F("attempts") + 1, last_error=error[:500],
                                                    last_status_code=code, **changes)
    return status


def due(now: dt.datetime) -> list[int]:
    """Pending deliveries whose next attempt is due, oldest first (one indexed scan)."""
    return list(Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now,
                                        subscription__unsubscribed_at__isnull=True)
                .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:RETRY_BATCH])


def dispatch(ids: list[int]) -> None:
    """Queues the first attempt of each delivery, after commit: a broker or listener failure is logged
    (delivery ids only, no payload: it holds phone numbers) and left to the retry task, never raised."""
    from tmf.tasks import deliver_notification

    for pk in ids:
        try:
            deliver_notification.delay(pk)
        except Exception as exc:
            log.warning("TMF621 delivery %s: first attempt not made (%s); the retry task will send it.",
                        pk, type(exc).__name__)
