"""The supervisor dashboard: DOMAIN.md's KPIs as SQL aggregates, and the lists behind each figure.

Every figure is one aggregate over a scope (period, team, category); nothing loops over complaints
in Python. Each figure has a `metric` name whose list (`drill_down`) holds exactly the rows counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from complaints.lifecycle import ACTIVE_ORDER, UNFINISHED, Action, ClockEvent, OrderState, Status
from complaints.models import Channel, Complaint, Event, Satisfaction
from followup.daily_figures import BREACH_KINDS, SecondsBetween, concerned_team
from followup.models import DailyFigure
from routing.actions import team_bit
from routing.models import Category, Team, WorkOrder

OPEN = sorted(UNFINISHED)
# The act-now list shows the most urgent orders; the "open with a breach" figure lists them all.
ACT_NOW_ROWS = 25
AGE_BUCKETS = [("lt1", 0, 1), ("1-3", 1, 3), ("3-7", 3, 7), ("7-15", 7, 15), ("gt15", 15, None)]


@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date  # inclusive; a period whose start is after its end is empty
    team: Team | None = None
    category: Category | None = None
    # The last day whose figures are stored (DailyFigure); None: count everything live.
    stored_through: dt.date | None = None

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))


def parts(scope: Scope, now: dt.datetime) -> tuple[Scope, Scope]:
    """The period split into its stored days and its live days (either may be empty).

    Both parts are always queried, so the number of queries does not depend on the period.
    """
    if scope.stored_through is None:
        return replace(scope, start=scope.end + dt.timedelta(days=1)), scope
    through = min(scope.stored_through, timezone.localdate(now) - dt.timedelta(days=1), scope.end)
    return (replace(scope, end=through),
            replace(scope, start=max(scope.start, through + dt.timedelta(days=1))))


def stored_figures(scope: Scope) -> QuerySet[DailyFigure]:
    qs = DailyFigure.objects.filter(day__gte=scope.start, day__lte=scope.end)
    qs = qs.filter(team=scope.team) if scope.team is not None else qs.filter(team__isnull=True)
    if scope.category is not None:
        qs = qs.filter(category=scope.category)
    return qs


def within(qs: QuerySet, scope: Scope, path: str = "") -> QuerySet:
    """Rows whose complaint (at `path`) is in the scope's category and reached the scope's team."""
    if scope.category is not None:
        qs = qs.filter(**{f"{path}category": scope.category})
    if scope.team is not None:
        bit = team_bit(scope.team)
        if bit:
            qs = qs.alias(in_team=F(f"{path}teams_reached").bitand(bit)).exclude(in_team=0)
        else:
            qs = qs.filter(Exists(WorkOrder.objects.filter(complaint=OuterRef(f"{path}pk" if path else "pk"),
                                                           team=scope.team)))
    return qs


def complaints_in(scope: Scope) -> QuerySet[Complaint]:
    """The scope's received complaints: a team's are those that reached it (any of its work orders)."""
    return within(Complaint.objects.exclude(status=Status.DRAFT), scope)


def orders_in(scope: Scope) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.all()
    if scope.category is not None:
        qs = qs.filter(complaint__category=scope.category)
    if scope.team is not None:
        qs = qs.filter(team=scope.team)
    return qs


def running_orders_in(scope: Scope) -> QuerySet[WorkOrder]:
    running = orders_in(scope).filter(state__in=sorted(ACTIVE_ORDER))
    if scope.category is not None:
        # A running order's complaint is unfinished: its category is then read from a small index.
        running = running.filter(complaint__status__in=OPEN)
    return running


def _repeated_within_30_days() -> Exists:
    return Exists(Complaint.objects.filter(repeat_of=OuterRef("pk"),
                                           received_at__lte=OuterRef("received_at") + dt.timedelta(days=30)))


class NowFlag(NamedTuple):
    """A "now" figure's flag, on the complaint's own clock and on a running order's."""

    complaint: Q
    order: Q


BREACHED_NOW = NowFlag(Q(reply_breached_at__isnull=False) | Q(legal_breached_at__isnull=False),
                       Q(breached_at__isnull=False))
AT_RISK_NOW = NowFlag(Q(reply_risk_flagged_at__isnull=False, reply_breached_at__isnull=True),
                      Q(risk_flagged_at__isnull=False, breached_at__isnull=True))


def _flagged(flag: NowFlag) -> Q:
    """Complaints with the flag on themselves or on a running order (for the drill-down lists)."""
    # IN (not EXISTS): the database reads the flagged orders once, not once per open complaint.
    return flag.complaint | Q(pk__in=WorkOrder.objects.filter(flag.order, state__in=sorted(ACTIVE_ORDER))
                              .values("complaint_id"))


def _flagged_now(scope: Scope, flag: NowFlag, **marks: int) -> QuerySet:
    """Open complaints in scope with the flag on themselves or on a running order, each row marked,
    as a UNION over two small partial indexes (the open complaints themselves are not scanned)."""
    open_in_scope = complaints_in(scope).filter(status__in=OPEN)
    flagged_orders = within(WorkOrder.objects.filter(flag.order, state__in=sorted(ACTIVE_ORDER),
                                                     complaint__status__in=OPEN), scope, "complaint__")
    marked = {k: Value(v) for k, v in marks.items()}
    return open_in_scope.filter(flag.complaint).values(flagged=F("pk"), **marked).union(
        flagged_orders.values(flagged=F("complaint_id"), **marked), all=True)


def now_figures(scope: Scope) -> dict:
    """Open complaints breached now, and at risk now but not breached, in one pass over the flagged rows."""
    flagged = _flagged_now(scope, BREACHED_NOW, is_breached=1, is_at_risk=0).union(
        _flagged_now(scope, AT_RISK_NOW, is_breached=0, is_at_risk=1), all=True)
    sql, params = flagged.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT COALESCE(SUM(breached), 0), COALESCE(SUM(CASE WHEN breached = 0 THEN at_risk ELSE 0 END), 0)
            FROM (SELECT flagged, MAX(is_breached) AS breached, MAX(is_at_risk) AS at_risk
                  FROM ({sql}) AS marks GROUP BY flagged) AS per_complaint""", params)
        breached, at_risk = cursor.fetchone()
    return {"breached_open": breached, "at_risk": at_risk}


# metric -> the complaints (or work orders) a figure counts; the drill-down lists exactly these.
def drill_down(metric: str, scope: Scope, now: dt.datetime) -> QuerySet:
    complaints = complaints_in(scope)
    received = complaints.filter(received_at__gte=scope.since, received_at__lt=scope.until)
    orders = orders_in(scope)
    lists = {
        "received": received,
        "fcr": received.filter(resolved_on_the_spot=True).exclude(_repeated_within_30_days()),
        "regulator": received.filter(channel=Channel.REGULATOR),
        "due": complaints.filter(promised_reply_at__gte=scope.since, promised_reply_at__lt=scope.until)
        .filter(Q(promised_reply_at__lte=now) | Q(replied_at__isnull=False)),
        "on_time": complaints.filter(promised_reply_at__gte=scope.since, promised_reply_at__lt=scope.until,
                                     replied_at__lte=F("promised_reply_at")),
        "late": complaints.filter(promised_reply_at__gte=scope.since, promised_reply_at__lt=scope.until,
                                  promised_reply_at__lte=now).filter(
            Q(replied_at__isnull=True) | Q(replied_at__gt=F("promised_reply_at"))),
        "visited": complaints.filter(return_visited_at__gte=scope.since, return_visited_at__lt=scope.until)
        .exclude(satisfaction=""),
        "satisfied": complaints.filter(return_visited_at__gte=scope.since, return_visited_at__lt=scope.until,
                                       satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY]),
        "closed": complaints.filter(closed_at__gte=scope.since, closed_at__lt=scope.until),
        "solved": complaints.filter(closed_at__gte=scope.since, closed_at__lt=scope.until, problem_solved=True),
        "breached_open": complaints.filter(status__in=OPEN).filter(_flagged(BREACHED_NOW)),
        "at_risk": complaints.filter(status__in=OPEN).filter(_flagged(AT_RISK_NOW)).exclude(_flagged(BREACHED_NOW)),
        "breached_today": complaints.filter(Exists(Event.objects.filter(
            complaint=OuterRef("pk"), kind__in=BREACH_KINDS,
            at__gte=timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)))),
        "redispatched": complaints.filter(Exists(orders.filter(complaint=OuterRef("pk"), rejection_count__gt=0,
                                                               dispatched_at__gte=scope.since,
                                                               dispatched_at__lt=scope.until))),
        "urged": complaints.filter(Exists(orders.filter(complaint=OuterRef("pk"), urge_count__gt=0,
                                                        dispatched_at__gte=scope.since,
                                                        dispatched_at__lt=scope.until))),
        "escalated": complaints.filter(Exists(Event.objects.filter(
            complaint=OuterRef("pk"), kind__in=[Action.ESCALATE, ClockEvent.ORDER_BREACHED],
            at__gte=scope.since, at__lt=scope.until))),
        "sent_back": complaints.filter(Exists(orders.filter(complaint=OuterRef("pk"), state=OrderState.SENT_BACK,
                                                            dispatched_at__gte=scope.since,
                                                            dispatched_at__lt=scope.until))),
    }
    return lists[metric]


def customer_figures_of(scope: Scope) -> dict:
    """重复投诉率's two counts: complaining customers, and those with 2+ complaints on one category.

    For the whole centre and for a category, one filtered count over the period's complaints, read
    from each complaint's customer history (complaints/history.py explains why it is exact). A team's
    complaints are a subset the history does not follow, so a team's figures are counted directly.
    """
    received = complaints_in(scope).filter(received_at__gte=scope.since, received_at__lt=scope.until)
    since = scope.since
    if scope.team is None and scope.category is None:
        return received.aggregate(
            customers=Count("pk", filter=Q(customer_previous_at__isnull=True) | Q(customer_previous_at__lt=since)),
            repeat_customers=Count("pk", filter=Q(category_previous_at__gte=since) & (
                Q(earlier_repeat_started_at__isnull=True) | Q(earlier_repeat_started_at__lt=since))))
    if scope.team is None:
        return received.aggregate(
            customers=Count("pk", filter=Q(category_previous_at__isnull=True) | Q(category_previous_at__lt=since)),
            repeat_customers=Count("pk", filter=Q(category_previous_at__gte=since) & (
                Q(category_second_previous_at__isnull=True) | Q(category_second_previous_at__lt=since))))
    return customer_figures_counted(scope)


def customer_figures_counted(scope: Scope) -> dict:
    """The same two counts straight from the definition (DISTINCT over the period's complaints)."""
    # Only received complaints have a receipt time: no draft is in the period.
    pairs = (within(Complaint.objects.filter(received_at__gte=scope.since, received_at__lt=scope.until), scope)
             .values("customer_id", "category_id").annotate(n=Count("pk")))
    return pairs.aggregate(
        customers=Count("customer_id", distinct=True),
        repeat_customers=Count("customer_id", distinct=True, filter=Q(n__gte=2)),
    )


ADDITIVE = ["received", "fcr", "regulator", "due", "on_time", "visited", "satisfied", "closed", "solved",
            "handling_seconds", "orders", "redispatched", "sent_back", "urges"]


def _live_period_figures(scope: Scope, now: dt.datetime) -> dict:
    """The additive figures of a (usually short) period, straight from the complaints and orders."""
    complaints = complaints_in(scope)
    in_period = Q(received_at__gte=scope.since, received_at__lt=scope.until)
    promised = Q(promised_reply_at__gte=scope.since, promised_reply_at__lt=scope.until)
    visited = Q(return_visited_at__gte=scope.since, return_visited_at__lt=scope.until)
    closed = Q(closed_at__gte=scope.since, closed_at__lt=scope.until)
    figures = complaints.filter(in_period | promised | visited | closed).aggregate(
        received=Count("pk", filter=in_period),
        fcr=Count("pk", filter=in_period & Q(resolved_on_the_spot=True) & ~Q(_repeated_within_30_days())),
        regulator=Count("pk", filter=in_period & Q(channel=Channel.REGULATOR)),
        due=Count("pk", filter=promised & (Q(promised_reply_at__lte=now) | Q(replied_at__isnull=False))),
        on_time=Count("pk", filter=promised & Q(replied_at__lte=F("promised_reply_at"))),
        visited=Count("pk", filter=visited & ~Q(satisfaction="")),
        satisfied=Count("pk", filter=visited & Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        closed=Count("pk", filter=closed),
        solved=Count("pk", filter=closed & Q(problem_solved=True)),
        handling_seconds=Sum(SecondsBetween(F("closed_at"), F("received_at")), filter=closed),
    )
    figures.update(orders_in(scope).filter(dispatched_at__gte=scope.since, dispatched_at__lt=scope.until).aggregate(
        orders=Count("pk"),
        redispatched=Count("pk", filter=Q(rejection_count__gt=0)),
        sent_back=Count("pk", filter=Q(state=OrderState.SENT_BACK)),
        urges=Sum("urge_count"),
    ))
    return figures


def period_figures(scope: Scope, now: dt.datetime) -> dict:
    """The additive figures: stored days summed, plus the days not stored yet counted live."""
    stored, live = parts(scope, now)
    figures = {k: v or 0 for k, v in stored_figures(stored).aggregate(**{k: Sum(k) for k in ADDITIVE}).items()}
    for k, v in _live_period_figures(live, now).items():
        figures[k] += v or 0
    return figures


def headline(scope: Scope, now: dt.datetime) -> dict:
    """The headline figures: a fixed handful of aggregate queries whatever the data size."""
    figures = period_figures(scope, now)
    figures["avg_handling"] = (dt.timedelta(seconds=figures["handling_seconds"] / figures["closed"])
                               if figures["closed"] else None)
    order_figures = orders_in(scope).filter(dispatched_at__gte=scope.since, dispatched_at__lt=scope.until,
                                            urge_count__gt=0).aggregate(urged=Count("complaint_id", distinct=True))
    running = running_orders_in(scope)
    # Two counts, each read from its own small partial index.
    open_orders = {
        "orders_breached": running.filter(BREACHED_NOW.order).count(),
        "orders_at_risk": running.filter(AT_RISK_NOW.order).count(),
    }
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    events = Event.objects.filter(kind__in=BREACH_KINDS)
    events = within(events, scope, "complaint__")
    event_figures = events.filter(at__gte=today).aggregate(breached_today=Count("complaint_id", distinct=True))
    escalations = Event.objects.filter(kind__in=[Action.ESCALATE, ClockEvent.ORDER_BREACHED],
                                       at__gte=scope.since, at__lt=scope.until)
    escalations = within(escalations, scope, "complaint__")
    event_figures["escalated"] = escalations.values("complaint_id").distinct().count()
    # 重复投诉率: customers with two or more complaints on one category in the period / complaining customers.
    customer_figures = customer_figures_of(scope)
    figures.update(now_figures(scope), **order_figures, **open_orders, **event_figures, **customer_figures)

    def rate(numerator: str, denominator: str) -> float | None:
        return round(100.0 * figures[numerator] / figures[denominator], 1) if figures[denominator] else None

    figures["rates"] = {
        "on_time": rate("on_time", "due"),
        "fcr": rate("fcr", "received"),
        "repeat": rate("repeat_customers", "customers"),
        "satisfaction": rate("satisfied", "visited"),
        "resolution": rate("solved", "closed"),
        "redispatch": rate("redispatched", "orders"),
        "send_back": rate("sent_back", "orders"),
    }
    return figures


def daily_trend(scope: Scope, now: dt.datetime, days: int = 30) -> list[dict]:
    """Received, closed and breached per day over the last `days` days (four grouped queries)."""
    end = timezone.localdate(now)
    start = end - dt.timedelta(days=days - 1)
    stored, live = parts(replace(scope, start=start, end=end), now)
    counts: dict[dt.date, dict] = {start + dt.timedelta(days=i): {"received": 0, "closed": 0, "breached": 0}
                                   for i in range(days)}
    for row in (stored_figures(stored).values("day")
                .annotate(received=Sum("received"), closed=Sum("closed"), breached=Sum("n", filter=~Q(breach_kind="")))):
        counts[row["day"]] = {k: row[k] or 0 for k in ("received", "closed", "breached")}
    complaints = complaints_in(scope)

    def per_day(qs, field: str, figure: str) -> None:
        rows = (qs.filter(**{f"{field}__gte": live.since, f"{field}__lt": live.until}).annotate(day=TruncDate(field))
                .values("day").annotate(n=Count("pk")).values_list("day", "n"))
        for day, n in rows:
            if day in counts:
                counts[day][figure] += n

    per_day(complaints, "received_at", "received")
    per_day(complaints, "closed_at", "closed")
    events = Event.objects.filter(kind__in=BREACH_KINDS)
    events = within(events, scope, "complaint__")
    per_day(events, "at", "breached")
    return [{"day": day, **figures} for day, figures in sorted(counts.items())]


def backlog_by_age(scope: Scope, now: dt.datetime) -> list[dict]:
    """Open work orders per team and age of their complaint (<1, 1-3, 3-7, 7-15, >15 days)."""
    # Ages from the receipt each order carries: the running orders' own index, no join per order.
    bucket = Case(*[When(Q(complaint_received_at__lte=now - dt.timedelta(days=lo))
                         & (Q(complaint_received_at__gt=now - dt.timedelta(days=hi)) if hi else Q()),
                         then=Value(name)) for name, lo, hi in AGE_BUCKETS], output_field=CharField())
    rows = (running_orders_in(scope).annotate(bucket=bucket)
            .values("team_id", "bucket").annotate(n=Count("*")))
    teams = {t.pk: t for t in Team.objects.all()}
    table: dict[int, dict] = {}
    for row in rows:
        entry = table.setdefault(row["team_id"], {"team": teams.get(row["team_id"]),
                                                  **{name: 0 for name, _lo, _hi in AGE_BUCKETS}})
        entry[row["bucket"]] = row["n"]
    return [table[k] for k in sorted(table)]


def _merged(stored_rows, live_rows, key) -> dict:
    totals: dict = {}
    for row in [*stored_rows, *live_rows]:
        totals[key(row)] = totals.get(key(row), 0) + (row["n"] or 0)
    return totals


def breaches_by_stage_and_team(scope: Scope, now: dt.datetime) -> list[dict]:
    """Breach events in the period by stage (clock) and by the team concerned."""
    stored, live = parts(scope, now)
    stored_rows = (stored_figures(stored).exclude(breach_kind="").values(kind=F("breach_kind"), concerned=F("concerned_team"))
                   .annotate(n=Sum("n")))
    events = Event.objects.filter(kind__in=BREACH_KINDS, at__gte=live.since, at__lt=live.until)
    events = within(events, scope, "complaint__")
    live_rows = events.annotate(concerned=concerned_team()).values("kind", "concerned").annotate(n=Count("pk"))
    totals = _merged(stored_rows, live_rows, lambda r: (r["kind"], r["concerned"]))
    teams = {t.pk: t for t in Team.objects.all()}
    return [{"stage": ClockEvent(kind).label, "kind": kind, "team": teams.get(team_id), "n": n}
            for (kind, team_id), n in sorted(totals.items(), key=lambda item: (item[0][0], item[0][1] or 0))]


def top_categories(scope: Scope, now: dt.datetime, limit: int = 8) -> list[dict]:
    stored, live = parts(scope, now)
    stored_rows = stored_figures(stored).values("category_id").annotate(n=Sum("received"))
    live_rows = (complaints_in(live).filter(received_at__gte=live.since, received_at__lt=live.until)
                 .values("category_id").annotate(n=Count("pk")))
    totals = _merged(stored_rows, live_rows, lambda r: r["category_id"])
    categories = {c.pk: c for c in Category.objects.all()}
    ranked = sorted(((n, pk) for pk, n in totals.items() if n), key=lambda item: (-item[0], item[1] or 0))[:limit]
    return [{"label": str(categories.get(pk, "-")), "n": n, "category_id": pk} for n, pk in ranked]


def top_root_causes(scope: Scope, now: dt.datetime, limit: int = 8) -> list[dict]:
    stored, live = parts(scope, now)
    stored_rows = stored_figures(stored).exclude(root_cause="").values("root_cause").annotate(n=Sum("n"))
    live_rows = (complaints_in(live).filter(closed_at__gte=live.since, closed_at__lt=live.until)
                 .exclude(root_cause="").values("root_cause").annotate(n=Count("pk")))
    totals = _merged(stored_rows, live_rows, lambda r: r["root_cause"])
    ranked = sorted(((n, cause) for cause, n in totals.items() if n), key=lambda item: (-item[0], item[1]))[:limit]
    return [{"label": cause, "n": n} for n, cause in ranked]


def at_risk_and_breached_orders(scope: Scope, now: dt.datetime, limit: int = ACT_NOW_ROWS) -> QuerySet[WorkOrder]:
    """The supervisor's act-now list: open orders that are breached or at risk, most urgent first."""
    running = [OrderState.QUEUED, OrderState.CLAIMED, OrderState.SUSPENSION_REQUESTED]
    return (orders_in(scope).filter(state__in=running)
            .filter(Q(due_at__lte=now) | Q(at_risk_at__lte=now) | Q(state=OrderState.SUSPENSION_REQUESTED))
            .select_related("team", "complaint", "complaint__customer", "claimed_by").order_by("due_at", "pk")[:limit])
