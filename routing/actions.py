"""Dispatch and the back-office's work on a work order, one function per domain verb.

Locks are always taken complaint first, then work order, so two actions on the same complaint
serialise instead of deadlocking. The complaint's status is re-derived from its current round's
work orders after each change (`settle`).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.actions import (
    add_note,
    check_version,
    lock_complaint,
    save_complaint,
    store_evidence,
    time_limit,
)
from complaints.audit import record_event
from complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from complaints.lifecycle import (
    Action,
    OrderState,
    Role,
    Status,
    require_complaint_state,
    require_order_state,
    status_from_orders,
)
from complaints.models import Complaint, Event, Note, Severity
from complaints.roles import require_action_role
from complaints.rules import severity_floor_of
from routing.models import Membership, RoutingRule, Team, WorkOrder
from worktime import clocks


class AlreadyClaimed(TransitionNotAllowed):
    code = "already_claimed"

    def __init__(self, order: WorkOrder) -> None:
        holder = (order.claimed_by.get_full_name() or order.claimed_by.get_username()) if order.claimed_by else "?"
        super().__init__(Action.CLAIM, order.state)
        self.message = _("%(order)s was already claimed by %(name)s.") % {"order": order, "name": holder}
        self.args = (self.message,)


def team_bit(team: Team) -> int:
    """The team's bit in Complaint.teams_reached (0 for ids the 63 bits cannot hold)."""
    return 1 << team.pk if team.pk < 63 else 0


def _fill(sql: str) -> None:
    """Runs one set-based fill over complaints ({complaints}) and work orders ({orders})."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(sql.format(complaints=qn(Complaint._meta.db_table), orders=qn(WorkOrder._meta.db_table)))


def recompute_teams_reached() -> None:
    """Sets every complaint's teams_reached from its work orders (one statement; for loads and migrations)."""
    # Distinct powers of two: their sum is their bitwise OR, on every database.
    _fill("""
        UPDATE {complaints} SET teams_reached = reached.bits
        FROM (SELECT complaint_id, SUM(DISTINCT CAST(1 AS BIGINT) << CAST(team_id AS INTEGER)) AS bits
              FROM {orders} WHERE team_id < 63 GROUP BY complaint_id) AS reached
        WHERE {complaints}.id = reached.complaint_id AND {complaints}.teams_reached <> reached.bits
    """)


def copy_receipt_to_orders() -> None:
    """Sets every work order's complaint_received_at from its complaint (one statement; for loads and migrations)."""
    _fill("""
        UPDATE {orders} SET complaint_received_at = c.received_at
        FROM {complaints} AS c
        WHERE c.id = {orders}.complaint_id AND c.received_at IS NOT NULL
          AND ({orders}.complaint_received_at IS NULL OR {orders}.complaint_received_at <> c.received_at)
    """)


def is_member(user, team_id: int) -> bool:
    return Membership.objects.filter(user=user, team_id=team_id).exists()


def settle(complaint: Complaint) -> Status:
    """The complaint's status from its current round's work orders (one query)."""
    states = WorkOrder.objects.filter(complaint=complaint, round=complaint.round).values_list("state", flat=True)
    return status_from_orders(states)


def _require_order_actor(action: Action, order: WorkOrder, by, roles: frozenset[Role]) -> None:
    """Back-office staff act on their own team's orders, and on an order in hand only as its handler.

    Anyone may urge a slow work order (DOMAIN.md step 5).
    """
    if Role.SUPERVISOR in roles or Role.BACKOFFICE not in roles or action == Action.URGE:
        return
    if not is_member(by, order.team_id):
        raise NotPermitted(action, _("This work order belongs to another team."))
    if order.state != OrderState.QUEUED and action != Action.URGE and order.claimed_by_id != by.pk:
        raise NotPermitted(action, _("Only the handler of this work order may do that."))


def begin_order_action(action: Action, order: WorkOrder, *, by, expected_version: int | None) -> tuple[Complaint, WorkOrder, str]:
    roles = require_action_role(action, by)
    complaint = lock_complaint(order.complaint_id)
    order = WorkOrder.objects.select_for_update(of=("self",)).select_related("claimed_by").get(pk=order.pk)
    if action == Action.CLAIM and order.state != OrderState.QUEUED and order.claimed_by_id:
        raise AlreadyClaimed(order)
    require_complaint_state(action, complaint.status)
    require_order_state(action, order.state)
    check_version(order, expected_version)
    _require_order_actor(action, order, by, roles)
    return complaint, order, complaint.status


def finish_order_action(action: Action, complaint: Complaint, order: WorkOrder, *, fields: list[str], by, from_status: str,
            order_from: str, now: dt.datetime, data: dict | None = None) -> WorkOrder:
    # An urge changes nothing anyone is editing: it must not make a handler's open page stale.
    if action != Action.URGE:
        order.version += 1
    order.save(update_fields=[*fields, "version", "updated_at"])
    settled = settle(complaint)
    if settled != complaint.status:
        complaint.status = settled
        save_complaint(complaint, ["status"])
    record_event(complaint, action, by=by, from_status=from_status, work_order=order, at=now,
                 data={"order_from": order_from, "order_to": order.state, **(data or {})})
    return order


def _resume_clock(order: WorkOrder, now: dt.datetime) -> None:
    """Moves the due time by the working time spent paused; the legal deadline is never moved."""
    if order.paused_at is None:
        return
    calendar = clocks.working_calendar()
    paused = calendar.working_minutes_between(timezone.localtime(order.paused_at), timezone.localtime(now))
    if paused:
        order.due_at = calendar.add_working_minutes(timezone.localtime(order.due_at), paused)
        if order.at_risk_at is not None:
            order.at_risk_at = calendar.add_working_minutes(timezone.localtime(order.at_risk_at), paused)
    order.paused_at = None


def suggested_team(complaint: Complaint) -> Team | None:
    """The first matching routing rule's team, else the team that owns the complaint's category."""
    for rule in RoutingRule.objects.filter(active=True, team__active=True).select_related("team"):
        if rule.matches(complaint):
            return rule.team
    return complaint.category.default_team if complaint.category_id else None


def _round_started(complaint: Complaint) -> dt.datetime:
    """When the current handling round began: the receipt, or the reopening / dissatisfied return visit."""
    if complaint.round == 1:
        return complaint.received_at
    started = (Event.objects.filter(complaint=complaint, kind__in=[Action.REOPEN, Action.RETURN_VISIT],
                                    data__round=complaint.round).order_by("-at").values_list("at", flat=True).first())
    return started or complaint.received_at


def _change_severity(complaint: Complaint, severity: str, reason: str) -> dict:
    """Triage may raise or lower the severity (never below the rules' floor); the promise follows it,
    counted from the start of the current round (a reopened complaint's promise is not back-dated)."""
    floor, _reasons = severity_floor_of(complaint)
    if severity not in Severity.values:
        raise InvalidInput(_("Unknown severity."), "severity")
    if Severity.rank(severity) < Severity.rank(floor):
        raise InvalidInput(_("The facts recorded require at least “%(level)s”.") % {"level": Severity(floor).label},
                           "severity")
    if not reason.strip():
        raise InvalidInput(_("Say why the severity changes."), "severity_reason")
    before = complaint.severity
    limit = time_limit(severity)
    complaint.severity, complaint.severity_reason = severity, reason.strip()
    start = _round_started(complaint)
    complaint.promised_reply_at = clocks.deadline(start, limit.reply_amount, limit.reply_unit)
    complaint.reply_risk_from = clocks.at_risk_point(start, complaint.promised_reply_at)
    complaint.reply_risk_flagged_at = complaint.reply_breached_at = None
    return {"severity_from": before, "severity_to": severity, "severity_reason": complaint.severity_reason}


@transaction.atomic
def dispatch(complaint: Complaint, *, team: Team, by, initial_judgement: str = "", help_needed: str = "",
             team_reason: str = "", severity: str | None = None, severity_reason: str = "",
             expected_version: int | None = None, now: dt.datetime | None = None) -> WorkOrder:
    """派单: a work order to a back-office team; its result is due within the severity's time limit.

    The suggested team is the category's; another team needs a reason. Triage may change the
    severity on the way, with a reason; the promised reply moves with it.
    """
    require_action_role(Action.DISPATCH, by)
    now = now or timezone.now()
    complaint = lock_complaint(complaint)
    from_status = complaint.status
    require_complaint_state(Action.DISPATCH, from_status)
    check_version(complaint, expected_version)
    if not team.active:
        raise InvalidInput(_("This team no longer takes work orders."), "team")
    suggested = suggested_team(complaint)
    if suggested is not None and team.pk != suggested.pk and not team_reason.strip():
        raise InvalidInput(_("Say why the work order goes to another team than the suggested one."), "team_reason")
    data: dict = {}
    fields = ["status"]
    if severity and severity != complaint.severity:
        data = _change_severity(complaint, severity, severity_reason)
        fields += ["severity", "severity_reason", "promised_reply_at", "reply_risk_from", "reply_risk_flagged_at",
                   "reply_breached_at"]
    limit = time_limit(complaint.severity)
    due_at = clocks.deadline(now, limit.result_amount, limit.result_unit)
    complaint.teams_reached |= team_bit(team)
    fields.append("teams_reached")
    order = WorkOrder.objects.create(
        complaint=complaint, round=complaint.round, team=team, state=OrderState.QUEUED, severity=complaint.severity,
        initial_judgement=initial_judgement.strip(), help_needed=help_needed.strip(), dispatched_by=by,
        dispatched_at=now, due_at=due_at, at_risk_at=clocks.at_risk_point(now, due_at),
        complaint_received_at=complaint.received_at,
    )
    complaint.status = settle(complaint)
    save_complaint(complaint, fields)
    if suggested is not None and team.pk != suggested.pk:
        data.update(suggested_team=suggested.code, team_reason=team_reason.strip())
    record_event(complaint, Action.DISPATCH, by=by, from_status=from_status, work_order=order, at=now,
                 data={"team": team.code, "order": order.pk, "due_at": order.due_at.isoformat(), **data})
    return order


@transaction.atomic
def claim(order: WorkOrder, *, by, expected_version: int | None = None, now: dt.datetime | None = None) -> WorkOrder:
    """签收: the order gets a named owner. Of two people claiming at once, exactly one gets it."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.CLAIM, order, by=by, expected_version=expected_version)
    order_from = order.state
    order.state, order.claimed_by, order.claimed_at = OrderState.CLAIMED, by, now
    return finish_order_action(Action.CLAIM, complaint, order, fields=["state", "claimed_by", "claimed_at"], by=by,
                   from_status=from_status, order_from=order_from, now=now)


@transaction.atomic
def release(order: WorkOrder, *, by, expected_version: int | None = None, now: dt.datetime | None = None) -> WorkOrder:
    """Give the order back to the team's queue."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.RELEASE, order, by=by, expected_version=expected_version)
    order_from, previous = order.state, order.claimed_by_id
    order.state, order.claimed_by, order.claimed_at = OrderState.QUEUED, None, None
    return finish_order_action(Action.RELEASE, complaint, order, fields=["state", "claimed_by", "claimed_at"], by=by,
                   from_status=from_status, order_from=order_from, now=now, data={"previous_handler": previous})


@transaction.atomic
def reassign(order: WorkOrder, *, to, by, expected_version: int | None = None, now: dt.datetime | None = None) -> WorkOrder:
    """A supervisor hands the order to a named member of its team."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.REASSIGN, order, by=by, expected_version=expected_version)
    if not is_member(to, order.team_id):
        raise InvalidInput(_("%(name)s is not a member of this team.") % {"name": to.get_username()}, "to")
    order_from, previous = order.state, order.claimed_by_id
    order.state, order.claimed_by, order.claimed_at = OrderState.CLAIMED, to, now
    return finish_order_action(Action.REASSIGN, complaint, order, fields=["state", "claimed_by", "claimed_at"], by=by,
                   from_status=from_status, order_from=order_from, now=now,
                   data={"previous_handler": previous, "handler": to.pk})


@transaction.atomic
def request_information(order: WorkOrder, *, question: str, by, expected_version: int | None = None,
                        now: dt.datetime | None = None) -> WorkOrder:
    """需补充信息: ask the agent; the order's clock pauses until they answer."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.REQUEST_INFORMATION, order, by=by, expected_version=expected_version)
    if not question.strip():
        raise InvalidInput(_("Say what information is missing."), "question")
    order_from = order.state
    order.state, order.info_question, order.info_answer, order.paused_at = (
        OrderState.WAITING_INFO, question.strip(), "", now)
    return finish_order_action(Action.REQUEST_INFORMATION, complaint, order, fields=["state", "info_question", "info_answer",
                   "paused_at"], by=by, from_status=from_status, order_from=order_from, now=now,
                   data={"question": order.info_question})


@transaction.atomic
def answer_information(order: WorkOrder, *, answer: str, by, expected_version: int | None = None,
                       now: dt.datetime | None = None) -> WorkOrder:
    """The agent answers; the order returns to its handler and its clock resumes."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.ANSWER_INFORMATION, order, by=by, expected_version=expected_version)
    if not answer.strip():
        raise InvalidInput(_("Write the answer."), "answer")
    order_from = order.state
    order.state, order.info_answer = OrderState.CLAIMED, answer.strip()
    _resume_clock(order, now)
    return finish_order_action(Action.ANSWER_INFORMATION, complaint, order,
                   fields=["state", "info_answer", "paused_at", "due_at", "at_risk_at"],
                   by=by, from_status=from_status, order_from=order_from, now=now, data={"answer": order.info_answer})


@transaction.atomic
def transfer(order: WorkOrder, *, team: Team, reason: str, by, expected_version: int | None = None,
             now: dt.datetime | None = None) -> WorkOrder:
    """转派: the order moves to another team's queue; the customer's clock keeps running as it was."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.TRANSFER, order, by=by, expected_version=expected_version)
    if not reason.strip():
        raise InvalidInput(_("Say why the work order is transferred."), "reason")
    if team.pk == order.team_id:
        raise InvalidInput(_("Choose another team."), "team")
    if not team.active:
        raise InvalidInput(_("This team no longer takes work orders."), "team")
    order_from = order.state
    successor = WorkOrder.objects.create(
        complaint=complaint, round=order.round, team=team, state=OrderState.QUEUED, severity=order.severity,
        initial_judgement=order.initial_judgement, help_needed=order.help_needed, dispatched_by=by,
        dispatched_at=now, due_at=order.due_at, at_risk_at=order.at_risk_at, urge_count=order.urge_count,
        risk_flagged_at=order.risk_flagged_at, breached_at=order.breached_at, transferred_from=order,
        complaint_received_at=complaint.received_at,
    )
    order.state, order.reason = OrderState.TRANSFERRED, reason.strip()
    # Derived, not edited by anyone: no new version, but a change the dashboard's figures notice.
    Complaint.objects.filter(pk=complaint.pk).update(teams_reached=F("teams_reached").bitor(team_bit(team)),
                                                     updated_at=now)
    finish_order_action(Action.TRANSFER, complaint, order, fields=["state", "reason"], by=by, from_status=from_status,
            order_from=order_from, now=now, data={"to_team": team.code, "new_order": successor.pk,
                                                   "reason": order.reason})
    return successor


@transaction.atomic
def send_back(order: WorkOrder, *, reason: str, by, expected_version: int | None = None,
              now: dt.datetime | None = None) -> WorkOrder:
    """退单: wrongly dispatched; the agent triages again."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.SEND_BACK, order, by=by, expected_version=expected_version)
    if not reason.strip():
        raise InvalidInput(_("Say why the work order is sent back."), "reason")
    order_from = order.state
    order.state, order.reason = OrderState.SENT_BACK, reason.strip()
    return finish_order_action(Action.SEND_BACK, complaint, order, fields=["state", "reason"], by=by, from_status=from_status,
                   order_from=order_from, now=now, data={"reason": order.reason})


@transaction.atomic
def request_suspension(order: WorkOrder, *, reason: str, by, expected_version: int | None = None,
                       now: dt.datetime | None = None) -> WorkOrder:
    """挂起 needs a supervisor's approval; until then the clock keeps running."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.REQUEST_SUSPENSION, order, by=by, expected_version=expected_version)
    if not reason.strip():
        raise InvalidInput(_("Say why the work order should be suspended."), "reason")
    order_from = order.state
    order.state, order.reason = OrderState.SUSPENSION_REQUESTED, reason.strip()
    return finish_order_action(Action.REQUEST_SUSPENSION, complaint, order, fields=["state", "reason"], by=by,
                   from_status=from_status, order_from=order_from, now=now, data={"reason": order.reason})


@transaction.atomic
def approve_suspension(order: WorkOrder, *, by, expected_version: int | None = None,
                       now: dt.datetime | None = None) -> WorkOrder:
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.APPROVE_SUSPENSION, order, by=by, expected_version=expected_version)
    order_from = order.state
    order.state, order.paused_at = OrderState.SUSPENDED, now
    return finish_order_action(Action.APPROVE_SUSPENSION, complaint, order, fields=["state", "paused_at"], by=by,
                   from_status=from_status, order_from=order_from, now=now)


@transaction.atomic
def refuse_suspension(order: WorkOrder, *, reason: str, by, expected_version: int | None = None,
                      now: dt.datetime | None = None) -> WorkOrder:
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.REFUSE_SUSPENSION, order, by=by, expected_version=expected_version)
    order_from = order.state
    order.state = OrderState.CLAIMED
    return finish_order_action(Action.REFUSE_SUSPENSION, complaint, order, fields=["state"], by=by, from_status=from_status,
                   order_from=order_from, now=now, data={"reason": reason.strip()})


@transaction.atomic
def resume(order: WorkOrder, *, by, expected_version: int | None = None, now: dt.datetime | None = None) -> WorkOrder:
    """解挂: work goes on and the due time moves by the working time spent suspended."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.RESUME, order, by=by, expected_version=expected_version)
    order_from = order.state
    order.state = OrderState.CLAIMED
    _resume_clock(order, now)
    return finish_order_action(Action.RESUME, complaint, order, fields=["state", "paused_at", "due_at", "at_risk_at"], by=by,
                   from_status=from_status, order_from=order_from, now=now)


@transaction.atomic
def return_result(order: WorkOrder, *, findings: str, substantiated: bool, actions_taken: str, proposed_answer: str,
                  root_cause: str, by, evidence: list | None = None, expected_version: int | None = None,
                  now: dt.datetime | None = None) -> WorkOrder:
    """回单: the team's findings and the answer it proposes for the customer."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.RETURN_RESULT, order, by=by, expected_version=expected_version)
    for name, value in (("findings", findings), ("proposed_answer", proposed_answer), ("root_cause", root_cause)):
        if not value.strip():
            raise InvalidInput(_("This field is required to return a result."), name)
    order_from = order.state
    order.state, order.findings, order.substantiated = OrderState.RETURNED, findings.strip(), substantiated
    order.actions_taken, order.proposed_answer = actions_taken.strip(), proposed_answer.strip()
    order.root_cause, order.returned_at = root_cause.strip(), now
    stored = store_evidence(complaint, evidence or [], by=by, work_order=order)
    return finish_order_action(Action.RETURN_RESULT, complaint, order,
                   fields=["state", "findings", "substantiated", "actions_taken", "proposed_answer", "root_cause",
                           "returned_at"],
                   by=by, from_status=from_status, order_from=order_from, now=now,
                   data={"substantiated": substantiated, "attachments": stored})


@transaction.atomic
def urge(order: WorkOrder, *, by, remark: str = "", now: dt.datetime | None = None) -> WorkOrder:
    """催办: counted and shown to the handler and their supervisor."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.URGE, order, by=by, expected_version=None)
    order.urge_count = F("urge_count") + 1
    order = finish_order_action(Action.URGE, complaint, order, fields=["urge_count"], by=by, from_status=from_status,
                    order_from=order.state, now=now, data={"remark": remark.strip()})
    order.refresh_from_db(fields=["urge_count"])
    return order


def add_progress_note(order: WorkOrder, *, body: str, by, now: dt.datetime | None = None) -> Note:
    """A handler's progress note on a work order, visible to the agent."""
    roles = require_action_role(Action.ADD_NOTE, by)
    if not roles & {Role.SUPERVISOR, Role.AGENT} and not is_member(by, order.team_id):
        raise NotPermitted(Action.ADD_NOTE, _("This work order belongs to another team."))
    return add_note(order.complaint, body=body, by=by, work_order=order, now=now)
