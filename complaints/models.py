from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from complaints.lifecycle import UNFINISHED, Action, ClockEvent, Status
from worktime.calendar import Unit


def mask_number(value: str) -> str:
    """138****5678: keep enough to recognise the number, never enough to use it."""
    digits = value or ""
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) <= 7:
        return digits[:1] + "*" * (len(digits) - 3) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


class Severity(models.TextChoices):
    GENERAL = "general", _("General (一般)")
    IMPORTANT = "important", _("Important (重要)")
    URGENT = "urgent", _("Urgent (紧急)")
    CRITICAL = "critical", _("Critical (重大)")

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone hotline")
    ONLINE = "online", _("Online / app")
    SHOP = "shop", _("Shop")
    EMAIL = "email", _("E-mail / letter")
    SOCIAL = "social", _("Social media")
    REGULATOR = "regulator", _("Regulator transfer (工信部/通信管理局转办)")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (满意)")
    BASICALLY = "basically", _("Basically satisfied (基本满意)")
    DISSATISFIED = "dissatisfied", _("Dissatisfied (不满意)")


class ResolutionCode(models.TextChoices):
    FIXED = "fixed", _("Fault fixed")
    REFUNDED = "refunded", _("Refunded / compensated")
    EXPLAINED = "explained", _("Explained, customer accepted")
    CHANGED = "changed", _("Order or plan changed")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    CANNOT_FIX = "cannot_fix", _("Cannot be fixed now")


class TimeLimit(models.Model):
    """How long each promise may take, per severity (DOMAIN.md defaults; admins change them)."""

    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, unique=True)
    reply_amount = models.PositiveSmallIntegerField(_("reply within"))
    reply_unit = models.CharField(_("reply unit"), max_length=16, choices=[(u.value, u.value) for u in Unit])
    result_amount = models.PositiveSmallIntegerField(_("back-office result within"))
    result_unit = models.CharField(_("result unit"), max_length=16, choices=[(u.value, u.value) for u in Unit])
    return_visit_days = models.PositiveSmallIntegerField(_("return visit within (working days)"), default=2)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")

    def __str__(self) -> str:
        return Severity(self.severity).label


class Customer(models.Model):
    account = models.CharField(_("service number / account"), max_length=40, unique=True)
    contact_number = models.CharField(_("contact number"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    high_value = models.BooleanField(_("high-value customer"), default=False)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["contact_number"])]

    def __str__(self) -> str:
        return f"{self.name or '-'} {self.masked_account}"

    @property
    def masked_account(self) -> str:
        return mask_number(self.account)

    @property
    def masked_contact_number(self) -> str:
        return mask_number(self.contact_number)


class Complaint(models.Model):
    """The intake record and its lifecycle, from the call to closure."""

    # Foreign keys covered by a composite index (see Meta) get no index of their own.
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="complaints", db_index=False)
    contact_number = models.CharField(_("contact number"), max_length=40)
    occurred_at = models.DateTimeField(_("when the problem happened"), null=True, blank=True)
    category = models.ForeignKey(
        "routing.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints", db_index=False
    )
    description = models.TextField(_("description"), blank=True)
    demand = models.TextField(_("customer's demand"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    regulator_case_number = models.CharField(_("regulator case number"), max_length=60, blank=True)
    escalation_declared = models.BooleanField(_("customer says they will escalate (声称升级)"), default=False)
    media_threat = models.BooleanField(_("threatens media exposure"), default=False)
    media_exposure = models.BooleanField(_("media exposure"), default=False)
    group_complaint = models.BooleanField(_("group complaint (群体投诉)"), default=False)
    data_leak = models.BooleanField(_("data leak"), default=False)

    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, default=Severity.GENERAL)
    severity_reason = models.CharField(_("reason for the severity"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    version = models.PositiveIntegerField(default=1)
    first_contact_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_complaints",
        verbose_name=_("first-contact owner"), db_index=False,
    )
    repeat_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="repeats",
        verbose_name=_("repeat of"),
    )
    # Set by the client when it starts the form so a resubmitted or double-clicked form records once.
    intake_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # The customer's history as it stood at receipt (complaints/history.py keeps them): the receipt of
    # their previous complaint, of their previous and second previous one on this category, and the
    # latest start of an earlier same-category pair. The dashboard's repeat rate counts from these.
    # Bit n is set once a work order of team n (ids below 63) was dispatched or transferred to it
    # (routing keeps it): the dashboard selects a team's complaints without a join per complaint.
    teams_reached = models.BigIntegerField(default=0, db_default=0, editable=False)
    customer_previous_at = models.DateTimeField(null=True, blank=True, editable=False)
    category_previous_at = models.DateTimeField(null=True, blank=True, editable=False)
    category_second_previous_at = models.DateTimeField(null=True, blank=True, editable=False)
    earlier_repeat_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    promised_reply_at = models.DateTimeField(_("promised reply by"), null=True, blank=True)
    # The SLA sweep compares these stored times with now; each flag is set once per clock.
    reply_risk_from = models.DateTimeField(_("reply at risk from"), null=True, blank=True)
    reply_risk_flagged_at = models.DateTimeField(null=True, blank=True)
    reply_breached_at = models.DateTimeField(_("reply promise broken at"), null=True, blank=True)
    legal_warned_at = models.DateTimeField(null=True, blank=True)
    legal_breached_at = models.DateTimeField(_("legal deadline passed at"), null=True, blank=True)
    return_visit_breached_at = models.DateTimeField(null=True, blank=True)
    return_visited_at = models.DateTimeField(_("return visit done at"), null=True, blank=True)
    legal_deadline_at = models.DateTimeField(_("legal deadline"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    return_visit_due_at = models.DateTimeField(_("return visit due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    resolved_on_the_spot = models.BooleanField(_("resolved on the spot"), default=False)
    reply_summary = models.TextField(_("what the customer was told"), blank=True)
    resolution_code = models.CharField(_("resolution code"), max_length=24, choices=ResolutionCode.choices, blank=True)
    root_cause = models.CharField(_("root cause"), max_length=300, blank=True)
    responsible_team = models.ForeignKey(
        "routing.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("responsible team"),
    )
    return_visit_failures = models.PositiveSmallIntegerField(_("failed return visits"), default=0)
    problem_solved = models.BooleanField(_("problem solved"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["first_contact_owner", "status"]),
            models.Index(fields=["status", "promised_reply_at"]),
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["category", "-created_at"]),
            models.Index(fields=["status", "legal_deadline_at"]),
            models.Index(fields=["-created_at"]),
            models.Index(fields=["contact_number"]),
            # The dashboard's period figures are range scans on these.
            # Covers the dashboard's repeat rate (customers per category in a period) on PostgreSQL.
            models.Index(fields=["received_at"],
                         include=["id", "customer", "category", "status", "customer_previous_at",
                                  "category_previous_at", "category_second_previous_at",
                                  "earlier_repeat_started_at", "teams_reached"],
                         name="complaint_received"),
            models.Index(fields=["closed_at"]),
            models.Index(fields=["promised_reply_at"]),
            models.Index(fields=["return_visited_at"]),
            # The dashboard's "breached now" and "at risk now": open complaints with a flag.
            models.Index(fields=["category"], name="complaint_open_breached",
                         condition=Q(status__in=sorted(UNFINISHED)) & (Q(reply_breached_at__isnull=False)
                                                                 | Q(legal_breached_at__isnull=False))),
            models.Index(fields=["category"], name="complaint_open_reply_risk",
                         condition=Q(status__in=sorted(UNFINISHED), reply_risk_flagged_at__isnull=False,
                                     reply_breached_at__isnull=True)),
            # A team's repeat rate, counted: the period's customers and categories from a narrow index.
            models.Index(fields=["received_at"], include=["customer", "category", "teams_reached"],
                         name="complaint_received_narrow"),
            # A category's repeat rate and figures of the day, from that category's entries only.
            models.Index(fields=["category", "received_at"],
                         include=["id", "customer", "status", "category_previous_at", "category_second_previous_at",
                                  "teams_reached"],
                         name="complaint_category_received"),
            # The dashboard's backlog by age: unfinished complaints' receipt, read from the index alone.
            models.Index(fields=["id"], include=["received_at", "category", "teams_reached"],
                         name="complaint_unfinished_age",
                         condition=Q(status__in=sorted(UNFINISHED))),
            # The dashboard's daily figures find the days a change touched.
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel=Channel.REGULATOR) | ~Q(regulator_case_number=""),
                name="regulator_transfer_has_case_number",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.DRAFT]) | Q(received_at__isnull=False, category__isnull=False),
                name="received_complaint_has_category_and_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED)
                | Q(closed_at__isnull=False, responsible_team__isnull=False) & ~Q(resolution_code="") & ~Q(root_cause=""),
                name="closed_complaint_has_resolution",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="complaint_status_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="complaint_severity_valid"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"TS{self.pk:08d}" if self.pk else "TS--------"

    @staticmethod
    def pk_from_number(text: str) -> int | None:
        digits = text.strip().upper().removeprefix("TS")
        # ASCII digits only: str.isdigit() is also true of "²" and other scripts' digits, which int() refuses.
        return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 12 else None

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None

    @property
    def masked_contact_number(self) -> str:
        return mask_number(self.contact_number)


def private_storage() -> FileSystemStorage:
    """Evidence storage outside the web root; a callable so migrations do not record a machine's path."""
    return _PRIVATE_STORAGE


_PRIVATE_STORAGE = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    work_order = models.ForeignKey(
        "routing.WorkOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to="%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Note(models.Model):
    """A progress note or remark; visible to the agent and the handlers of the complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notes")
    work_order = models.ForeignKey(
        "routing.WorkOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.body[:40]


class AppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event through the ORM."""


class Event(models.Model):
    """The audit trail: who did what, when, from where, to which complaint. Append-only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events", db_index=False)
    work_order = models.ForeignKey(
        "routing.WorkOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    at = models.DateTimeField(_("at"))
    origin = models.CharField(_("from"), max_length=64, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["complaint", "at"]),
            models.Index(fields=["kind", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("audit events are never changed")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit events are never deleted")

    def clean(self) -> None:
        if self.pk:
            raise ValidationError(_("Audit events are read-only."))

    @cached_property
    def kind_label(self) -> str:
        if self.kind in Action.values:
            return Action(self.kind).label
        return ClockEvent(self.kind).label if self.kind in ClockEvent.values else self.kind

    @property
    def from_status_label(self) -> str:
        return Status(self.from_status).label if self.from_status in Status.values else self.from_status

    @property
    def to_status_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else self.to_status
