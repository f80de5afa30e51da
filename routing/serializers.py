"""API input and output for teams, categories and work orders (formats only; rules in routing.actions)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.base import ResourcePk, VersionInput
from complaints.models import Severity
from complaints.serializers import CodeRefSerializer, EventSerializer, EvidenceInput, UserRefSerializer
from routing.models import Category, Team, WorkOrder


class TeamSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "code", "name", "name_zh", "name_en", "active"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "name_zh", "name_en", "parent", "default_team", "default_severity",
                  "keywords", "active"]
        read_only_fields = fields


class WorkOrderSerializer(serializers.ModelSerializer):
    """A work order as lists and actions return it (complaint, team and handler joined)."""

    number = serializers.CharField(read_only=True)
    complaint_number = serializers.CharField(source="complaint.number", read_only=True)
    complaint_status = serializers.CharField(source="complaint.status", read_only=True)
    team = CodeRefSerializer(read_only=True)
    claimed_by = UserRefSerializer(read_only=True, allow_null=True)
    sla_state = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrder
        fields = [
            "id", "number", "complaint", "complaint_number", "complaint_status", "round", "team", "state", "version",
            "severity", "initial_judgement", "help_needed", "dispatched_by", "dispatched_at", "claimed_by",
            "claimed_at", "due_at", "at_risk_at", "breached_at", "paused_at", "sla_state", "urge_count",
            "rejection_count", "transferred_from", "info_question", "info_answer", "reason", "findings",
            "substantiated", "actions_taken", "proposed_answer", "root_cause", "returned_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["on_time", "at_risk", "breached", "paused"]))
    def get_sla_state(self, order: WorkOrder) -> str:
        return order.sla_state(timezone.now())


class WorkOrderDetailSerializer(WorkOrderSerializer):
    transferred_to = serializers.IntegerField(source="transferred_to_id", read_only=True, allow_null=True,
                                              help_text=_("The order that took over after a transfer."))
    history = EventSerializer(source="history_rows", many=True, read_only=True)

    class Meta(WorkOrderSerializer.Meta):
        fields = [*WorkOrderSerializer.Meta.fields, "transferred_to", "history"]
        read_only_fields = fields


# --- input ---------------------------------------------------------------------------------------


class DispatchInput(VersionInput):
    team = ResourcePk(queryset=Team.objects.all())
    team_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                        help_text=_("Required when the team is not the suggested one."))
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, allow_null=True, default=None)
    severity_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    initial_judgement = serializers.CharField(max_length=2000)
    help_needed = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonInput(VersionInput):
    reason = serializers.CharField(max_length=300)


class OptionalReasonInput(VersionInput):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReassignInput(VersionInput):
    to = ResourcePk(queryset=get_user_model().objects.filter(is_active=True),
                    help_text=_("A member of the order's team."))


class TransferInput(VersionInput):
    team = ResourcePk(queryset=Team.objects.all())
    reason = serializers.CharField(max_length=300)


class QuestionInput(VersionInput):
    question = serializers.CharField(max_length=2000)


class AnswerInput(VersionInput):
    answer = serializers.CharField(max_length=2000)


class ResultInput(VersionInput):
    findings = serializers.CharField(max_length=4000)
    substantiated = serializers.BooleanField()
    actions_taken = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    proposed_answer = serializers.CharField(max_length=4000)
    root_cause = serializers.CharField(max_length=300)
    evidence = EvidenceInput()


class UrgeInput(VersionInput):
    remark = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ProgressNoteInput(VersionInput):
    body = serializers.CharField(max_length=4000)
