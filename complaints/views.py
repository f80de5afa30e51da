from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from complaints import queries
from complaints.lifecycle import OPEN, Role, Status
from complaints.models import Complaint
from complaints.roles import roles_of


@login_required
def home(request):
    """One home page per role: what this person has to look at first."""
    roles = roles_of(request.user)
    context: dict = {"now": timezone.now()}
    if Role.AGENT in roles:
        context["my_complaints"] = queries.my_complaints(request.user)[:50]
    if Role.SUPERVISOR in roles:
        counts = dict(Complaint.objects.values_list("status").annotate(n=Count("pk")).order_by())
        context["status_counts"] = [(s, counts.get(s.value, 0)) for s in Status]
        context["overdue"] = queries.complaint_list(
            Complaint.objects.filter(status__in=list(OPEN), promised_reply_at__lt=context["now"])
        ).order_by("promised_reply_at")[:50]
    if Role.BACKOFFICE in roles:
        from routing.queries import team_queue_for

        context["queue"] = team_queue_for(request.user)[:50]
    context["is_admin"] = Role.ADMIN in roles or request.user.is_staff
    return render(request, "complaints/home.html", context)


@login_required
def complaint_detail(request, pk: int):
    complaint = get_object_or_404(queries.complaint_list(queries.visible_complaints(request.user)), pk=pk)
    context = {
        "complaint": complaint,
        "history": queries.complaint_history(complaint),
        "work_orders": complaint.work_orders.select_related("team", "claimed_by").order_by("dispatched_at", "pk"),
        "notes": complaint.notes.select_related("author", "work_order").all(),
    }
    return render(request, "complaints/detail.html", context)
