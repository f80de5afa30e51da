"""The complaint lifecycle of DOMAIN.md as two tables: which transitions are legal, and who may act.

Every domain action names its `Action`; `require_transition` checks both tables before any row changes.
A complaint's status follows from its own actions (read-back, reply, close...) and, while it is being
handled, from the states of its current round's work orders (`status_from_orders`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.errors import NotPermitted, TransitionNotAllowed


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft (not yet read back)")
    RECEIVED = "received", _("Received")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_INFO = "waiting_info", _("Waiting for information")
    SUSPENDED = "suspended", _("Suspended")
    UNDER_REVIEW = "under_review", _("Result under review")
    AWAITING_REPLY = "awaiting_reply", _("Awaiting reply")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    VOIDED = "voided", _("Voided")
    REJECTED = "rejected", _("Rejected (not a complaint)")


class OrderState(models.TextChoices):
    QUEUED = "queued", _("In queue")
    CLAIMED = "claimed", _("Claimed")
    WAITING_INFO = "waiting_info", _("Waiting for information")
    SUSPENSION_REQUESTED = "suspension_requested", _("Suspension requested")
    SUSPENDED = "suspended", _("Suspended")
    RETURNED = "returned", _("Result returned")
    ACCEPTED = "accepted", _("Result accepted")
    TRANSFERRED = "transferred", _("Transferred")
    SENT_BACK = "sent_back", _("Sent back")
    CANCELLED = "cancelled", _("Cancelled")


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    BACKOFFICE = "backoffice", _("Back-office staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Admin")


class Action(models.TextChoices):
    RECORD = "record", _("Record complaint")
    CONFIRM_READ_BACK = "confirm_read_back", _("Confirm read-back")
    RESOLVE_ON_THE_SPOT = "resolve_on_the_spot", _("Resolve on the spot")
    DISPATCH = "dispatch", _("Dispatch")
    CLAIM = "claim", _("Claim")
    RELEASE = "release", _("Release")
    REASSIGN = "reassign", _("Reassign")
    REQUEST_INFORMATION = "request_information", _("Request information")
    ANSWER_INFORMATION = "answer_information", _("Answer information request")
    TRANSFER = "transfer", _("Transfer")
    SEND_BACK = "send_back", _("Send back")
    REQUEST_SUSPENSION = "request_suspension", _("Request suspension")
    APPROVE_SUSPENSION = "approve_suspension", _("Approve suspension")
    REFUSE_SUSPENSION = "refuse_suspension", _("Refuse suspension")
    RESUME = "resume", _("Resume")
    RETURN_RESULT = "return_result", _("Return result")
    URGE = "urge", _("Urge")
    ADD_NOTE = "add_note", _("Add note")
    APPROVE_RESULT = "approve_result", _("Approve result")
    REJECT_RESULT = "reject_result", _("Reject result")
    LOG_CONTACT_ATTEMPT = "log_contact_attempt", _("Log contact attempt")
    REPLY = "reply", _("Reply to customer")
    CHANGE_PROMISED_DATE = "change_promised_date", _("Change promised date")
    RETURN_VISIT = "return_visit", _("Return visit")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    VOID = "void", _("Void")
    CHECK = "check", _("Daily follow-up check")
    ESCALATE = "escalate", _("Escalate")


class ClockEvent(models.TextChoices):
    """What the SLA sweep writes to the audit trail (no person acts; the clock does)."""

    ORDER_AT_RISK = "order_at_risk", _("Work order at risk")
    ORDER_BREACHED = "order_breached", _("Work order overdue")
    REPLY_AT_RISK = "reply_at_risk", _("Reply at risk")
    REPLY_BREACHED = "reply_breached", _("Reply promise broken")
    LEGAL_WARNING = "legal_warning", _("Legal deadline in 5 days")
    LEGAL_BREACHED = "legal_breached", _("Legal deadline passed")
    RETURN_VISIT_BREACHED = "return_visit_breached", _("Return visit overdue")


S, OS = Status, OrderState
HANDLING = frozenset({S.DISPATCHED, S.IN_PROGRESS, S.WAITING_INFO, S.SUSPENDED, S.UNDER_REVIEW})
OPEN = frozenset({S.RECEIVED, *HANDLING, S.AWAITING_REPLY})
FINAL = frozenset({S.CLOSED, S.VOIDED, S.REJECTED})
# Received and not finished: what the dashboard calls open (replied complaints await their visit).
UNFINISHED = frozenset(set(S) - FINAL - {S.DRAFT})
ACTIVE_ORDER = frozenset({OS.QUEUED, OS.CLAIMED, OS.WAITING_INFO, OS.SUSPENSION_REQUESTED, OS.SUSPENDED, OS.RETURNED})
UNRETURNED_ORDER = ACTIVE_ORDER - {OS.RETURNED}
# Clocks of orders in these states do not run: the team waits for someone else.
PAUSED_ORDER = frozenset({OS.WAITING_INFO, OS.SUSPENDED})

DERIVED = None  # the complaint's new status follows from its work orders


@dataclass(frozen=True)
class Transition:
    complaint_from: frozenset[Status]
    complaint_to: frozenset[Status] | None
    order_from: frozenset[OrderState] | None = None
    order_to: OrderState | None = None

    @property
    def on_work_order(self) -> bool:
        return self.order_from is not None


def _t(frm, to, order_from=None, order_to=None) -> Transition:
    return Transition(
        frozenset(frm),
        None if to is DERIVED else frozenset(to if isinstance(to, (set, frozenset)) else {to}),
        None if order_from is None else frozenset(order_from),
        order_to,
    )


# The legal transitions. complaint_to None: derived from the work orders after the change.
TRANSITIONS: dict[Action, Transition] = {
    Action.RECORD: _t({S.DRAFT}, S.DRAFT),
    Action.CONFIRM_READ_BACK: _t({S.DRAFT}, S.RECEIVED),
    Action.RESOLVE_ON_THE_SPOT: _t({S.RECEIVED}, S.REPLIED),
    Action.DISPATCH: _t({S.RECEIVED, *HANDLING, S.AWAITING_REPLY}, DERIVED, set(), OS.QUEUED),
    Action.CLAIM: _t(HANDLING, DERIVED, {OS.QUEUED}, OS.CLAIMED),
    Action.RELEASE: _t(HANDLING, DERIVED, {OS.CLAIMED}, OS.QUEUED),
    Action.REASSIGN: _t(HANDLING, DERIVED, {OS.QUEUED, OS.CLAIMED}, OS.CLAIMED),
    Action.REQUEST_INFORMATION: _t(HANDLING, DERIVED, {OS.CLAIMED}, OS.WAITING_INFO),
    Action.ANSWER_INFORMATION: _t(HANDLING, DERIVED, {OS.WAITING_INFO}, OS.CLAIMED),
    Action.TRANSFER: _t(HANDLING, DERIVED, {OS.QUEUED, OS.CLAIMED}, OS.TRANSFERRED),
    Action.SEND_BACK: _t(HANDLING, DERIVED, {OS.QUEUED, OS.CLAIMED}, OS.SENT_BACK),
    Action.REQUEST_SUSPENSION: _t(HANDLING, DERIVED, {OS.CLAIMED}, OS.SUSPENSION_REQUESTED),
    Action.APPROVE_SUSPENSION: _t(HANDLING, DERIVED, {OS.SUSPENSION_REQUESTED}, OS.SUSPENDED),
    Action.REFUSE_SUSPENSION: _t(HANDLING, DERIVED, {OS.SUSPENSION_REQUESTED}, OS.CLAIMED),
    Action.RESUME: _t(HANDLING, DERIVED, {OS.SUSPENDED}, OS.CLAIMED),
    Action.RETURN_RESULT: _t(HANDLING, DERIVED, {OS.CLAIMED}, OS.RETURNED),
    Action.URGE: _t(HANDLING, DERIVED, UNRETURNED_ORDER, None),
    Action.APPROVE_RESULT: _t(HANDLING, DERIVED, {OS.RETURNED}, OS.ACCEPTED),
    Action.REJECT_RESULT: _t(HANDLING, DERIVED, {OS.RETURNED}, OS.CLAIMED),
    Action.ADD_NOTE: _t(OPEN | {S.REPLIED}, OPEN | {S.REPLIED}),
    Action.LOG_CONTACT_ATTEMPT: _t(OPEN | {S.REPLIED}, OPEN | {S.REPLIED}),
    Action.REPLY: _t({S.AWAITING_REPLY}, S.REPLIED),
    Action.CHANGE_PROMISED_DATE: _t(OPEN, OPEN),
    Action.RETURN_VISIT: _t({S.REPLIED}, {S.REPLIED, S.RECEIVED}),
    Action.CLOSE: _t({S.REPLIED}, S.CLOSED),
    Action.REOPEN: _t({S.CLOSED}, S.RECEIVED),
    Action.VOID: _t({*OPEN, S.REPLIED}, {S.VOIDED, S.REJECTED}),
    Action.CHECK: _t(OPEN | {S.REPLIED}, OPEN | {S.REPLIED}),
    Action.ESCALATE: _t(OPEN, OPEN),
}

R = Role
AGENTS = frozenset({R.AGENT, R.SUPERVISOR})
# Who may perform which action. Back-office actions are further limited to members of the work
# order's team (and, once claimed, to its handler); supervisors may step in anywhere.
WHO_MAY: dict[Action, frozenset[Role]] = {
    Action.RECORD: AGENTS,
    Action.CONFIRM_READ_BACK: AGENTS,
    Action.RESOLVE_ON_THE_SPOT: AGENTS,
    Action.DISPATCH: AGENTS,
    Action.CLAIM: frozenset({R.BACKOFFICE}),
    Action.RELEASE: frozenset({R.BACKOFFICE, R.SUPERVISOR}),
    Action.REASSIGN: frozenset({R.SUPERVISOR}),
    Action.REQUEST_INFORMATION: frozenset({R.BACKOFFICE}),
    Action.ANSWER_INFORMATION: AGENTS,
    Action.TRANSFER: frozenset({R.BACKOFFICE, R.SUPERVISOR}),
    Action.SEND_BACK: frozenset({R.BACKOFFICE, R.SUPERVISOR}),
    Action.REQUEST_SUSPENSION: frozenset({R.BACKOFFICE}),
    Action.APPROVE_SUSPENSION: frozenset({R.SUPERVISOR}),
    Action.REFUSE_SUSPENSION: frozenset({R.SUPERVISOR}),
    Action.RESUME: frozenset({R.BACKOFFICE, R.SUPERVISOR}),
    Action.RETURN_RESULT: frozenset({R.BACKOFFICE}),
    Action.URGE: frozenset({R.AGENT, R.BACKOFFICE, R.SUPERVISOR}),
    Action.ADD_NOTE: frozenset({R.AGENT, R.BACKOFFICE, R.SUPERVISOR}),
    Action.APPROVE_RESULT: AGENTS,
    Action.REJECT_RESULT: AGENTS,
    Action.LOG_CONTACT_ATTEMPT: AGENTS,
    Action.REPLY: AGENTS,
    Action.CHANGE_PROMISED_DATE: AGENTS,
    Action.RETURN_VISIT: AGENTS,
    Action.CLOSE: AGENTS,
    Action.REOPEN: AGENTS,
    Action.VOID: frozenset({R.SUPERVISOR}),
    Action.CHECK: AGENTS,
    Action.ESCALATE: frozenset({R.SUPERVISOR}),
}
assert set(TRANSITIONS) == set(WHO_MAY) == set(Action), "every action needs a transition and a role row"


def status_from_orders(states: Iterable[str]) -> Status:
    """The status of a complaint in handling, from its current round's work order states.

    Waiting for the agent's answer comes first (the agent must act), then anything in a handler's
    hands, then orders still in a queue; a complaint is under review once every order is back.
    """
    present = set(states)
    if OS.WAITING_INFO in present:
        return S.WAITING_INFO
    if present & {OS.CLAIMED, OS.SUSPENSION_REQUESTED}:
        return S.IN_PROGRESS
    if OS.QUEUED in present:
        return S.DISPATCHED
    if OS.SUSPENDED in present:
        return S.SUSPENDED
    if OS.RETURNED in present:
        return S.UNDER_REVIEW
    if OS.ACCEPTED in present:
        return S.AWAITING_REPLY
    return S.RECEIVED


def require_role(action: Action, roles: frozenset[Role] | set[Role]) -> None:
    if not WHO_MAY[action] & set(roles):
        raise NotPermitted(action)


def require_complaint_state(action: Action, status: str) -> Transition:
    transition = TRANSITIONS[action]
    if status not in transition.complaint_from:
        raise TransitionNotAllowed(action, status)
    return transition


def require_order_state(action: Action, state: str) -> None:
    transition = TRANSITIONS[action]
    if transition.order_from is None or state not in transition.order_from:
        raise TransitionNotAllowed(action, state)


def require_target(action: Action, status: Status) -> None:
    targets = TRANSITIONS[action].complaint_to
    if targets is not None and status not in targets:
        raise TransitionNotAllowed(action, status)


def is_legal(action: Action, status: str, order_state: str | None = None) -> bool:
    """Whether the tables allow `action` now (for showing buttons; the action itself re-checks)."""
    transition = TRANSITIONS[action]
    if status not in transition.complaint_from:
        return False
    if transition.order_from is not None:
        return order_state in transition.order_from
    return True
