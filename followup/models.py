from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, Satisfaction


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    CALL_BACK = "call_back", _("Asked to call back")


class ContactPurpose(models.TextChoices):
    REPLY = "reply", _("Reply")
    RETURN_VISIT = "return_visit", _("Return visit")
    PROMISE_CHANGE = "promise_change", _("Tell of a new promised date")


class ContactAttempt(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="contact_attempts")
    purpose = models.CharField(_("purpose"), max_length=16, choices=ContactPurpose.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ContactOutcome.choices)
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True)
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        indexes = [models.Index(fields=["complaint", "purpose", "at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.get_outcome_display()}"


class Notification(models.Model):
    """An in-app reminder (the bell), one per recipient of an audit event that concerns them."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey("complaints.Event", on_delete=models.PROTECT, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]
        constraints = [models.UniqueConstraint(fields=["recipient", "event"], name="one_notification_per_event")]

    def __str__(self) -> str:
        return f"{self.recipient} ← {self.event}"
