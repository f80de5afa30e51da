from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.actions import add_note
from complaints.errors import DomainError
from complaints.lifecycle import Action, Role, is_legal
from complaints.models import Complaint
from complaints.queries import complaint_history, complaint_list, my_complaints, visible_complaints
from complaints.roles import may, roles_of
from complaints.web import add_domain_error, report_domain_error, safe_next
from followup import queries
from followup.actions import (
    approve_result,
    change_promised_date,
    check_complaint,
    close,
    escalate,
    log_contact_attempt,
    reject_result,
    reopen,
    reply,
    return_visit,
    void,
)
from followup.forms import (
    CheckForm,
    CloseForm,
    ContactAttemptForm,
    NoteForm,
    PromisedDateForm,
    ReasonForm,
    RejectResultForm,
    ReplyForm,
    ReturnVisitForm,
    VoidForm,
)
from routing.actions import urge
from routing.models import WorkOrder
from routing.queries import queue_page
from worktime.clocks import known_gaps

LIST_LIMIT = 50
WORKLIST_TITLES = {
    "from_systems": gettext_lazy("Recorded by other systems: follow up"),
    "overdue": gettext_lazy("Overdue"),
    "at_risk": gettext_lazy("At risk"),
    "due_today": gettext_lazy("Due today"),
    "to_review": gettext_lazy("Results waiting for your review"),
    "to_reply": gettext_lazy("Waiting for your reply to the customer"),
    "return_visits": gettext_lazy("Return visits due"),
}


@login_required
def home(request):
    """One home page per role: what this person has to look at first."""
    roles = roles_of(request.user)
    now = timezone.now()
    context: dict = {"now": now}
    if Role.AGENT in roles:
        context["my_complaints"] = my_complaints(request.user)[:LIST_LIMIT]
        context["information_requests"] = queries.information_requests_for(request.user)[:LIST_LIMIT]
        context["worklist"] = [(WORKLIST_TITLES[name], name, qs[:LIST_LIMIT])
                               for name, qs in queries.worklist(request.user, now).items()]
    if Role.SUPERVISOR in roles:
        context["status_counts"] = queries.status_counts()
        context["overdue"] = queries.overdue_complaints(now)[:LIST_LIMIT]
    if Role.BACKOFFICE in roles:
        context["queue"] = queue_page(request.user, {}, size=LIST_LIMIT)[1].rows
        context["is_team_lead"] = request.user.memberships.filter(is_lead=True).exists()
    context["is_admin"] = Role.ADMIN in roles or request.user.is_staff
    if context["is_admin"]:
        context["calendar_gaps"] = list(known_gaps()[:20])
    return render(request, "followup/home.html", context)


# The complaint page's follow-up steps: verb -> the domain action and the form it needs.
COMPLAINT_VERBS = {
    "log_contact_attempt": (lambda c, d, by, v: log_contact_attempt(c, by=by, **d), ContactAttemptForm),
    "reply": (lambda c, d, by, v: reply(c, by=by, expected_version=v, **d), ReplyForm),
    "change_promised_date": (lambda c, d, by, v: change_promised_date(c, by=by, expected_version=v, **d),
                             PromisedDateForm),
    "return_visit": (lambda c, d, by, v: return_visit(c, by=by, expected_version=v, **d), ReturnVisitForm),
    "close": (lambda c, d, by, v: close(c, by=by, expected_version=v, **d), CloseForm),
    "reopen": (lambda c, d, by, v: reopen(c, reason=d["reason"], by=by, expected_version=v), ReasonForm),
    "void": (lambda c, d, by, v: void(c, by=by, expected_version=v, **d), VoidForm),
    "add_note": (lambda c, d, by, v: add_note(c, body=d["body"], by=by), NoteForm),
    "check": (lambda c, d, by, v: check_complaint(c, remark=d["remark"], by=by), CheckForm),
    "escalate": (lambda c, d, by, v: escalate(c, reason=d["reason"], by=by, expected_version=v), ReasonForm),
}
# Steps on one of the complaint's work orders, taken from the complaint page.
REVIEW_VERBS = {
    "approve_result": (lambda o, d, by, v: approve_result(o, by=by, expected_version=v), None),
    "reject_result": (lambda o, d, by, v: reject_result(o, reason=d["reason"], by=by, expected_version=v),
                      RejectResultForm),
    "urge": (lambda o, d, by, v: urge(o, by=by), None),
}


def _complaint_verbs(complaint: Complaint, user) -> list[str]:
    return [verb for verb in COMPLAINT_VERBS
            if may(user, Action(verb)) and is_legal(Action(verb), complaint.status)]


def _order_verbs(order: WorkOrder, status: str, user) -> list[str]:
    return [verb for verb in REVIEW_VERBS if may(user, Action(verb)) and is_legal(Action(verb), status, order.state)]


def _initial(verb: str, complaint: Complaint, orders: list[WorkOrder]) -> dict:
    current = [o for o in orders if o.round == complaint.round and o.findings]
    if verb == "reply":
        return {"summary": "\n".join(o.proposed_answer for o in current)}
    if verb == "close":
        team = current[-1].team_id if current else (complaint.category.default_team_id if complaint.category_id else None)
        return {"root_cause": current[-1].root_cause if current else complaint.root_cause,
                "responsible_team": team, "resolution_code": complaint.resolution_code or None}
    if verb == "change_promised_date":
        return {"promised_reply_at": timezone.localtime(complaint.promised_reply_at)
                if complaint.promised_reply_at else None}
    return {}


def _complaint_page(request, complaint: Complaint, *, bound: dict | None = None, status: int = 200):
    orders = list(complaint.work_orders.select_related("team", "claimed_by").order_by("dispatched_at", "pk"))
    archived = queries.is_archived(complaint, timezone.now())
    verbs = [] if archived else _complaint_verbs(complaint, request.user)
    forms = {verb: (bound or {}).get(verb) or COMPLAINT_VERBS[verb][1](prefix=verb,
                                                                    initial=_initial(verb, complaint, orders))
             for verb in verbs}
    for order in orders:
        order.verbs = _order_verbs(order, complaint.status, request.user)
        order.reject_form = (bound or {}).get(f"reject_result-{order.pk}") or RejectResultForm(
            prefix=f"reject_result-{order.pk}")
    return render(request, "followup/complaint.html", {
        "complaint": complaint,
        "history": complaint_history(complaint),
        "work_orders": orders,
        "notes": complaint.notes.select_related("author", "work_order").all(),
        "attempts": complaint.contact_attempts.select_related("by").all(),
        "attachments": complaint.attachments.all(),
        "verbs": verbs,
        "forms": forms,
        "can_answer": may(request.user, Action.ANSWER_INFORMATION),
        "archived": archived,
        "promise_untold": queries.promise_change_untold(complaint),
        "clocks": queries.complaint_clocks(complaint, timezone.now()),
        "now": timezone.now(),
    }, status=status)


def _visible(request, pk: int) -> Complaint:
    complaint = complaint_list(visible_complaints(request.user)).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


@login_required
def complaint_page(request, pk: int):
    return _complaint_page(request, _visible(request, pk))


@login_required
def complaint_act(request, pk: int, verb: str):
    """One follow-up step from the complaint page; errors come back on the page, nothing typed is lost."""
    if request.method != "POST" or verb not in COMPLAINT_VERBS and verb not in REVIEW_VERBS:
        raise Http404
    complaint = _visible(request, pk)
    version = _int(request.POST.get("version"))
    if verb in REVIEW_VERBS:
        order = get_object_or_404(WorkOrder, pk=_int(request.POST.get("order")), complaint=complaint)
        perform, form_class = REVIEW_VERBS[verb]
        prefix = f"{verb}-{order.pk}"
        target = order
    else:
        perform, form_class = COMPLAINT_VERBS[verb]
        prefix, target = verb, complaint
    form = form_class(request.POST, prefix=prefix) if form_class else None
    if form is not None and not form.is_valid():
        return _complaint_page(request, complaint, bound={prefix: form}, status=422)
    try:
        perform(target, form.cleaned_data if form else {}, request.user, version)
    except DomainError as error:
        if form is None:
            report_domain_error(request, error)
            return redirect("followup:complaint", complaint.pk)
        add_domain_error(form, error)
        return _complaint_page(request, complaint, bound={prefix: form}, status=409)
    messages.success(request, _("%(what)s: done.") % {"what": Action(verb).label})
    return redirect(safe_next(request) or reverse("followup:complaint", args=[complaint.pk]))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def notifications(request):
    """The bell: reminders, escalations and what others did on one's work; opening marks them read."""
    items = list(queries.inbox(request.user)[:100])
    if request.method == "POST":
        queries.unread_notifications(request.user).update(read_at=timezone.now())
        return redirect("followup:notifications")
    return render(request, "followup/notifications.html", {"items": items})
