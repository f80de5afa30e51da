"""The supervisor's dashboard, its drill-down lists and exports."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from dataclasses import replace

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.lifecycle import Role
from complaints.models import mask_number
from complaints.roles import roles_of
from followup import charts, dashboard
from followup.daily_figures import complete_through
from routing.models import Category, Membership, Team

METRICS = {
    "received": gettext_lazy("Received"), "fcr": gettext_lazy("Resolved on the first contact"),
    "regulator": gettext_lazy("Regulator appeals"), "due": gettext_lazy("Replies due"), "on_time": gettext_lazy("Replied on time"),
    "late": gettext_lazy("Replied late or overdue"), "visited": gettext_lazy("Successful return visits"),
    "satisfied": gettext_lazy("Satisfied or basically satisfied"), "closed": gettext_lazy("Closed"), "solved": gettext_lazy("Solved"),
    "breached_open": gettext_lazy("Open with a breach"), "at_risk": gettext_lazy("At risk now"),
    "breached_today": gettext_lazy("Breached today"), "redispatched": gettext_lazy("Re-dispatched"),
    "sent_back": gettext_lazy("Sent back"), "urged": gettext_lazy("Urged"), "escalated": gettext_lazy("Escalated"),
}


def allowed_teams(user):
    """Supervisors see every team; back-office team leads see their own teams."""
    roles = roles_of(user)
    if Role.SUPERVISOR in roles:
        return Team.objects.all(), True
    if Role.BACKOFFICE in roles:
        teams = Team.objects.filter(memberships__user=user, memberships__is_lead=True)
        if teams.exists():
            return teams, False
    raise PermissionDenied


class ScopeForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=gettext_lazy("Whole centre"))
    category = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=Category.objects.all(), required=False,
                                      empty_label=gettext_lazy("All categories"))

    def __init__(self, *args, teams=None, whole_centre=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if not whole_centre:
            self.fields["team"].required = True
            self.fields["team"].empty_label = None

    def scope(self, today: dt.date) -> dashboard.Scope:
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end:
            start, end = end, start
        team = data.get("team")
        if team is None and not self.fields["team"].empty_label:
            team = self.fields["team"].queryset.first()
        return dashboard.Scope(start=start, end=end, team=team, category=data.get("category"))


def _scope(request, *, stored: bool = False):
    """The scope asked for; with `stored`, figures of past days come from the daily pre-aggregates."""
    teams, whole_centre = allowed_teams(request.user)
    form = ScopeForm(request.GET or None, teams=teams, whole_centre=whole_centre)
    scope = form.scope(timezone.localdate())
    if stored:
        scope = replace(scope, stored_through=complete_through())
    return form, scope


@login_required
def dashboard_page(request):
    form, scope = _scope(request, stored=True)
    now = timezone.now()
    trend = dashboard.daily_trend(scope, now)
    backlog = dashboard.backlog_by_age(scope, now)
    figures = dashboard.headline(scope, now)
    figures["avg_handling_hours"] = (round(figures["avg_handling"].total_seconds() / 3600, 1)
                                     if figures["avg_handling"] is not None else None)
    return render(request, "followup/dashboard.html", {
        "form": form, "scope": scope, "now": now, "query": request.GET.urlencode(),
        "figures": figures,
        "trend": charts.line_chart(trend, ["received", "closed", "breached"]),
        "trend_rows": trend,
        "backlog": charts.stacked_rows(backlog, [name for name, _lo, _hi in dashboard.AGE_BUCKETS]),
        "age_buckets": [name for name, _lo, _hi in dashboard.AGE_BUCKETS],
        "breaches": charts.bar_rows(dashboard.breaches_by_stage_and_team(scope, now)),
        "categories": charts.bar_rows(dashboard.top_categories(scope, now)),
        "root_causes": charts.bar_rows(dashboard.top_root_causes(scope, now)),
        "act_now": _with_members(dashboard.at_risk_and_breached_orders(scope, now)),
        "act_now_rows": dashboard.ACT_NOW_ROWS,
    })


@login_required
def act_now(request):
    """The at-risk and breached list alone, for its once-a-minute refresh."""
    _form, scope = _scope(request)
    now = timezone.now()
    return render(request, "followup/dashboard.html#act-now", {
        "act_now": _with_members(dashboard.at_risk_and_breached_orders(scope, now)), "now": now,
        "act_now_rows": dashboard.ACT_NOW_ROWS,
        "query": request.GET.urlencode()})


def _with_members(orders) -> list:
    """Each order with its team's members, for the in-place reassign (one query for all teams)."""
    orders = list(orders)
    members: dict[int, list] = {}
    for membership in Membership.objects.filter(team_id__in={o.team_id for o in orders}).select_related("user"):
        members.setdefault(membership.team_id, []).append(membership.user)
    # Each team's <option>s are rendered once and shared by its rows: the list is polled every minute.
    options = {team_id: format_html_join("", '<option value="{}">{}</option>',
                                         ((u.pk, u.get_full_name() or u.get_username()) for u in users))
               for team_id, users in members.items()}
    for order in orders:
        order.team_members = members.get(order.team_id, [])
        order.member_options = options.get(order.team_id, "")
    return orders


@login_required
def drill_down(request):
    metric = request.GET.get("metric", "")
    if metric not in METRICS:
        raise Http404
    form, scope = _scope(request)
    now = timezone.now()
    rows = dashboard.drill_down(metric, scope, now).select_related("customer", "category").order_by("-received_at",
                                                                                                    "-pk")
    export = request.GET.get("format")
    if export == "csv":
        return _csv(rows, metric)
    if export == "xlsx":
        return _xlsx(rows, metric)
    page = list(rows[:200])
    return render(request, "followup/drill_down.html", {
        "form": form, "metric": metric, "title": METRICS[metric], "rows": page, "total": rows.count(),
        "query": request.GET.urlencode(), "now": now})


def _export_rows(rows):
    """One row per complaint, numbers masked; streamed from the database in chunks."""
    yield [_("Number"), _("Received at"), _("Status"), _("Severity"), _("Category"), _("Customer"),
           _("Contact number"), _("Promised reply by"), _("Replied at"), _("Closed at"), _("Satisfaction"),
           _("Root cause")]
    for c in rows.iterator(chunk_size=2000):
        yield [c.number, _fmt(c.received_at), c.get_status_display(), c.get_severity_display(),
               str(c.category or ""), mask_number(c.customer.account), mask_number(c.contact_number),
               _fmt(c.promised_reply_at), _fmt(c.replied_at), _fmt(c.closed_at), c.get_satisfaction_display(),
               c.root_cause]


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class _Echo:
    def write(self, value):
        return value


def _csv(rows, metric: str):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet software reads the file as UTF-8
        for row in _export_rows(rows):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{metric}-{timezone.localdate():%Y%m%d}.csv"'
    return response


def _xlsx(rows, metric: str):
    from openpyxl import Workbook

    # Write-only mode keeps memory flat whatever the number of rows; the file is spooled to disk.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(metric)
    for row in _export_rows(rows):
        sheet.append(row)
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{metric}-{timezone.localdate():%Y%m%d}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
