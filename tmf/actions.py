"""What a TMF621 request does, in terms of the domain's own actions.

Each function is one transaction: the domain actions it calls (record, read-back, note, reply, close,
void, reopen, change of the promised date) check roles and states and write their audit events as they
do for the pages; if one refuses, nothing the request asked for is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.actions import add_note, confirm_read_back, record_complaint, store_evidence
from complaints.errors import NotPermitted, TransitionNotAllowed
from complaints.lifecycle import Action, OrderState, Role, Status
from complaints.models import Complaint
from complaints.roles import roles_of
from followup import actions as followup
from routing.models import WorkOrder
from tmf.errors import TmfError, bad_request, not_found
from tmf.inputs import AttachmentIn, TicketIn, TicketPatch
from tmf.mapping import tmf_status
from tmf.models import AttachmentRef, Delivery, DeliveryStatus, Subscription, TicketInfo
from tmf.notifications import refresh_create_event


def _intake_key(by, external_id: str) -> str | None:
    """The same externalId from the same caller records one ticket (a retried POST returns it)."""
    if not external_id:
        return None
    return "tmf:" + hashlib.sha256(f"{by.pk}:{external_id}".encode()).hexdigest()[:56]


def _attach(complaint: Complaint, items: list[AttachmentIn], *, by) -> None:
    uploads = [item.upload for item in items if item.upload is not None]
    if uploads:
        store_evidence(complaint, uploads, by=by)
    AttachmentRef.objects.bulk_create([
        AttachmentRef(complaint=complaint, url=item.url, name=item.name, mime_type=item.mime_type,
                      attachment_type=item.attachment_type, description=item.description, added_by=by)
        for item in items if item.upload is None
    ])


@transaction.atomic
def create_ticket(ticket: TicketIn, *, by, now: dt.datetime | None = None) -> tuple[Complaint, bool]:
    """Records the complaint and confirms it at once: a calling system cannot read a summary back to the
    customer, its submission is the customer's confirmed statement. Returns (complaint, created)."""
    now = now or timezone.now()
    uploads = [item.upload for item in ticket.attachments if item.upload is not None]
    complaint = record_complaint(ticket.intake, by=by, intake_key=_intake_key(by, ticket.external_id),
                                 evidence=uploads, now=now)
    if complaint.status != Status.DRAFT:
        return complaint, False
    complaint = confirm_read_back(complaint, by=by, now=now)
    TicketInfo.objects.create(complaint=complaint, external_id=ticket.external_id, name=ticket.name,
                              requested_resolution_date=ticket.requested_resolution_date, created_by=by)
    _attach(complaint, [item for item in ticket.attachments if item.upload is None], by=by)
    for text in ticket.notes:
        add_note(complaint, body=text, by=by, now=now)
    refresh_create_event(complaint)
    return complaint, True


def _responsible_team(complaint: Complaint):
    """The team whose result was accepted this round, else the last team dispatched to, else the category's."""
    orders = WorkOrder.objects.filter(complaint=complaint).select_related("team").order_by("-round", "-pk")
    order = orders.filter(state=OrderState.ACCEPTED).first() or orders.first()
    if order is not None:
        return order, order.team
    return None, complaint.category.default_team if complaint.category_id else None


# Statuses that follow from the back office's work orders: no caller sets them.
DERIVED = {"inProgress", "pending", "held"}


def _change_status(complaint: Complaint, target: str, patch: TicketPatch, *, by, now: dt.datetime) -> None:
    current = tmf_status(complaint.status)
    if target == current:
        return
    if target in DERIVED:
        raise TmfError(409, "statusNotSettable", _("Conflict"),
                       _("“%(status)s” follows from the back office's work orders; it cannot be set through "
                         "TMF621.") % {"status": target})
    reason = patch.reason
    if target in ("cancelled", "rejected"):
        followup.void(complaint, reason=reason, not_a_complaint=target == "rejected", by=by, now=now)
    elif target == "resolved" and complaint.status == Status.RECEIVED:
        from complaints.actions import resolve_on_the_spot

        resolve_on_the_spot(complaint, resolution=reason, resolution_code=patch.resolution_code,
                            root_cause=patch.root_cause, by=by, now=now)
    elif target == "resolved":
        followup.reply(complaint, summary=reason, by=by, now=now)
    elif target == "closed":
        order, team = _responsible_team(complaint)
        if team is None or complaint.status != Status.REPLIED:
            raise TransitionNotAllowed(Action.CLOSE, complaint.status)
        root_cause = patch.root_cause or complaint.root_cause or (order.root_cause if order else "")
        followup.close(complaint, resolution_code=patch.resolution_code or complaint.resolution_code,
                       root_cause=root_cause, responsible_team=team, by=by, now=now)
    elif target == "acknowledged" and complaint.status == Status.CLOSED:
        followup.reopen(complaint, reason=reason, by=by, now=now)
    else:
        raise TransitionNotAllowed(_("status → %(status)s") % {"status": target}, current or complaint.status)


@transaction.atomic
def patch_ticket(complaint: Complaint, patch: TicketPatch, *, by, now: dt.datetime | None = None) -> Complaint:
    """Notes, attachments and a new promised date first (they need an open ticket), the status change last."""
    now = now or timezone.now()
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    for text in patch.notes:
        add_note(complaint, body=text, by=by, now=now)
    if patch.attachments:
        _attach(complaint, patch.attachments, by=by)
        names = ", ".join(item.name or item.url for item in patch.attachments)
        add_note(complaint, body=_("Attachments added through TMF621: %(names)s") % {"names": names}, by=by, now=now)
    if patch.expected_resolution_date is not None and patch.expected_resolution_date != complaint.promised_reply_at:
        if not patch.reason:
            raise bad_request(_("Give statusChangeReason: why the expected resolution date changes."), "invalidValue")
        followup.change_promised_date(complaint, promised_reply_at=patch.expected_resolution_date,
                                      reason=patch.reason, by=by, now=now)
    if patch.status is not None:
        complaint.refresh_from_db()
        _change_status(complaint, patch.status, patch, by=by, now=now)
    return complaint


@transaction.atomic
def cancel_ticket(complaint: Complaint, *, by, now: dt.datetime | None = None) -> Complaint:
    """DELETE cancels (作废): the ticket and its history stay. Cancelling a cancelled ticket changes nothing."""
    now = now or timezone.now()
    if complaint.status == Status.VOIDED:
        return complaint
    name = by.get_full_name() or by.get_username()
    return followup.void(complaint, reason=_("Cancelled through TMF621 (DELETE) by %(name)s.") % {"name": name},
                         by=by, now=now)


HUB_ROLES = {Role.AGENT, Role.SUPERVISOR}


@transaction.atomic
def register_listener(*, callback: str, query: str, secret: str | None, by) -> Subscription:
    """Listeners see every ticket's events, so only roles that see every complaint may register one."""
    if not roles_of(by) & HUB_ROLES:
        raise NotPermitted("register_listener", _("Only agents' and supervisors' systems may register listeners."))
    return Subscription.objects.create(callback=callback, query=query, owner=by,
                                       secret=secret or secrets.token_urlsafe(32))


def visible_subscription(by, subscription_id: str):
    import uuid

    try:
        pk = uuid.UUID(str(subscription_id))
    except ValueError:
        return None
    qs = Subscription.objects.filter(pk=pk, unsubscribed_at__isnull=True)
    if not roles_of(by) & {Role.SUPERVISOR, Role.ADMIN}:
        qs = qs.filter(owner=by)
    return qs.first()


@transaction.atomic
def unregister_listener(subscription_id: str, *, by, now: dt.datetime | None = None) -> None:
    """The subscription ends; its row and its deliveries stay on record, undelivered ones are given up."""
    now = now or timezone.now()
    subscription = visible_subscription(by, subscription_id)
    if subscription is None:
        raise not_found()
    Subscription.objects.filter(pk=subscription.pk).update(unsubscribed_at=now)
    Delivery.objects.filter(Q(subscription=subscription) & Q(status=DeliveryStatus.PENDING)).update(
        status=DeliveryStatus.FAILED, last_error=_("unsubscribed"), next_attempt_at=None)
