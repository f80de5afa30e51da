"""Review, reply, return visit, closure, reopening and voiding: one function per domain verb."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.actions import check_version, lock_complaint, save_complaint, time_limit
from complaints.audit import record_event
from complaints.errors import InvalidInput, TransitionNotAllowed
from complaints.lifecycle import (
    ACTIVE_ORDER,
    Action,
    OrderState,
    Status,
    require_complaint_state,
    require_target,
)
from complaints.models import Complaint, ResolutionCode, Satisfaction, Severity
from complaints.roles import require_action_role
from followup.models import ContactAttempt, ContactOutcome, ContactPurpose
from routing.actions import begin_order_action, finish_order_action
from routing.models import Team, WorkOrder
from worktime import clocks

REOPEN_WINDOW = dt.timedelta(days=30)
RETURN_VISIT_ATTEMPTS = 3


@transaction.atomic
def approve_result(order: WorkOrder, *, by, expected_version: int | None = None,
                   now: dt.datetime | None = None) -> WorkOrder:
    """复核通过: the result answers the customer's reasonable demand."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.APPROVE_RESULT, order, by=by, expected_version=expected_version)
    order_from = order.state
    order.state = OrderState.ACCEPTED
    return finish_order_action(Action.APPROVE_RESULT, complaint, order, fields=["state"], by=by, from_status=from_status,
                   order_from=order_from, now=now)


@transaction.atomic
def reject_result(order: WorkOrder, *, reason: str, by, expected_version: int | None = None,
                  now: dt.datetime | None = None) -> WorkOrder:
    """复核不通过: back to the handler with a reason, counted as a re-dispatch, with a fresh time limit."""
    now = now or timezone.now()
    complaint, order, from_status = begin_order_action(Action.REJECT_RESULT, order, by=by, expected_version=expected_version)
    if not reason.strip():
        raise InvalidInput(_("Say why the result is rejected."), "reason")
    limit = time_limit(order.severity)
    order_from = order.state
    order.state, order.reason = OrderState.CLAIMED, reason.strip()
    order.rejection_count += 1
    order.due_at = clocks.deadline(now, limit.result_amount, limit.result_unit)
    order.at_risk_at = clocks.at_risk_point(now, order.due_at)
    order.risk_flagged_at = order.breached_at = None  # a fresh time limit is a new clock
    return finish_order_action(Action.REJECT_RESULT, complaint, order,
                   fields=["state", "reason", "rejection_count", "due_at", "at_risk_at", "risk_flagged_at",
                           "breached_at"],
                   by=by, from_status=from_status, order_from=order_from, now=now, data={"reason": order.reason})


def _complaint_action(action: Action, complaint: Complaint, *, by, expected_version: int | None) -> Complaint:
    require_action_role(action, by)
    complaint = lock_complaint(complaint)
    require_complaint_state(action, complaint.status)
    check_version(complaint, expected_version)
    return complaint


@transaction.atomic
def log_contact_attempt(complaint: Complaint, *, outcome: str, by, purpose: str = ContactPurpose.REPLY,
                        call_back_at: dt.datetime | None = None, remark: str = "",
                        now: dt.datetime | None = None) -> ContactAttempt:
    """Each try to reach the customer is logged: reached, not reached, or asked to call back."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.LOG_CONTACT_ATTEMPT, complaint, by=by, expected_version=None)
    if outcome not in ContactOutcome.values:
        raise InvalidInput(_("Choose an outcome."), "outcome")
    if purpose not in ContactPurpose.values:
        raise InvalidInput(_("Choose a purpose."), "purpose")
    if outcome == ContactOutcome.CALL_BACK and (call_back_at is None or call_back_at <= now):
        raise InvalidInput(_("Give a call-back time in the future."), "call_back_at")
    attempt = ContactAttempt.objects.create(complaint=complaint, purpose=purpose, outcome=outcome,
                                            call_back_at=call_back_at, remark=remark.strip(), by=by, at=now)
    record_event(complaint, Action.LOG_CONTACT_ATTEMPT, by=by, from_status=complaint.status, at=now,
                 data={"attempt": attempt.pk, "purpose": purpose, "outcome": outcome})
    return attempt


UNREACHED_BEFORE_WRITING = 3


def unreached_reply_attempts(complaint: Complaint) -> int:
    """Failed reply calls this round, counting one per clock hour: tries must be at different times."""
    since = complaint.received_at if complaint.round == 1 else _round_started(complaint)
    times = ContactAttempt.objects.filter(complaint=complaint, purpose=ContactPurpose.REPLY,
                                          outcome=ContactOutcome.NOT_REACHED, at__gte=since).values_list("at", flat=True)
    return len({timezone.localtime(t).replace(minute=0, second=0, microsecond=0) for t in times})


def _round_started(complaint: Complaint):
    from complaints.models import Event

    started = Event.objects.filter(complaint=complaint, kind__in=[Action.REOPEN, Action.RETURN_VISIT],
                                   data__round=complaint.round).order_by("-at").values_list("at", flat=True).first()
    return started or complaint.received_at


@transaction.atomic
def reply(complaint: Complaint, *, summary: str, by, in_writing: bool = False, expected_version: int | None = None,
          now: dt.datetime | None = None) -> Complaint:
    """答复: the customer was told the result; the return visit falls due within its time limit.

    After three unreached calls at different times the reply may go by SMS/e-mail instead.
    """
    now = now or timezone.now()
    complaint = _complaint_action(Action.REPLY, complaint, by=by, expected_version=expected_version)
    if not summary.strip():
        raise InvalidInput(_("Write what the customer was told."), "summary")
    if in_writing and unreached_reply_attempts(complaint) < UNREACHED_BEFORE_WRITING:
        raise InvalidInput(_("A written reply needs %(n)d unreached calls at different times first.")
                           % {"n": UNREACHED_BEFORE_WRITING}, "in_writing")
    limit = time_limit(complaint.severity)
    from_status = complaint.status
    complaint.status, complaint.reply_summary, complaint.replied_at = Status.REPLIED, summary.strip(), now
    complaint.return_visit_due_at = clocks.deadline(now, limit.return_visit_days, "working_days")
    save_complaint(complaint, ["status", "reply_summary", "replied_at", "return_visit_due_at"])
    record_event(complaint, Action.REPLY, by=by, from_status=from_status, at=now,
                 data={"on_time": complaint.promised_reply_at is None or now <= complaint.promised_reply_at,
                       "in_writing": in_writing})
    if in_writing:
        from followup.tasks import send_customer_message

        text, pk = complaint.reply_summary, complaint.pk
        transaction.on_commit(lambda: send_customer_message.delay(pk, text))
    return complaint


@transaction.atomic
def change_promised_date(complaint: Complaint, *, promised_reply_at: dt.datetime, reason: str, by,
                         expected_version: int | None = None, now: dt.datetime | None = None) -> Complaint:
    """A new promise is logged; the customer must be told of it (a contact attempt of that purpose)."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.CHANGE_PROMISED_DATE, complaint, by=by, expected_version=expected_version)
    if not reason.strip():
        raise InvalidInput(_("Say why the promised date changes."), "reason")
    if promised_reply_at <= now:
        raise InvalidInput(_("The new promised date must be in the future."), "promised_reply_at")
    if complaint.legal_deadline_at and promised_reply_at > complaint.legal_deadline_at:
        raise InvalidInput(_("The new promise would pass the 15-day legal deadline."), "promised_reply_at")
    previous = complaint.promised_reply_at
    complaint.promised_reply_at = promised_reply_at
    complaint.reply_risk_from = clocks.at_risk_point(now, promised_reply_at)
    complaint.reply_risk_flagged_at = complaint.reply_breached_at = None  # a new promise is a new clock
    save_complaint(complaint, ["promised_reply_at", "reply_risk_from", "reply_risk_flagged_at", "reply_breached_at"])
    record_event(complaint, Action.CHANGE_PROMISED_DATE, by=by, from_status=complaint.status, at=now,
                 data={"from": previous.isoformat() if previous else None, "to": promised_reply_at.isoformat(),
                       "reason": reason.strip(), "customer_told": False})
    return complaint


@transaction.atomic
def return_visit(complaint: Complaint, *, reached: bool, by, problem_solved: bool | None = None,
                 satisfaction: str = "", remark: str = "", expected_version: int | None = None,
                 now: dt.datetime | None = None) -> Complaint:
    """回访: solved? satisfied? Dissatisfied reopens the complaint into a new handling round."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.RETURN_VISIT, complaint, by=by, expected_version=expected_version)
    from_status = complaint.status
    if reached and satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Record how satisfied the customer is."), "satisfaction")
    if reached and problem_solved is None:
        raise InvalidInput(_("Record whether the problem is solved."), "problem_solved")
    ContactAttempt.objects.create(
        complaint=complaint, purpose=ContactPurpose.RETURN_VISIT,
        outcome=ContactOutcome.REACHED if reached else ContactOutcome.NOT_REACHED,
        satisfaction=satisfaction if reached else "", remark=remark.strip(), by=by, at=now)
    fields = ["status", "return_visited_at"]
    if not reached:
        complaint.return_visit_failures += 1
        fields.append("return_visit_failures")
        if complaint.return_visit_failures >= RETURN_VISIT_ATTEMPTS:
            complaint.return_visited_at = now  # failed after three attempts: the clock is done
    else:
        complaint.problem_solved, complaint.satisfaction = problem_solved, satisfaction
        complaint.return_visited_at = now
        fields += ["problem_solved", "satisfaction"]
        if satisfaction == Satisfaction.DISSATISFIED:
            _start_new_round(complaint, now=now)
            fields += ["round", "replied_at", "promised_reply_at", "return_visit_due_at", "return_visit_failures",
                       *NEW_ROUND_CLOCKS]
    require_target(Action.RETURN_VISIT, complaint.status)
    save_complaint(complaint, fields)
    record_event(complaint, Action.RETURN_VISIT, by=by, from_status=from_status, at=now,
                 data={"reached": reached, "problem_solved": problem_solved, "satisfaction": satisfaction,
                       "round": complaint.round})
    return complaint


NEW_ROUND_CLOCKS = ["reply_risk_from", "reply_risk_flagged_at", "reply_breached_at", "return_visit_breached_at",
                    "return_visited_at", "resolved_on_the_spot"]


def _start_new_round(complaint: Complaint, *, now: dt.datetime) -> None:
    """Dissatisfied or reopened: a new handling round with a new promise; the legal clock runs on."""
    limit = time_limit(complaint.severity)
    complaint.status = Status.RECEIVED
    complaint.round += 1
    complaint.resolved_on_the_spot = False  # the customer says it was not resolved: not a first-contact resolution
    complaint.replied_at = None
    complaint.return_visit_due_at = None
    complaint.return_visit_failures = 0
    complaint.promised_reply_at = clocks.deadline(now, limit.reply_amount, limit.reply_unit)
    complaint.reply_risk_from = clocks.at_risk_point(now, complaint.promised_reply_at)
    complaint.reply_risk_flagged_at = complaint.reply_breached_at = complaint.return_visit_breached_at = None
    complaint.return_visited_at = None


@transaction.atomic
def close(complaint: Complaint, *, resolution_code: str, root_cause: str, responsible_team: Team, by,
          expected_version: int | None = None, now: dt.datetime | None = None) -> Complaint:
    """结案: needs the reply, a resolution code, the responsible team, the root cause and a return visit."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.CLOSE, complaint, by=by, expected_version=expected_version)
    if resolution_code not in ResolutionCode.values:
        raise InvalidInput(_("Choose a resolution code."), "resolution_code")
    if not root_cause.strip():
        raise InvalidInput(_("Record the root cause."), "root_cause")
    visited = complaint.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
    if not visited and complaint.return_visit_failures < RETURN_VISIT_ATTEMPTS:
        raise InvalidInput(
            _("Close only after a return visit, or after %(n)d failed attempts.") % {"n": RETURN_VISIT_ATTEMPTS},
            "return_visit")
    from_status = complaint.status
    complaint.status, complaint.closed_at = Status.CLOSED, now
    complaint.resolution_code, complaint.root_cause = resolution_code, root_cause.strip()
    complaint.responsible_team = responsible_team
    save_complaint(complaint, ["status", "closed_at", "resolution_code", "root_cause", "responsible_team"])
    record_event(complaint, Action.CLOSE, by=by, from_status=from_status, at=now,
                 data={"resolution_code": resolution_code, "responsible_team": responsible_team.code})
    return complaint


@transaction.atomic
def reopen(complaint: Complaint, *, reason: str, by, expected_version: int | None = None,
           now: dt.datetime | None = None) -> Complaint:
    """Within 30 days of closure a complaint can be reopened into a new handling round; after that it is archived."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.REOPEN, complaint, by=by, expected_version=expected_version)
    if complaint.closed_at is None or now - complaint.closed_at > REOPEN_WINDOW:
        raise TransitionNotAllowed(Action.REOPEN, "archived")
    if not reason.strip():
        raise InvalidInput(_("Say why the complaint is reopened."), "reason")
    from_status = complaint.status
    _start_new_round(complaint, now=now)
    complaint.closed_at = None
    complaint.satisfaction, complaint.problem_solved = "", None
    complaint.resolution_code = ""
    save_complaint(complaint, ["status", "round", "replied_at", "promised_reply_at", "return_visit_due_at",
                               "return_visit_failures", "closed_at", "satisfaction", "problem_solved",
                               "resolution_code", *NEW_ROUND_CLOCKS])
    record_event(complaint, Action.REOPEN, by=by, from_status=from_status, at=now,
                 data={"reason": reason.strip(), "round": complaint.round})
    return complaint


@transaction.atomic
def void(complaint: Complaint, *, reason: str, not_a_complaint: bool = False, by,
         expected_version: int | None = None, now: dt.datetime | None = None) -> Complaint:
    """作废: a supervisor voids a duplicate, or rejects what is not a complaint. Nothing is deleted."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.VOID, complaint, by=by, expected_version=expected_version)
    if not reason.strip():
        raise InvalidInput(_("Say why the complaint is voided."), "reason")
    from_status = complaint.status
    cancelled = WorkOrder.objects.filter(complaint=complaint, state__in=list(ACTIVE_ORDER)).update(
        state=OrderState.CANCELLED, paused_at=None)
    complaint.status = Status.REJECTED if not_a_complaint else Status.VOIDED
    complaint.void_reason = reason.strip()
    save_complaint(complaint, ["status", "void_reason"])
    record_event(complaint, Action.VOID, by=by, from_status=from_status, at=now,
                 data={"reason": complaint.void_reason, "cancelled_orders": cancelled})
    return complaint


@transaction.atomic
def check_complaint(complaint: Complaint, *, by, remark: str = "", now: dt.datetime | None = None) -> Complaint:
    """跟进: the daily look at an open complaint, recorded (who looked, when)."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.CHECK, complaint, by=by, expected_version=None)
    record_event(complaint, Action.CHECK, by=by, from_status=complaint.status, at=now,
                 data={"remark": remark.strip()})
    return complaint


@transaction.atomic
def escalate(complaint: Complaint, *, reason: str, by, expected_version: int | None = None,
             now: dt.datetime | None = None) -> Complaint:
    """A supervisor escalates: the severity goes up one level (the promise stands) and everyone on
    the complaint is told."""
    now = now or timezone.now()
    complaint = _complaint_action(Action.ESCALATE, complaint, by=by, expected_version=expected_version)
    if not reason.strip():
        raise InvalidInput(_("Say why the complaint is escalated."), "reason")
    levels = Severity.values
    before = complaint.severity
    complaint.severity = levels[min(levels.index(before) + 1, len(levels) - 1)]
    complaint.severity_reason = reason.strip()
    save_complaint(complaint, ["severity", "severity_reason"])
    record_event(complaint, Action.ESCALATE, by=by, from_status=complaint.status, at=now,
                 data={"reason": reason.strip(), "severity_from": before, "severity_to": complaint.severity})
    return complaint
