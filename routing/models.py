from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaints.lifecycle import ACTIVE_ORDER, OrderState
from complaints.models import Channel, Complaint, Severity


class BilingualName(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class Team(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="supervised_teams",
        verbose_name=_("supervisor"),
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"


class Category(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    default_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="categories",
                                     verbose_name=_("default team"))
    default_severity = models.CharField(_("default severity"), max_length=16, choices=Severity.choices,
                                        default=Severity.GENERAL)
    # Pinyin initials and synonyms so an agent can find the category by typing.
    keywords = models.CharField(_("search keywords"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class WorkOrder(models.Model):
    """One dispatch of a complaint to a back-office team, until its result is accepted."""

    # Foreign keys covered by a composite index (see Meta) get no index of their own.
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="work_orders", db_index=False)
    round = models.PositiveSmallIntegerField(default=1)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("team"),
                             db_index=False)
    state = models.CharField(_("state"), max_length=24, choices=OrderState.choices, default=OrderState.QUEUED)
    version = models.PositiveIntegerField(default=1)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    initial_judgement = models.TextField(_("agent's initial judgement"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)

    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField(_("dispatched at"))
    # The complaint's receipt (it never changes once received), copied so the dashboard's backlog by
    # age reads the running orders alone.
    complaint_received_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="claimed_orders",
        verbose_name=_("handler"), db_index=False,
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    due_at = models.DateTimeField(_("result due"))
    # 80% of the working time to due_at; stored with it so pages and the sweep only compare timestamps.
    at_risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    risk_flagged_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    urge_count = models.PositiveIntegerField(_("urges"), default=0)
    rejection_count = models.PositiveIntegerField(_("results rejected"), default=0)
    transferred_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to"
    )

    info_question = models.TextField(_("information requested"), blank=True)
    info_answer = models.TextField(_("information given"), blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)  # transfer / send-back / suspension

    findings = models.TextField(_("findings"), blank=True)
    substantiated = models.BooleanField(_("complaint substantiated"), null=True, blank=True)
    actions_taken = models.TextField(_("what was done"), blank=True)
    proposed_answer = models.TextField(_("proposed answer to the customer"), blank=True)
    root_cause = models.CharField(_("root cause"), max_length=300, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        indexes = [
            # The team queue: unclaimed first by due time, then one's own.
            models.Index(fields=["team", "state", "due_at"], name="order_queue"),
            models.Index(fields=["claimed_by", "state", "due_at"], name="order_handler"),
            models.Index(fields=["complaint", "round"], name="order_complaint"),
            # The dashboard's period figures and the days its daily figures must recompute.
            models.Index(fields=["dispatched_at"], name="order_dispatched"),
            models.Index(fields=["updated_at"], name="order_updated"),
            models.Index(fields=["team", "complaint_received_at"], name="order_running_age",
                         condition=Q(state__in=sorted(ACTIVE_ORDER))),
            models.Index(fields=["team", "complaint"], name="order_running_breached",
                         condition=Q(state__in=sorted(ACTIVE_ORDER), breached_at__isnull=False)),
            models.Index(fields=["team", "complaint"], name="order_running_at_risk",
                         condition=Q(state__in=sorted(ACTIVE_ORDER), risk_flagged_at__isnull=False,
                                     breached_at__isnull=True)),
            models.Index(fields=["dispatched_at"], include=["complaint", "team"], name="order_urged",
                         condition=Q(urge_count__gt=0)),
            # The sweep only ever looks at orders that are still running.
            models.Index(fields=["due_at"], name="order_open_due", condition=Q(state__in=sorted(ACTIVE_ORDER))),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=OrderState.values), name="order_state_valid"),
            models.CheckConstraint(
                condition=Q(state=OrderState.QUEUED, claimed_by__isnull=True)
                | ~Q(state=OrderState.QUEUED),
                name="queued_order_has_no_handler",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[OrderState.CLAIMED, OrderState.WAITING_INFO, OrderState.SUSPENSION_REQUESTED,
                                        OrderState.SUSPENDED, OrderState.RETURNED, OrderState.ACCEPTED])
                | Q(claimed_by__isnull=False),
                name="handled_order_has_handler",
            ),
        ]

    def __str__(self) -> str:
        return f"WO{self.pk:08d}" if self.pk else "WO--------"

    @property
    def number(self) -> str:
        return str(self)

    def sla_state(self, now) -> str:
        """on_time, at_risk, breached or paused: the colour of the countdown."""
        if self.state in (OrderState.WAITING_INFO, OrderState.SUSPENDED):
            return "paused"
        if self.breached_at is not None or self.due_at <= now:
            return "breached"
        if self.at_risk_at is not None and self.at_risk_at <= now:
            return "at_risk"
        return "on_time"


class RoutingRule(models.Model):
    """Admin-editable routing: the first active rule that matches a complaint picks the team.

    Blank conditions match anything; rules are tried by ascending priority, then the category's
    default team applies.
    """

    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                 verbose_name=_("category"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    customer_tag = models.CharField(_("customer tag"), max_length=40, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"#{self.priority} → {self.team}"

    def matches(self, complaint: Complaint) -> bool:
        return (
            (self.category_id is None or self.category_id == complaint.category_id)
            and (not self.severity or self.severity == complaint.severity)
            and (not self.channel or self.channel == complaint.channel)
            and (not self.customer_tag or self.customer_tag in (complaint.customer.tags or []))
        )
