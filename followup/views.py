from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from complaints.lifecycle import Role
from complaints.queries import my_complaints
from complaints.roles import roles_of
from followup import queries
from routing.queries import team_queue_for

LIST_LIMIT = 50


@login_required
def home(request):
    """One home page per role: what this person has to look at first."""
    roles = roles_of(request.user)
    now = timezone.now()
    context: dict = {"now": now}
    if Role.AGENT in roles:
        context["my_complaints"] = my_complaints(request.user)[:LIST_LIMIT]
        context["information_requests"] = queries.information_requests_for(request.user)[:LIST_LIMIT]
    if Role.SUPERVISOR in roles:
        context["status_counts"] = queries.status_counts()
        context["overdue"] = queries.overdue_complaints(now)[:LIST_LIMIT]
    if Role.BACKOFFICE in roles:
        context["queue"] = team_queue_for(request.user)[:LIST_LIMIT]
    context["is_admin"] = Role.ADMIN in roles or request.user.is_staff
    return render(request, "followup/home.html", context)
