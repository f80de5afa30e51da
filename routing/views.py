"""Triage and first response: the last steps of the call, with the customer still on the line."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from complaints.actions import resolve_on_the_spot
from complaints.errors import DomainError
from complaints.lifecycle import Action, Status
from complaints.models import Complaint, Severity
from complaints.rules import reason_labels, suggested_severity
from complaints.web import add_domain_error, next_step, requires
from routing.actions import dispatch, suggested_team
from routing.forms import DispatchForm, ResolveForm
from routing.models import Team


def _complaint(pk: int) -> Complaint:
    return get_object_or_404(
        Complaint.objects.select_related("customer", "category", "category__default_team", "repeat_of"), pk=pk)


@requires(Action.DISPATCH)
def triage(request, pk: int):
    """初步分析: resolve on the spot, or dispatch to the suggested team with the agent's judgement."""
    complaint = _complaint(pk)
    if complaint.status != Status.RECEIVED:
        return next_step(complaint)
    team = suggested_team(complaint)
    dispatch_form = DispatchForm(initial={"team": team.pk if team else None, "severity": complaint.severity})
    resolve_form = ResolveForm()
    status = 200
    if request.method == "POST" and request.POST.get("decision") == "dispatch":
        dispatch_form = DispatchForm(request.POST)
        if dispatch_form.is_valid():
            d = dispatch_form.cleaned_data
            try:
                dispatch(complaint, team=d["team"], by=request.user, initial_judgement=d["initial_judgement"],
                         help_needed=d["help_needed"], team_reason=d["team_reason"], severity=d["severity"],
                         severity_reason=d["severity_reason"])
            except DomainError as error:
                add_domain_error(dispatch_form, error)
            else:
                return redirect("routing:first_response", complaint.pk)
        status = 422
    elif request.method == "POST" and request.POST.get("decision") == "resolve":
        resolve_form = ResolveForm(request.POST)
        if resolve_form.is_valid():
            d = resolve_form.cleaned_data
            try:
                resolve_on_the_spot(complaint, resolution=d["resolution"], resolution_code=d["resolution_code"],
                                    root_cause=d["root_cause"], by=request.user)
            except DomainError as error:
                add_domain_error(resolve_form, error)
            else:
                return redirect("routing:first_response", complaint.pk)
        status = 422
    suggested, reasons = suggested_severity(complaint)
    return render(request, "routing/triage.html", {
        "complaint": complaint,
        "dispatch_form": dispatch_form,
        "resolve_form": resolve_form,
        "suggested_team": team,
        "suggested_severity": Severity(suggested).label,
        "rule_reasons": reason_labels(reasons),
        "teams": Team.objects.filter(active=True),
        "open_section": request.POST.get("decision", "dispatch"),
    }, status=status)


@requires(Action.DISPATCH)
def first_response(request, pk: int):
    """初步响应: what the agent tells the customer before the call ends, apology included."""
    complaint = _complaint(pk)
    if complaint.status in (Status.DRAFT, Status.RECEIVED):
        return next_step(complaint)
    orders = complaint.work_orders.filter(round=complaint.round).select_related("team").order_by("pk")
    return render(request, "routing/first_response.html", {
        "complaint": complaint,
        "orders": orders,
        "teams": ", ".join(str(o.team) for o in orders) or _("the responsible team"),
    })
