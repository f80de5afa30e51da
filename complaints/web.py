"""The one place domain errors become page messages or form errors."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from complaints.errors import DomainError, InvalidInput, NotPermitted
from complaints.lifecycle import Action, Status
from complaints.roles import may


def add_domain_error(form, error: DomainError) -> None:
    field = getattr(error, "field", None) if isinstance(error, InvalidInput) else None
    form.add_error(field if field in form.fields else None, error.message)


def report_domain_error(request, error: DomainError) -> None:
    messages.error(request, error.message)


def requires(action: Action):
    """The page is for people the role table allows to perform `action`; others get 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not may(request.user, action):
                raise PermissionDenied(NotPermitted(action).message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def next_step(complaint):
    """Where an agent continues with a complaint: the step its status calls for."""
    if complaint.status == Status.DRAFT:
        return redirect("complaints:read_back", complaint.pk)
    if complaint.status == Status.RECEIVED:
        return redirect("routing:triage", complaint.pk)
    return redirect("followup:complaint", complaint.pk)


def safe_next(request) -> str | None:
    """The `next` a form asked to return to, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None
