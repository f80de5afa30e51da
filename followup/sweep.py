"""The SLA sweep: flags clocks at risk and breached, writes their audit events and reminders.

Set-based: a fixed handful of statements whatever the number of complaints. Each clock is flagged
by an UPDATE that stamps the sweep's `now` into its flag column where that column is still empty;
the events and notifications are then INSERT ... SELECT of exactly the rows carrying that stamp.
Running it twice flags nothing twice (the flag columns are set), and two sweeps never overlap (a
PostgreSQL advisory lock; SQLite serialises writers itself). No complaint is loaded into Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

from complaints.lifecycle import ClockEvent, OrderState, Status
from complaints.models import Complaint
from routing.models import WorkOrder

SWEEP_LOCK = 621_0001  # an arbitrary constant shared by every sweep process
LEGAL_WARNING_BEFORE = dt.timedelta(days=5)  # warn at day 10 of the 15

RUNNING_ORDER = [OrderState.QUEUED, OrderState.CLAIMED, OrderState.SUSPENSION_REQUESTED]
BEFORE_REPLY = [Status.RECEIVED, Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING_INFO, Status.SUSPENDED,
                Status.UNDER_REVIEW, Status.AWAITING_REPLY]


@dataclass(frozen=True)
class Clock:
    event: ClockEvent
    table: str
    model: type
    flag: str
    filters: dict


def clocks(now: dt.datetime) -> list[Clock]:
    # Complaint rows first, then work orders: the same order the actions take their locks in, so a
    # sweep and an action never wait on each other crosswise.
    # The legal deadline is the first answer's: a reopened round (round > 1) has met it already.
    return [
        Clock(ClockEvent.REPLY_BREACHED, "complaints_complaint", Complaint, "reply_breached_at",
              {"status__in": BEFORE_REPLY, "promised_reply_at__lte": now}),
        Clock(ClockEvent.REPLY_AT_RISK, "complaints_complaint", Complaint, "reply_risk_flagged_at",
              {"status__in": BEFORE_REPLY, "reply_risk_from__lte": now, "promised_reply_at__gt": now}),
        Clock(ClockEvent.LEGAL_BREACHED, "complaints_complaint", Complaint, "legal_breached_at",
              {"status__in": BEFORE_REPLY, "round": 1, "legal_deadline_at__lte": now}),
        Clock(ClockEvent.LEGAL_WARNING, "complaints_complaint", Complaint, "legal_warned_at",
              {"status__in": BEFORE_REPLY, "round": 1, "legal_deadline_at__lte": now + LEGAL_WARNING_BEFORE,
               "legal_deadline_at__gt": now}),
        Clock(ClockEvent.RETURN_VISIT_BREACHED, "complaints_complaint", Complaint, "return_visit_breached_at",
              {"status": Status.REPLIED, "return_visit_due_at__lte": now, "return_visited_at__isnull": True}),
        Clock(ClockEvent.ORDER_BREACHED, "routing_workorder", WorkOrder, "breached_at",
              {"state__in": RUNNING_ORDER, "due_at__lte": now}),
        Clock(ClockEvent.ORDER_AT_RISK, "routing_workorder", WorkOrder, "risk_flagged_at",
              {"state__in": RUNNING_ORDER, "at_risk_at__lte": now, "due_at__gt": now}),
    ]


def _json(*pairs: str) -> str:
    function = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{function}({', '.join(pairs)})"


def _event_insert(clock: Clock) -> str:
    """INSERT ... SELECT of one audit event per row this sweep stamped."""
    if clock.model is WorkOrder:
        return f"""
            INSERT INTO complaints_event (complaint_id, work_order_id, kind, actor_id, at, origin, from_status,
                                          to_status, data)
            SELECT o.complaint_id, o.id, %s, NULL, %s, 'sla-sweep', c.status, c.status,
                   {_json("'due_at'", "o.due_at", "'team_id'", "o.team_id")}
            FROM routing_workorder o JOIN complaints_complaint c ON c.id = o.complaint_id
            WHERE o.{clock.flag} = %s"""
    due = {"reply_breached_at": "c.promised_reply_at", "reply_risk_flagged_at": "c.promised_reply_at",
           "legal_breached_at": "c.legal_deadline_at", "legal_warned_at": "c.legal_deadline_at",
           "return_visit_breached_at": "c.return_visit_due_at"}[clock.flag]
    return f"""
        INSERT INTO complaints_event (complaint_id, work_order_id, kind, actor_id, at, origin, from_status,
                                      to_status, data)
        SELECT c.id, NULL, %s, NULL, %s, 'sla-sweep', c.status, c.status, {_json("'due_at'", due)}
        FROM complaints_complaint c
        WHERE c.{clock.flag} = %s"""


# Who is reminded of what: the handler (or the whole team while unclaimed) and the first-contact
# owner for an overdue work order; the team's supervisor on any breach (escalation).
NOTIFY = """
    INSERT INTO followup_notification (recipient_id, event_id, created_at)
    SELECT DISTINCT r.user_id, r.event_id, %(now)s FROM (
        SELECT o.claimed_by_id AS user_id, e.id AS event_id
        FROM complaints_event e JOIN routing_workorder o ON o.id = e.work_order_id
        WHERE e.at = %(now)s AND e.origin = 'sla-sweep' AND e.kind IN (%(order_kinds)s) AND o.claimed_by_id IS NOT NULL
        UNION
        SELECT m.user_id, e.id
        FROM complaints_event e JOIN routing_workorder o ON o.id = e.work_order_id
             JOIN routing_membership m ON m.team_id = o.team_id
        WHERE e.at = %(now)s AND e.origin = 'sla-sweep' AND e.kind IN (%(order_kinds)s) AND o.claimed_by_id IS NULL
        UNION
        SELECT c.first_contact_owner_id, e.id
        FROM complaints_event e JOIN complaints_complaint c ON c.id = e.complaint_id
        WHERE e.at = %(now)s AND e.origin = 'sla-sweep' AND e.kind IN (%(all_kinds)s)
        UNION
        SELECT t.supervisor_id, e.id
        FROM complaints_event e JOIN routing_workorder o ON o.id = e.work_order_id
             JOIN routing_team t ON t.id = o.team_id
        WHERE e.at = %(now)s AND e.origin = 'sla-sweep' AND e.kind = %(order_breached)s
              AND t.supervisor_id IS NOT NULL
        UNION
        SELECT t.supervisor_id, e.id
        FROM complaints_event e JOIN complaints_complaint c ON c.id = e.complaint_id
             JOIN routing_category cat ON cat.id = c.category_id JOIN routing_team t ON t.id = cat.default_team_id
        WHERE e.at = %(now)s AND e.origin = 'sla-sweep' AND e.kind IN (%(complaint_breaches)s)
              AND t.supervisor_id IS NOT NULL
    ) r
    WHERE r.user_id IS NOT NULL
    ON CONFLICT DO NOTHING
"""


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Held until the transaction ends: a second sweep waits, then finds nothing left to flag.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])


@transaction.atomic
def sla_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Flags every clock that became at risk or breached by `now`; returns the count per kind."""
    _lock()
    flagged: dict[str, int] = {}
    # Raw statements must store and compare `now` exactly as the ORM's UPDATE stored it.
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for clock in clocks(now):
            rows = clock.model.objects.filter(**{f"{clock.flag}__isnull": True, **clock.filters}).update(
                **{clock.flag: now})
            flagged[clock.event.value] = rows
            if rows:
                cursor.execute(_event_insert(clock), [clock.event.value, stamp, stamp])
        if any(flagged.values()):
            sql = NOTIFY % {
                "now": "%s",
                "order_kinds": "%s, %s",
                "order_breached": "%s",
                "complaint_breaches": "%s, %s, %s",
                "all_kinds": ", ".join(["%s"] * len(ClockEvent)),
            }
            # Placeholders in the order they appear in the statement.
            params = [stamp,
                      stamp, ClockEvent.ORDER_AT_RISK, ClockEvent.ORDER_BREACHED,
                      stamp, ClockEvent.ORDER_AT_RISK, ClockEvent.ORDER_BREACHED,
                      stamp, *ClockEvent.values,
                      stamp, ClockEvent.ORDER_BREACHED,
                      stamp, ClockEvent.REPLY_BREACHED, ClockEvent.LEGAL_BREACHED, ClockEvent.RETURN_VISIT_BREACHED]
            cursor.execute(sql, params)
    if any(flagged.values()):
        from followup.tasks import mail_sweep_reminders

        transaction.on_commit(lambda: mail_sweep_reminders.delay(now.isoformat()))
    return flagged
