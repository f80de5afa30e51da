"""HTML input validation for triage; the rules live in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
