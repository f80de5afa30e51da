"""HTML input validation for intake; business rules stay in complaints.actions."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.actions import Intake
from complaints.models import Channel, Severity

NUMBER = re.compile(r"^[0-9A-Za-z\-]{5,40}$")

# Evidence the centre accepts: what a phone can take or record, and documents.
ALLOWED_EVIDENCE = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg", ".wav": "audio/wav", ".m4a": "audio/mp4", ".amr": "audio/amr", ".ogg": "audio/ogg",
}
# The first bytes each kind of file starts with, so a renamed executable is refused.
MAGIC = {
    "image/jpeg": [b"\xff\xd8\xff"], "image/png": [b"\x89PNG"], "image/gif": [b"GIF8"], "image/webp": [b"RIFF"],
    "application/pdf": [b"%PDF"], "audio/mpeg": [b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"],
    "audio/wav": [b"RIFF"], "audio/mp4": [b"\x00\x00\x00"], "audio/amr": [b"#!AMR"], "audio/ogg": [b"OggS"],
}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(_("At most %(n)d files.") % {"n": MAX_EVIDENCE_FILES})
        for upload in files:
            name = upload.name.lower()
            extension = name[name.rfind("."):] if "." in name else ""
            kind = ALLOWED_EVIDENCE.get(extension)
            if kind is None:
                raise forms.ValidationError(
                    _("%(name)s: only images, PDF and audio recordings are accepted.") % {"name": upload.name})
            if upload.size > MAX_EVIDENCE_BYTES:
                raise forms.ValidationError(_("%(name)s is larger than 10 MB.") % {"name": upload.name})
            head = upload.read(8)
            upload.seek(0)
            if not any(head.startswith(magic) for magic in MAGIC[kind]):
                raise forms.ValidationError(
                    _("%(name)s does not look like the kind of file its name says.") % {"name": upload.name})
            upload.evidence_type = kind
        return files


class IntakeForm(forms.Form):
    account = forms.CharField(label=_("Service number / account"), max_length=40)
    contact_number = forms.CharField(label=_("Contact number"), max_length=40)
    customer_name = forms.CharField(label=_("Customer name"), max_length=100, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, empty_label=_("— choose —"))
    description = forms.CharField(label=_("Description of the problem"), widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=4000)
    demand = forms.CharField(label=_("What the customer asks for"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)
    occurred_at = forms.DateTimeField(label=_("When the problem happened"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                 format="%Y-%m-%dT%H:%M"),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    regulator_case_number = forms.CharField(label=_("Regulator case number"), max_length=60, required=False)
    escalation_declared = forms.BooleanField(label=_("Says they will escalate (声称升级)"), required=False)
    media_threat = forms.BooleanField(label=_("Threatens media exposure"), required=False)
    media_exposure = forms.BooleanField(label=_("Media exposure"), required=False)
    group_complaint = forms.BooleanField(label=_("Group complaint (群体投诉)"), required=False)
    data_leak = forms.BooleanField(label=_("Personal data leak"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", _("Suggested by the rules")), *Severity.choices],
                                 required=False)
    severity_reason = forms.CharField(label=_("Why this severity"), max_length=300, required=False)
    evidence = EvidenceField(label=_("Evidence (images, PDF, audio; up to 10 MB each)"), required=False)
    intake_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories

    def clean_account(self):
        value = self.cleaned_data["account"].strip().replace(" ", "")
        if not NUMBER.match(value):
            raise forms.ValidationError(_("Enter the service number or account: 5 to 40 letters, digits or dashes."))
        return value

    def clean_contact_number(self):
        value = self.cleaned_data["contact_number"].strip().replace(" ", "")
        if not re.fullmatch(r"\+?[0-9\-]{5,20}", value):
            raise forms.ValidationError(_("Enter a phone number the customer can be reached on."))
        return value

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("The problem cannot have happened in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.REGULATOR and not (data.get("regulator_case_number") or "").strip():
            self.add_error("regulator_case_number", _("A regulator transfer needs the regulator's case number."))
        return data

    def intake(self) -> Intake:
        return Intake.from_input(self.cleaned_data)

    @staticmethod
    def initial_from(complaint) -> dict:
        return {
            "account": complaint.customer.account, "contact_number": complaint.contact_number,
            "customer_name": complaint.customer.name, "category": complaint.category_id,
            "description": complaint.description, "demand": complaint.demand,
            "occurred_at": timezone.localtime(complaint.occurred_at) if complaint.occurred_at else None,
            "channel": complaint.channel, "regulator_case_number": complaint.regulator_case_number,
            "escalation_declared": complaint.escalation_declared, "media_threat": complaint.media_threat,
            "media_exposure": complaint.media_exposure, "group_complaint": complaint.group_complaint,
            "data_leak": complaint.data_leak, "severity": complaint.severity,
            "severity_reason": complaint.severity_reason, "intake_key": complaint.intake_key or "",
        }


def settings_max_upload() -> int:
    return getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 2621440)
