"""What the TMF621 interface keeps beside the complaint: the caller's own ticket attributes, attachments
referenced by URL, the hub's listener subscriptions, and every notification owed to a listener."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, Event


class TicketInfo(models.Model):
    """Attributes a calling system gives a trouble ticket that the complaint itself has no field for."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="tmf_info")
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    requested_resolution_date = models.DateTimeField(_("requested resolution date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("TMF621 ticket attributes")
        verbose_name_plural = _("TMF621 ticket attributes")
        indexes = [models.Index(fields=["external_id"])]

    def __str__(self) -> str:
        return self.external_id or str(self.complaint)


class AttachmentRef(models.Model):
    """Evidence a calling system refers to by URL; we keep the reference and never fetch it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="tmf_attachment_refs")
    url = models.URLField(_("URL"), max_length=1000)
    name = models.CharField(_("name"), max_length=255, blank=True)
    mime_type = models.CharField(_("MIME type"), max_length=100, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("attachment reference")
        verbose_name_plural = _("attachment references")

    def __str__(self) -> str:
        return self.name or self.url


class Subscription(models.Model):
    """A listener registered through /hub (TMF EventSubscription). Unregistering keeps the row, so its
    deliveries stay on record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    callback = models.URLField(_("callback"), max_length=1000)
    query = models.CharField(_("query"), max_length=500, blank=True)
    secret = models.CharField(_("signing secret"), max_length=128)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("listener subscription")
        verbose_name_plural = _("listener subscriptions")
        indexes = [models.Index(fields=["unsubscribed_at"])]

    def __str__(self) -> str:
        return self.callback


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One notification owed to one listener, written in the transaction of the change it reports
    (so none is lost if the listener or the worker is down) and sent after commit, then retried."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(_("event type"), max_length=60)
    # The notification's eventId: the same for every listener of one event, so listeners can deduplicate.
    notification_id = models.UUIDField(_("notification id"), editable=False)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        indexes = [
            # The retry task's scan: due pending deliveries only.
            models.Index(fields=["next_attempt_at"], name="tmf_delivery_due", condition=Q(status="pending")),
            models.Index(fields=["subscription", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event", "event_type"], name="tmf_one_delivery_per_event"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="tmf_delivery_status_valid"),
            models.CheckConstraint(condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                                   name="tmf_delivered_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id}"
