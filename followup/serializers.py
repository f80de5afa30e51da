"""API input and output for the follow-up steps (formats only; rules in followup.actions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.base import ResourcePk, VersionInput
from complaints.models import ResolutionCode, Satisfaction
from complaints.serializers import UserRefSerializer, not_before_2000
from followup.models import ContactAttempt, ContactOutcome, ContactPurpose
from routing.models import Team
from routing.serializers import ReasonInput

__all__ = ["ReasonInput"]


class ContactAttemptSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ContactAttempt
        fields = ["id", "complaint", "purpose", "outcome", "call_back_at", "satisfaction", "remark", "by", "at"]
        read_only_fields = fields


class ContactAttemptInput(VersionInput):
    purpose = serializers.ChoiceField(choices=ContactPurpose.choices, default=ContactPurpose.REPLY)
    outcome = serializers.ChoiceField(choices=ContactOutcome.choices)
    call_back_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                             validators=[not_before_2000],
                                             help_text=_("Required (in the future) when the outcome is call_back."))
    remark = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReplyInput(VersionInput):
    summary = serializers.CharField(max_length=4000)
    in_writing = serializers.BooleanField(default=False,
                                          help_text=_("By SMS/e-mail, after 3 unreached calls at different times."))


class PromisedDateInput(VersionInput):
    promised_reply_at = serializers.DateTimeField(validators=[not_before_2000])
    reason = serializers.CharField(max_length=300)


class ReturnVisitInput(VersionInput):
    reached = serializers.BooleanField()
    problem_solved = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True, default="")
    remark = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CloseInput(VersionInput):
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices)
    responsible_team = ResourcePk(queryset=Team.objects.all())
    root_cause = serializers.CharField(max_length=300)


class VoidInput(VersionInput):
    reason = serializers.CharField(max_length=300)
    not_a_complaint = serializers.BooleanField(default=False,
                                               help_text=_("Rejected as not a complaint rather than a duplicate."))


class CheckInput(VersionInput):
    remark = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RejectResultInput(VersionInput):
    reason = serializers.CharField(max_length=300)
