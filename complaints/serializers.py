"""API input and output for complaints, customers, notes and attachments. No side effects here:
the input serializers check formats, the actions check the rules.

Numbers are masked in every output (DOMAIN.md, personal information); the full value is never sent.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.base import ResourcePk, StrictInput, VersionInput
from complaints.actions import Intake
from complaints.forms import MAX_EVIDENCE_FILES, NUMBER, EvidenceField
from complaints.models import (
    Attachment,
    Channel,
    Complaint,
    Customer,
    Event,
    Note,
    ResolutionCode,
    Satisfaction,
    Severity,
)
from complaints.queries import intake_categories

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


class CodeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CustomerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "masked_account", "masked_contact_number", "name", "high_value"]
        read_only_fields = fields

    masked_account = serializers.CharField(read_only=True)
    masked_contact_number = serializers.CharField(read_only=True)


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as lists and actions return it (customer, category and owner joined, no other reads)."""

    number = serializers.CharField(read_only=True)
    customer = CustomerRefSerializer(read_only=True)
    masked_contact_number = serializers.CharField(read_only=True)
    category = CodeRefSerializer(read_only=True, allow_null=True)
    first_contact_owner = UserRefSerializer(read_only=True)
    is_repeat = serializers.BooleanField(read_only=True)
    # Blank until set: the choice fields say so.
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices, allow_blank=True, read_only=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id", "number", "status", "round", "version", "severity", "severity_reason", "channel",
            "regulator_case_number", "customer", "masked_contact_number", "category", "description", "demand",
            "occurred_at", "escalation_declared", "media_threat", "media_exposure", "group_complaint", "data_leak",
            "is_repeat", "repeat_of", "first_contact_owner", "created_at", "updated_at", "received_at",
            "promised_reply_at", "legal_deadline_at", "replied_at", "return_visit_due_at", "return_visited_at",
            "closed_at", "resolved_on_the_spot", "reply_summary", "resolution_code", "root_cause",
            "responsible_team", "problem_solved", "satisfaction", "void_reason",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    kind_label = serializers.CharField(read_only=True)
    data = serializers.JSONField(read_only=True)

    class Meta:
        model = Event
        fields = ["id", "kind", "kind_label", "at", "actor", "origin", "from_status", "to_status", "work_order",
                  "data"]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "complaint", "work_order", "author", "body", "created_at"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "complaint", "work_order", "original_name", "content_type", "size", "uploaded_by",
                  "uploaded_at", "download"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, attachment: Attachment) -> str:
        path = reverse("api:attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class OrderSummarySerializer(serializers.Serializer):
    """A complaint's work orders, briefly (the full order is at /api/v1/work-orders/{id}/)."""

    id = serializers.IntegerField(read_only=True)
    round = serializers.IntegerField(read_only=True)
    team = CodeRefSerializer(read_only=True)
    state = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    claimed_by = UserRefSerializer(read_only=True, allow_null=True)
    dispatched_at = serializers.DateTimeField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)
    returned_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ComplaintDetailSerializer(ComplaintSerializer):
    """One complaint with its audit trail, work orders, notes and attachments (fixed number of reads)."""

    history = EventSerializer(source="events", many=True, read_only=True)
    work_orders = OrderSummarySerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "history", "work_orders", "notes", "attachments"]
        read_only_fields = fields


class CustomerHistorySerializer(serializers.Serializer):
    customer = CustomerRefSerializer(read_only=True)
    complaints = ComplaintSerializer(many=True, read_only=True)


class CustomerLookupInput(serializers.Serializer):
    number = serializers.CharField(min_length=5, max_length=40,
                                   help_text=_("A service number / account or a contact number."))


# --- input ---------------------------------------------------------------------------------------


def not_before_2000(value: dt.datetime | None) -> None:
    if value is not None and value < EARLIEST:
        raise serializers.ValidationError(_("Give a date after 2000."))


class EvidenceInput(serializers.ListField):
    """Evidence files (multipart), checked like the intake page checks them: kind, size, first bytes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FileField())
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_EVIDENCE_FILES)
        kwargs.setdefault("help_text", _("Images, PDF or audio; up to 5 files of 10 MB (multipart only)."))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        files = super().to_internal_value(data)
        try:
            return EvidenceField(required=False).clean(files)
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class IntakeInput(StrictInput):
    """What the agent records (DOMAIN.md step 1); `read_back_confirmed` also confirms the read-back."""

    account = serializers.CharField(max_length=40, help_text=_("Service number / account."))
    contact_number = serializers.CharField(max_length=40)
    customer_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    category = ResourcePk(queryset=intake_categories())
    description = serializers.CharField(max_length=4000)
    demand = serializers.CharField(max_length=2000)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                            validators=[not_before_2000])
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    regulator_case_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    escalation_declared = serializers.BooleanField(default=False)
    media_threat = serializers.BooleanField(default=False)
    media_exposure = serializers.BooleanField(default=False)
    group_complaint = serializers.BooleanField(default=False)
    data_leak = serializers.BooleanField(default=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, allow_null=True, default=None,
                                       help_text=_("Leave out to take the rules' suggestion."))
    severity_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    read_back_confirmed = serializers.BooleanField(
        default=False, help_text=_("The customer agreed to the summary read back: record and confirm in one call."))
    evidence = EvidenceInput()

    def validate_account(self, value: str) -> str:
        value = value.strip().replace(" ", "")
        if not NUMBER.match(value):
            raise serializers.ValidationError(_("Enter the service number or account: 5 to 40 letters, digits or dashes."))
        return value

    def validate_contact_number(self, value: str) -> str:
        value = value.strip().replace(" ", "")
        if not re.fullmatch(r"\+?[0-9\-]{5,20}", value):
            raise serializers.ValidationError(_("Enter a phone number the customer can be reached on."))
        return value

    def validate_occurred_at(self, value):
        if value and value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError(_("The problem cannot have happened in the future."))
        return value

    def intake(self) -> Intake:
        return Intake.from_input(self.validated_data)


class ResolveInput(VersionInput):
    resolution = serializers.CharField(max_length=2000)
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices)
    root_cause = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class NoteInput(VersionInput):
    body = serializers.CharField(max_length=4000)
