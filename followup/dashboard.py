"""The supervisor dashboard: DOMAIN.md's KPIs as SQL aggregates, and the lists behind each figure.

Every figure is one aggregate over a scope (period, team, category); nothing loops over complaints
in Python. Each figure has a `metric` name whose list (`drill_down`) holds exactly the rows counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
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

from complaints.lifecycle import ACTIVE_ORDER, FINAL, Action, ClockEvent, OrderState, Status
from complaints.models import Channel, Complaint, Event, Satisfaction
from routing.models import Category, Team, WorkOrder

BREACH_KINDS = [ClockEvent.ORDER_BREACHED, ClockEvent.REPLY_BREACHED, ClockEvent.LEGAL_BREACHED,
                ClockEvent.RETURN_VISIT_BREACHED]
OPEN = [s for s in Status if s not in FINAL and s != Status.DRAFT]
AGE_BUCKETS = [("lt1", 0, 1), ("1-3", 1, 3), ("3-7", 3, 7), ("7-15", 7, 15), ("gt15", 15, None)]


@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date  # inclusive
    team: Team | None = None
    category: Category | None = None

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))


def complaints_in(scope: Scope) -> QuerySet[Complaint]:
    qs = Complaint.objects.exclude(status=Status.DRAFT)
    if scope.category is not None:
        qs = qs.filter(category=scope.category)
    if scope.team is not None:
        qs = qs.filter(Exists(WorkOrder.objects.filter(complaint=OuterRef("pk"), team=scope.team)))
    return qs


def orders_in(scope: Scope) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.all()
    if scope.category is not None:
        qs = qs.filter(complaint__category=scope.category)
    if scope.team is not None:
        qs = qs.filter(team=scope.team)
    return qs


def _repeated_within_30_days() -> Exists:
    return Exists(Complaint.objects.filter(repeat_of=OuterRef("pk"),
                                           received_at__lte=OuterRef("received_at") + dt.timedelta(days=30)))


def _breached_now() -> Q:
    """An open complaint with a broken promise: its reply or legal clock, or one of its running orders."""
    return (Q(reply_breached_at__isnull=False) | Q(legal_breached_at__isnull=False)
            | Q(Exists(WorkOrder.objects.filter(complaint=OuterRef("pk"), state__in=sorted(ACTIVE_ORDER),
                                                breached_at__isnull=False))))


def _at_risk_now() -> Q:
    return (Q(reply_risk_flagged_at__isnull=False, reply_breached_at__isnull=True)
            | Q(Exists(WorkOrder.objects.filter(complaint=OuterRef("pk"), state__in=sorted(ACTIVE_ORDER),
                                                risk_flagged_at__isnull=False, breached_at__isnull=True))))


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
        "breached_open": complaints.filter(status__in=OPEN).filter(_breached_now()),
        "at_risk": complaints.filter(status__in=OPEN).filter(_at_risk_now()).exclude(_breached_now()),
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


def headline(scope: Scope, now: dt.datetime) -> dict:
    """The headline figures: a fixed handful of aggregate queries whatever the data size."""
    complaints = complaints_in(scope)
    in_period = Q(received_at__gte=scope.since, received_at__lt=scope.until)
    promised = Q(promised_reply_at__gte=scope.since, promised_reply_at__lt=scope.until)
    visited = Q(return_visited_at__gte=scope.since, return_visited_at__lt=scope.until)
    closed = Q(closed_at__gte=scope.since, closed_at__lt=scope.until)
    handling = ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField())
    figures = complaints.aggregate(
        received=Count("pk", filter=in_period),
        fcr=Count("pk", filter=in_period & Q(resolved_on_the_spot=True) & ~Q(_repeated_within_30_days())),
        regulator=Count("pk", filter=in_period & Q(channel=Channel.REGULATOR)),
        due=Count("pk", filter=promised & (Q(promised_reply_at__lte=now) | Q(replied_at__isnull=False))),
        on_time=Count("pk", filter=promised & Q(replied_at__lte=F("promised_reply_at"))),
        visited=Count("pk", filter=visited & ~Q(satisfaction="")),
        satisfied=Count("pk", filter=visited & Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        closed=Count("pk", filter=closed),
        solved=Count("pk", filter=closed & Q(problem_solved=True)),
        avg_handling=Avg(handling, filter=closed),
    )
    now_figures = complaints.filter(status__in=OPEN).aggregate(
        breached_open=Count("pk", filter=_breached_now()),
        at_risk=Count("pk", filter=_at_risk_now() & ~_breached_now()),
    )
    order_figures = orders_in(scope).filter(dispatched_at__gte=scope.since, dispatched_at__lt=scope.until).aggregate(
        orders=Count("pk"),
        redispatched=Count("pk", filter=Q(rejection_count__gt=0)),
        sent_back=Count("pk", filter=Q(state=OrderState.SENT_BACK)),
        urges=Sum("urge_count"),
        urged=Count("complaint_id", distinct=True, filter=Q(urge_count__gt=0)),
    )
    open_orders = orders_in(scope).filter(state__in=sorted(ACTIVE_ORDER)).aggregate(
        orders_breached=Count("pk", filter=Q(breached_at__isnull=False)),
        orders_at_risk=Count("pk", filter=Q(risk_flagged_at__isnull=False, breached_at__isnull=True)),
    )
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    events = Event.objects.filter(kind__in=BREACH_KINDS)
    if scope.category is not None or scope.team is not None:
        events = events.filter(complaint__in=complaints)
    event_figures = events.aggregate(
        breached_today=Count("complaint_id", distinct=True, filter=Q(at__gte=today)),
    )
    escalations = Event.objects.filter(kind__in=[Action.ESCALATE, ClockEvent.ORDER_BREACHED],
                                       at__gte=scope.since, at__lt=scope.until)
    if scope.category is not None or scope.team is not None:
        escalations = escalations.filter(complaint__in=complaints)
    event_figures["escalated"] = escalations.values("complaint_id").distinct().count()
    # 重复投诉率: customers with two or more complaints on one category in the period / complaining customers.
    received = complaints.filter(in_period)
    repeaters = (received.values("customer_id", "category_id").annotate(n=Count("pk")).filter(n__gte=2)
                 .values("customer_id"))
    customer_figures = received.aggregate(
        customers=Count("customer_id", distinct=True),
        repeat_customers=Count("customer_id", distinct=True, filter=Q(customer_id__in=repeaters)),
    )
    figures.update(now_figures, **order_figures, **open_orders, **event_figures, **customer_figures)
    figures["urges"] = figures["urges"] or 0

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
    """Received, closed and breached per day over the last `days` days (three grouped queries)."""
    end = timezone.localdate(now)
    start = end - dt.timedelta(days=days - 1)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    complaints = complaints_in(scope)

    def per_day(qs, field: str) -> dict:
        return dict(qs.filter(**{f"{field}__gte": since}).annotate(day=TruncDate(field))
                    .values("day").annotate(n=Count("pk")).values_list("day", "n"))

    received = per_day(complaints, "received_at")
    closed = per_day(complaints, "closed_at")
    events = Event.objects.filter(kind__in=BREACH_KINDS)
    if scope.category is not None or scope.team is not None:
        events = events.filter(complaint__in=complaints)
    breached = per_day(events, "at")
    return [{"day": start + dt.timedelta(days=i), "received": received.get(start + dt.timedelta(days=i), 0),
             "closed": closed.get(start + dt.timedelta(days=i), 0),
             "breached": breached.get(start + dt.timedelta(days=i), 0)} for i in range(days)]


def backlog_by_age(scope: Scope, now: dt.datetime) -> list[dict]:
    """Open work orders per team and age of their complaint (<1, 1-3, 3-7, 7-15, >15 days)."""
    age = ExpressionWrapper(Value(now) - F("complaint__received_at"), output_field=DurationField())
    bucket = Case(*[When(Q(age__gte=dt.timedelta(days=lo)) & (Q(age__lt=dt.timedelta(days=hi)) if hi else Q()),
                         then=Value(name)) for name, lo, hi in AGE_BUCKETS], output_field=CharField())
    rows = (orders_in(scope).filter(state__in=sorted(ACTIVE_ORDER)).annotate(age=age).annotate(bucket=bucket)
            .values("team_id", "bucket").annotate(n=Count("pk")))
    teams = {t.pk: t for t in Team.objects.all()}
    table: dict[int, dict] = {}
    for row in rows:
        entry = table.setdefault(row["team_id"], {"team": teams.get(row["team_id"]),
                                                  **{name: 0 for name, _lo, _hi in AGE_BUCKETS}})
        entry[row["bucket"]] = row["n"]
    return [table[k] for k in sorted(table)]


def breaches_by_stage_and_team(scope: Scope) -> list[dict]:
    """Breach events in the period by stage (clock) and by the team concerned."""
    events = Event.objects.filter(kind__in=BREACH_KINDS, at__gte=scope.since, at__lt=scope.until)
    if scope.category is not None or scope.team is not None:
        events = events.filter(complaint__in=complaints_in(scope))
    team_id = Case(When(work_order__isnull=False, then=F("work_order__team_id")),
                   default=F("complaint__category__default_team_id"))
    rows = events.annotate(team_id=team_id).values("kind", "team_id").annotate(n=Count("pk")).order_by("kind")
    teams = {t.pk: t for t in Team.objects.all()}
    return [{"stage": ClockEvent(r["kind"]).label, "kind": r["kind"], "team": teams.get(r["team_id"]), "n": r["n"]}
            for r in rows]


def top_categories(scope: Scope, limit: int = 8) -> list[dict]:
    rows = (complaints_in(scope).filter(received_at__gte=scope.since, received_at__lt=scope.until)
            .values("category_id").annotate(n=Count("pk")).order_by("-n")[:limit])
    categories = {c.pk: c for c in Category.objects.all()}
    return [{"label": str(categories.get(r["category_id"], "-")), "n": r["n"], "category_id": r["category_id"]}
            for r in rows]


def top_root_causes(scope: Scope, limit: int = 8) -> list[dict]:
    rows = (complaints_in(scope).filter(closed_at__gte=scope.since, closed_at__lt=scope.until)
            .exclude(root_cause="").values("root_cause").annotate(n=Count("pk")).order_by("-n")[:limit])
    return [{"label": r["root_cause"], "n": r["n"]} for r in rows]


def at_risk_and_breached_orders(scope: Scope, now: dt.datetime, limit: int = 50) -> QuerySet[WorkOrder]:
    """The supervisor's act-now list: open orders that are breached or at risk, most urgent first."""
    running = [OrderState.QUEUED, OrderState.CLAIMED, OrderState.SUSPENSION_REQUESTED]
    return (orders_in(scope).filter(state__in=running)
            .filter(Q(due_at__lte=now) | Q(at_risk_at__lte=now) | Q(state=OrderState.SUSPENSION_REQUESTED))
            .select_related("team", "complaint", "complaint__customer", "claimed_by").order_by("due_at", "pk")[:limit])
