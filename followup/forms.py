"""HTML input validation for the follow-up steps; the rules live in followup.actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import ResolutionCode, Satisfaction
from followup.models import ContactOutcome, ContactPurpose
from routing.models import Team

DATETIME = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]}


class RejectResultForm(forms.Form):
    reason = forms.CharField(label=_("Why the result does not meet the customer's reasonable demand"),
                             max_length=300)


class ContactAttemptForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ContactPurpose.choices, initial=ContactPurpose.REPLY)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices, widget=forms.RadioSelect)
    call_back_at = forms.DateTimeField(label=_("Call back at"), required=False, **DATETIME)
    remark = forms.CharField(label=_("Remark"), max_length=500, required=False)


class ReplyForm(forms.Form):
    summary = forms.CharField(label=_("What the customer was told"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    in_writing = forms.BooleanField(label=_("Send it by SMS/e-mail (after 3 unreached calls)"), required=False)


class PromisedDateForm(forms.Form):
    promised_reply_at = forms.DateTimeField(label=_("New promised reply time"), **DATETIME)
    reason = forms.CharField(label=_("Reason (the customer must be told)"), max_length=300)


class ReturnVisitForm(forms.Form):
    reached = forms.TypedChoiceField(label=_("Customer reached?"), choices=[("yes", _("Yes")), ("no", _("No"))],
                                     coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    problem_solved = forms.TypedChoiceField(label=_("Problem solved?"), required=False, empty_value=None,
                                            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                                            coerce=lambda v: v == "yes")
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), required=False,
                                     choices=[("", "—"), *Satisfaction.choices])
    remark = forms.CharField(label=_("Remark / reason"), max_length=500, required=False)


class CloseForm(forms.Form):
    resolution_code = forms.ChoiceField(label=_("Resolution code"), choices=ResolutionCode.choices)
    responsible_team = forms.ModelChoiceField(label=_("Responsible team"), queryset=Team.objects.all())
    root_cause = forms.CharField(label=_("Root cause"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    not_a_complaint = forms.BooleanField(label=_("Not a complaint (rejected) rather than a duplicate"),
                                         required=False)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class CheckForm(forms.Form):
    remark = forms.CharField(label=_("What you found (optional)"), max_length=300, required=False)
