"""HTML input validation for triage; the rules live in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms import EvidenceField
from complaints.models import ResolutionCode, Severity
from routing.models import Team


class DispatchForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.filter(active=True), empty_label=None)
    team_reason = forms.CharField(label=_("Why another team"), max_length=300, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    severity_reason = forms.CharField(label=_("Why the severity changes"), max_length=300, required=False)
    initial_judgement = forms.CharField(label=_("Your initial judgement"), max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    help_needed = forms.CharField(label=_("Help needed from the team"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    resolution_code = forms.ChoiceField(label=_("Resolution code"), choices=ResolutionCode.choices)
    root_cause = forms.CharField(label=_("Root cause"), max_length=300, required=False)


class TransferForm(forms.Form):
    team = forms.ModelChoiceField(label=_("To team"), queryset=Team.objects.filter(active=True))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class QuestionForm(forms.Form):
    question = forms.CharField(label=_("What information is missing"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Progress note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class UrgeForm(forms.Form):
    remark = forms.CharField(label=_("Remark"), max_length=300, required=False)


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Hand to"), queryset=None)

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["to"].queryset = get_user_model().objects.filter(memberships__team=team).order_by("username")
        self.fields["to"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class ResultForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    substantiated = forms.TypedChoiceField(label=_("Is the complaint substantiated (是否属实)?"),
                                           choices=[("yes", _("Yes")), ("no", _("No"))],
                                           coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    actions_taken = forms.CharField(label=_("What was done"), max_length=4000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    proposed_answer = forms.CharField(label=_("Proposed answer to the customer"), max_length=4000,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    root_cause = forms.CharField(label=_("Root cause"), max_length=300)
    evidence = EvidenceField(label=_("Attachments (images, PDF, audio; up to 10 MB each)"), required=False)
