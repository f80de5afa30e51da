"""Triage and first response: the last steps of the call, with the customer still on the line."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from complaints.actions import resolve_on_the_spot
from complaints.errors import DomainError
from complaints.lifecycle import TRANSITIONS, Action, OrderState, Role, Status, is_legal
from complaints.models import Complaint, Severity
from complaints.roles import may, roles_of
from complaints.rules import reason_labels, suggested_severity
from complaints.web import add_domain_error, next_step, report_domain_error, requires, safe_next
from routing.actions import (
    add_progress_note,
    answer_information,
    approve_suspension,
    claim,
    dispatch,
    reassign,
    refuse_suspension,
    release,
    request_information,
    request_suspension,
    resume,
    return_result,
    send_back,
    suggested_team,
    transfer,
    urge,
)
from routing.forms import (
    AnswerForm,
    DispatchForm,
    NoteForm,
    OptionalReasonForm,
    QuestionForm,
    ReasonForm,
    ReassignForm,
    ResolveForm,
    ResultForm,
    TransferForm,
    UrgeForm,
)
from routing.models import Team, WorkOrder
from routing.queries import order_for_page, order_history, queue_page


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
                         severity_reason=d["severity_reason"], expected_version=_int(request.POST.get("version")))
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
                                    root_cause=d["root_cause"], by=request.user,
                                    expected_version=_int(request.POST.get("version")))
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
        # Translators: separates team names in a list (Chinese uses 、).
        "teams": pgettext("list separator", ", ").join(str(o.team) for o in orders) or _("the responsible team"),
    })


@login_required
def queue(request):
    """The back-office queue: unclaimed first by due time, then one's own; filters and search."""
    if not roles_of(request.user) & {Role.BACKOFFICE, Role.SUPERVISOR}:
        raise PermissionDenied
    queue_filter, page = queue_page(request.user, request.GET)
    context = {"filter": queue_filter, "page": page, "now": timezone.now(), "query": _without_page(request.GET)}
    template = "routing/queue.html#queue-table" if request.htmx else "routing/queue.html"
    return render(request, template, context)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


# The order page's buttons: verb -> the domain action it performs, and the form it needs (if any).
ORDER_VERBS = {
    "claim": (lambda o, d, by, v: claim(o, by=by, expected_version=v), None),
    "release": (lambda o, d, by, v: release(o, by=by, expected_version=v), None),
    "reassign": (lambda o, d, by, v: reassign(o, to=d["to"], by=by, expected_version=v), ReassignForm),
    "request_information": (lambda o, d, by, v: request_information(o, question=d["question"], by=by,
                                                                    expected_version=v), QuestionForm),
    "answer_information": (lambda o, d, by, v: answer_information(o, answer=d["answer"], by=by,
                                                                  expected_version=v), AnswerForm),
    "transfer": (lambda o, d, by, v: transfer(o, team=d["team"], reason=d["reason"], by=by,
                                              expected_version=v), TransferForm),
    "send_back": (lambda o, d, by, v: send_back(o, reason=d["reason"], by=by, expected_version=v), ReasonForm),
    "request_suspension": (lambda o, d, by, v: request_suspension(o, reason=d["reason"], by=by,
                                                                  expected_version=v), ReasonForm),
    "approve_suspension": (lambda o, d, by, v: approve_suspension(o, by=by, expected_version=v), None),
    "refuse_suspension": (lambda o, d, by, v: refuse_suspension(o, reason=d["reason"], by=by,
                                                                expected_version=v), OptionalReasonForm),
    "resume": (lambda o, d, by, v: resume(o, by=by, expected_version=v), None),
    "return_result": (lambda o, d, by, v: return_result(o, by=by, expected_version=v, **d), ResultForm),
    "urge": (lambda o, d, by, v: urge(o, remark=d["remark"], by=by), UrgeForm),
    "add_note": (lambda o, d, by, v: add_progress_note(o, body=d["body"], by=by), NoteForm),
}


def _form(verb: str, order: WorkOrder, data=None, files=None):
    form_class = ORDER_VERBS[verb][1]
    if form_class is None:
        return None
    kwargs = {"team": order.team} if form_class is ReassignForm else {}
    form = form_class(data, files, prefix=verb, **kwargs)
    if verb == "transfer":
        form.fields["team"].queryset = Team.objects.filter(active=True).exclude(pk=order.team_id)
    return form


def _available_verbs(order: WorkOrder, user) -> list[str]:
    """The buttons this person may press on this order now (the tables decide, the action re-checks)."""
    roles = roles_of(user)
    handler_only = Role.SUPERVISOR not in roles and Role.BACKOFFICE in roles and order.state != OrderState.QUEUED
    verbs = []
    for verb in ORDER_VERBS:
        action = Action(verb)
        on_order = TRANSITIONS[action].order_from is not None
        if not may(user, action) or not is_legal(action, order.complaint.status, order.state if on_order else None):
            continue
        if handler_only and on_order and verb != "urge" and order.claimed_by_id != user.pk:
            continue
        verbs.append(verb)
    return verbs


def _order_page(request, order: WorkOrder, *, bound: dict | None = None, status: int = 200):
    verbs = _available_verbs(order, request.user)
    forms = {verb: (bound or {}).get(verb) or _form(verb, order) for verb in verbs if ORDER_VERBS[verb][1]}
    return render(request, "routing/order.html", {
        "order": order,
        "complaint": order.complaint,
        "verbs": verbs,
        "buttons": [verb for verb in verbs if ORDER_VERBS[verb][1] is None],
        "forms": forms,
        "history": order_history(order),
        "notes": order.complaint.notes.select_related("author", "work_order").all(),
        "attachments": order.complaint.attachments.all(),
        "now": timezone.now(),
    }, status=status)


@login_required
def order_page(request, pk: int):
    order = order_for_page(request.user, pk)
    if order is None:
        raise Http404
    return _order_page(request, order)


@login_required
def order_act(request, pk: int, verb: str):
    """One button or form on the order page: call its domain action; errors come back on the page."""
    if request.method != "POST" or verb not in ORDER_VERBS:
        raise Http404
    order = order_for_page(request.user, pk)
    if order is None:
        raise Http404
    perform = ORDER_VERBS[verb][0]
    form = _form(verb, order, request.POST, request.FILES)
    if form is not None and not form.is_valid():
        return _order_page(request, order, bound={verb: form}, status=422)
    try:
        result = perform(order, form.cleaned_data if form else {}, request.user, _int(request.POST.get("version")))
    except DomainError as error:
        if form is not None:
            add_domain_error(form, error)
            return _order_page(request, order, bound={verb: form}, status=409)
        report_domain_error(request, error)
        return redirect("routing:order", order.pk)
    done = Action(verb).label
    messages.success(request, _("%(what)s: done.") % {"what": done})
    if safe_next(request):
        return redirect(safe_next(request))
    if verb == "transfer":
        return redirect("routing:queue")
    if isinstance(result, WorkOrder) and order_for_page(request.user, result.pk) is None:
        return redirect("routing:queue")
    return redirect("routing:order", order.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
