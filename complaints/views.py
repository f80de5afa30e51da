from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import queries
from complaints.actions import confirm_read_back, correct_draft, find_repeat_of, record_complaint
from complaints.errors import DomainError
from complaints.forms import IntakeForm
from complaints.lifecycle import Action, Status
from complaints.models import Complaint
from complaints.rules import reason_labels, suggested_severity
from complaints.web import add_domain_error, next_step, report_domain_error, requires


def _lookup_context(number: str, category_id: str | None) -> dict:
    customer, earlier = queries.customer_with_history(number)
    repeat_of = None
    if customer is not None:
        pk = _int(category_id)
        category = queries.intake_categories().filter(pk=pk).first() if pk else None
        repeat_of = find_repeat_of(customer, category, now=timezone.now())
    return {"lookup_number": number, "customer": customer, "earlier": earlier, "repeat_of": repeat_of,
            "now": timezone.now()}


def _intake_page(request, form, *, complaint=None, status=200):
    number = form["account"].value() or ""
    context = {
        "form": form,
        "complaint": complaint,
        "categories": queries.intake_categories(),
        **_lookup_context(number, form["category"].value()),
    }
    return render(request, "complaints/intake.html", context, status=status)


@requires(Action.RECORD)
def new_call(request):
    """受理: the agent records the call while the customer is on the line."""
    categories = queries.intake_categories()
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, categories=categories)
        if form.is_valid():
            try:
                complaint = record_complaint(form.intake(), by=request.user, intake_key=form.cleaned_data["intake_key"],
                                             evidence=form.cleaned_data["evidence"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return next_step(complaint)
        return _intake_page(request, form, status=422)
    number = request.GET.get("account", "").strip()
    form = IntakeForm(categories=categories, initial={
        "intake_key": uuid.uuid4().hex, "account": number, "contact_number": number,
        "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
    })
    return _intake_page(request, form)


@requires(Action.RECORD)
def customer_lookup(request):
    """The customer panel beside the intake form, refreshed as the number is typed."""
    context = _lookup_context(request.GET.get("account", ""), request.GET.get("category") or None)
    return render(request, "complaints/intake.html#customer-panel", context)


@requires(Action.RECORD)
def correct_draft_view(request, pk: int):
    """After the read-back the agent corrects what the customer did not agree with."""
    complaint = get_object_or_404(Complaint.objects.select_related("customer"), pk=pk)
    if complaint.status != Status.DRAFT:
        return next_step(complaint)
    categories = queries.intake_categories()
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, categories=categories)
        if form.is_valid():
            try:
                complaint = correct_draft(complaint, form.intake(), by=request.user,
                                          evidence=form.cleaned_data["evidence"],
                                          expected_version=_int(request.POST.get("version")))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("complaints:read_back", complaint.pk)
        return _intake_page(request, form, complaint=complaint, status=422)
    form = IntakeForm(categories=categories, initial=IntakeForm.initial_from(complaint))
    return _intake_page(request, form, complaint=complaint)


@requires(Action.CONFIRM_READ_BACK)
def read_back(request, pk: int):
    """复述确认: the summary the agent reads back; only the customer's agreement moves it on."""
    complaint = get_object_or_404(
        Complaint.objects.select_related("customer", "category", "category__default_team", "repeat_of"), pk=pk)
    if complaint.status != Status.DRAFT:
        return next_step(complaint)
    if request.method == "POST":
        if request.POST.get("agreed") != "yes":
            messages.error(request, _("Confirm that the customer agreed with the summary, or correct it."))
        else:
            try:
                complaint = confirm_read_back(complaint, by=request.user,
                                              expected_version=_int(request.POST.get("version")))
            except DomainError as error:
                report_domain_error(request, error)
            else:
                return next_step(complaint)
    suggested, reasons = suggested_severity(complaint)
    return render(request, "complaints/read_back.html", {
        "complaint": complaint,
        "rule_reasons": reason_labels(reasons),
        "attachments": complaint.attachments.all(),
    })


@login_required
def attachment_download(request, pk: int):
    """Evidence is served only to people who may see its complaint, never from a public URL."""
    attachment = queries.visible_attachment(request.user, pk)
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type or
                            "application/octet-stream", as_attachment=True, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
