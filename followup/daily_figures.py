"""Pre-aggregated daily figures for the dashboard: past days summed, today counted live.

A period's figures are additive over days, categories and (for a team's scope) teams, so each past
day is aggregated once into `DailyFigure` rows and the dashboard sums a few thousand rows instead of
scanning a million complaints. The figures that are not additive (distinct customers, complaints
urged or escalated, anything about the present moment) stay live queries in `dashboard.py`.

`refresh_daily_figures` runs after each SLA sweep. It recomputes, with a fixed handful of
INSERT ... SELECT statements whatever the number of complaints, every past day that changed since
the last refresh: days that ended since then, and the days a changed complaint, work order or breach
belongs to (received, promised, return visit, closed, dispatched, breached, and the receipt day of a
complaint that a new complaint repeats). A day is always recomputed whole, from the same definitions
as the live figures, so the rows stay exactly what a direct computation gives (tested).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, models, transaction
from django.db.models import Case, Count, Exists, F, Func, OuterRef, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from complaints.lifecycle import ClockEvent, OrderState, Status
from complaints.models import Channel, Complaint, Event, Satisfaction
from followup.models import DailyFigure, DailyFiguresState
from routing.models import WorkOrder

BREACH_KINDS = [ClockEvent.ORDER_BREACHED, ClockEvent.REPLY_BREACHED, ClockEvent.LEGAL_BREACHED,
                ClockEvent.RETURN_VISIT_BREACHED]
# A transaction that started before the last refresh may commit after it with an older updated_at:
# changes are read again from this long before the last refresh (recomputing a day is idempotent).
CHANGE_MARGIN = dt.timedelta(minutes=30)


class SecondsBetween(Func):
    """end - start in seconds (float), on both databases."""

    output_field = models.FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return f"EXTRACT(EPOCH FROM ({end[0]} - {start[0]}))", [*end[1], *start[1]]

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return f"((julianday({end[0]}) - julianday({start[0]})) * 86400.0)", [*end[1], *start[1]]


def local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def repeated_within_30_days(prefix: str = "") -> Exists:
    return Exists(Complaint.objects.filter(repeat_of=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"),
                                           received_at__lte=OuterRef(f"{prefix}received_at") + dt.timedelta(days=30)))


def concerned_team(event_path: str = "") -> Case:
    """The team a breach concerns: its work order's, else the team that owns the complaint's category."""
    return Case(When(**{f"{event_path}work_order__isnull": False}, then=F(f"{event_path}work_order__team_id")),
                default=F("complaint__category__default_team_id"))


def first_order_of_each_team() -> QuerySet[WorkOrder]:
    """One work order per (complaint, team): a complaint counts once in each team it reached."""
    return WorkOrder.objects.filter(~Exists(WorkOrder.objects.filter(
        complaint=OuterRef("complaint"), team=OuterRef("team"), pk__lt=OuterRef("pk"))))


# --- the families of figures: each counts complaints (or orders, or breaches) by one day column ---

def _complaint_families(p: str) -> list[tuple[str, dict, dict, Q]]:
    """(day column, figures, detail columns, extra filter) per family; `p` prefixes complaint fields."""
    handling = SecondsBetween(F(f"{p}closed_at"), F(f"{p}received_at"))
    satisfied = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
    one = f"{p}id" if p else "pk"
    return [
        (f"{p}received_at", {
            "received": Count(one),
            "fcr": Count(one, filter=Q(**{f"{p}resolved_on_the_spot": True}) & ~Q(repeated_within_30_days(p))),
            "regulator": Count(one, filter=Q(**{f"{p}channel": Channel.REGULATOR})),
        }, {}, Q()),
        (f"{p}promised_reply_at", {
            "due": Count(one),
            "on_time": Count(one, filter=Q(**{f"{p}replied_at__lte": F(f"{p}promised_reply_at")})),
        }, {}, Q()),
        (f"{p}return_visited_at", {
            "visited": Count(one, filter=~Q(**{f"{p}satisfaction": ""})),
            "satisfied": Count(one, filter=Q(**{f"{p}satisfaction__in": satisfied})),
        }, {}, Q()),
        (f"{p}closed_at", {
            "closed": Count(one),
            "solved": Count(one, filter=Q(**{f"{p}problem_solved": True})),
            "handling_seconds": Sum(handling),
        }, {}, Q()),
        (f"{p}closed_at", {"n": Count(one)}, {"root_cause": F(f"{p}root_cause")}, ~Q(**{f"{p}root_cause": ""})),
    ]


def _statements(days: list[dt.date]) -> list[tuple[QuerySet, list[str]]]:
    """(SELECT queryset, the DailyFigure fields it fills, as its `fig_` aliases) per family and scope."""
    since, until = local_day_start(min(days)), local_day_start(max(days) + dt.timedelta(days=1))
    out = []
    # The whole centre's rows, then each team's (a complaint counts in every team it reached).
    complaint_scopes = [
        (Complaint.objects.exclude(status=Status.DRAFT), "", None),
        (first_order_of_each_team().exclude(complaint__status=Status.DRAFT), "complaint__", "team_id"),
    ]
    for base, p, team in complaint_scopes:
        for day_field, figures, details, extra in _complaint_families(p):
            qs = (base.filter(**{f"{day_field}__gte": since, f"{day_field}__lt": until}).filter(extra)
                  .annotate(fig_day=TruncDate(day_field)).filter(fig_day__in=days))
            keys = {"fig_category": F(f"{p}category_id")}
            if team:
                keys["fig_team"] = F(team)
            keys.update({f"fig_{k}": v for k, v in details.items()})
            qs = qs.values("fig_day", **keys).annotate(**{f"fig_{k}": v for k, v in figures.items()})
            out.append((qs, ["day", "category", *(["team"] if team else []), *details, *figures]))
    # Work orders by the day they were dispatched, counted in the order's own team.
    order_figures = {"orders": Count("pk"), "redispatched": Count("pk", filter=Q(rejection_count__gt=0)),
                     "sent_back": Count("pk", filter=Q(state=OrderState.SENT_BACK)), "urges": Sum("urge_count")}
    for keys in ({}, {"fig_team": F("team_id")}):
        qs = (WorkOrder.objects.filter(dispatched_at__gte=since, dispatched_at__lt=until)
              .annotate(fig_day=TruncDate("dispatched_at")).filter(fig_day__in=days)
              .values("fig_day", fig_category=F("complaint__category_id"), **keys)
              .annotate(**{f"fig_{k}": v for k, v in order_figures.items()}))
        out.append((qs, ["day", "category", *(["team"] if keys else []), *order_figures]))
    # Breaches by the day they happened, by clock and by the team concerned.
    concerned = concerned_team()
    breaches = (Event.objects.filter(kind__in=BREACH_KINDS, at__gte=since, at__lt=until)
                .annotate(fig_day=TruncDate("at")).filter(fig_day__in=days)
                .values("fig_day", fig_category=F("complaint__category_id"),
                        fig_breach_kind=F("kind"), fig_concerned_team=concerned).annotate(fig_n=Count("pk")))
    out.append((breaches, ["day", "category", "breach_kind", "concerned_team", "n"]))
    p = "complaint__events__"
    concerned = concerned_team(p)
    team_breaches = (first_order_of_each_team()
                     .filter(**{f"{p}kind__in": BREACH_KINDS, f"{p}at__gte": since, f"{p}at__lt": until})
                     .annotate(fig_day=TruncDate(f"{p}at")).filter(fig_day__in=days)
                     .values("fig_day", fig_category=F("complaint__category_id"), fig_team=F("team_id"),
                             fig_breach_kind=F(f"{p}kind"), fig_concerned_team=concerned)
                     .annotate(fig_n=Count(f"{p}id")))
    out.append((team_breaches, ["day", "category", "team", "breach_kind", "concerned_team", "n"]))
    return out


COLUMN = {"day": "day", "category": "category_id", "team": "team_id", "concerned_team": "concerned_team_id"}


def _insert(qs: QuerySet, names: list[str], cursor) -> None:
    sql, params = qs.query.sql_with_params()
    qn = connection.ops.quote_name
    table = DailyFigure._meta.db_table
    columns = ", ".join(qn(COLUMN.get(n, n)) for n in names)
    selected = ", ".join(f"sub.{qn('fig_' + n)}" for n in names)
    # Sums of nothing are NULL; the columns are NOT NULL counts.
    selected = ", ".join(f"COALESCE({s}, 0)" if n in ("urges", "handling_seconds") else s
                         for s, n in zip(selected.split(", "), names, strict=True))
    cursor.execute(f"INSERT INTO {qn(table)} ({columns}) SELECT {selected} FROM ({sql}) sub", params)


def recompute_days(days: list[dt.date]) -> None:
    """Replaces the figures of these days with a fresh aggregation (one DELETE, a dozen INSERTs)."""
    if not days:
        return
    days = sorted(set(days))
    DailyFigure.objects.filter(day__in=days).delete()
    with connection.cursor() as cursor:
        for qs, names in _statements(days):
            _insert(qs, names, cursor)


def changed_days(since: dt.datetime) -> set[dt.date]:
    """Every day whose figures a change made at or after `since` may have moved (a few grouped reads)."""
    days: set[dt.date] = set()
    # A complaint changed, or one of its work orders did (a transfer brings it into another team's days).
    changed = Complaint.objects.filter(Q(updated_at__gte=since) | Q(
        pk__in=WorkOrder.objects.filter(updated_at__gte=since).values("complaint_id")))
    for field in ("received_at", "promised_reply_at", "return_visited_at", "closed_at"):
        days.update(changed.exclude(**{f"{field}__isnull": True}).annotate(d=TruncDate(field))
                    .values_list("d", flat=True).distinct())
    # A new repeat takes first-contact resolution away from the complaint it repeats.
    days.update(Complaint.objects.filter(repeats__updated_at__gte=since).annotate(d=TruncDate("received_at"))
                .values_list("d", flat=True).distinct())
    days.update(WorkOrder.objects.filter(updated_at__gte=since).annotate(d=TruncDate("dispatched_at"))
                .values_list("d", flat=True).distinct())
    days.update(Event.objects.filter(kind__in=BREACH_KINDS, at__gte=since).annotate(d=TruncDate("at"))
                .values_list("d", flat=True).distinct())
    days.discard(None)
    return days


@transaction.atomic
def refresh_daily_figures(*, now: dt.datetime) -> list[dt.date]:
    """Brings the stored figures of every day before today up to date; returns the days recomputed."""
    state, _created = DailyFiguresState.objects.select_for_update().get_or_create(pk=1)
    today = timezone.localdate(now)
    yesterday = today - dt.timedelta(days=1)
    if state.complete_through is None:
        first = Complaint.objects.exclude(received_at__isnull=True).order_by("received_at").values_list(
            "received_at", flat=True).first()
        days = set()
        if first is not None:
            start = timezone.localdate(first)
            days = {start + dt.timedelta(days=i) for i in range((yesterday - start).days + 1)}
    else:
        days = {state.complete_through + dt.timedelta(days=i + 1)
                for i in range((yesterday - state.complete_through).days)}
        days |= changed_days(state.changes_seen_at - CHANGE_MARGIN)
    days = sorted(d for d in days if d <= yesterday)
    recompute_days(days)
    state.complete_through = yesterday
    state.changes_seen_at = now
    state.save()
    return days


def complete_through() -> dt.date | None:
    return DailyFiguresState.objects.filter(pk=1).values_list("complete_through", flat=True).first()
