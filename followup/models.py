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


class DailyFigure(models.Model):
    """Pre-aggregated dashboard figures of one past day, for one category, for the whole centre
    (team empty) or for the complaints one team worked on.

    Each row is written by one family of figures (received, promised, return-visited, closed,
    dispatched, breached: see followup/daily_figures.py), its other counts being zero, so the
    dashboard sums rows whatever family they came from. Rows for root causes and breaches carry
    their detail (root_cause; kind and concerned_team) and count in `n`. Only days before today are
    kept; today is counted live. The sweep refreshes the days any change touched.
    """

    day = models.DateField()
    category = models.ForeignKey("routing.Category", null=True, on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False)
    team = models.ForeignKey("routing.Team", null=True, on_delete=models.CASCADE, related_name="+",
                             db_constraint=False)
    received = models.IntegerField(db_default=0)
    fcr = models.IntegerField(db_default=0)
    regulator = models.IntegerField(db_default=0)
    due = models.IntegerField(db_default=0)
    on_time = models.IntegerField(db_default=0)
    visited = models.IntegerField(db_default=0)
    satisfied = models.IntegerField(db_default=0)
    closed = models.IntegerField(db_default=0)
    solved = models.IntegerField(db_default=0)
    handling_seconds = models.FloatField(db_default=0)
    orders = models.IntegerField(db_default=0)
    redispatched = models.IntegerField(db_default=0)
    sent_back = models.IntegerField(db_default=0)
    urges = models.IntegerField(db_default=0)
    root_cause = models.CharField(max_length=300, blank=True, db_default="")
    breach_kind = models.CharField(max_length=40, blank=True, db_default="")
    concerned_team = models.ForeignKey("routing.Team", null=True, on_delete=models.CASCADE, related_name="+",
                                       db_constraint=False)
    n = models.IntegerField(db_default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "team", "category"], name="daily_figure_day")]

    def __str__(self) -> str:
        return f"{self.day} category={self.category_id} team={self.team_id}"


class DailyFiguresState(models.Model):
    """One row: the last day whose figures are complete, and the moment changes were last read."""

    complete_through = models.DateField(null=True)
    changes_seen_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"complete through {self.complete_through}"
