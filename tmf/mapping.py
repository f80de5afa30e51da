"""Our complaint as a TMF621 TroubleTicket, and the vocabulary both ways (DOMAIN.md "The industry interface").

Pure functions over rows already fetched (see tmf.queries): no query runs here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from complaints.lifecycle import Status
from complaints.models import Complaint, mask_number

S = Status

# TroubleTicketStatusType for each of our statuses. A draft has none: it is not a ticket until read back.
TMF_STATUS: dict[str, str] = {
    S.RECEIVED: "acknowledged",
    S.DISPATCHED: "inProgress",
    S.IN_PROGRESS: "inProgress",
    S.UNDER_REVIEW: "inProgress",
    # Accepted by the agent, not yet told to the customer: still being worked on.
    S.AWAITING_REPLY: "inProgress",
    S.WAITING_INFO: "pending",
    S.SUSPENDED: "held",
    S.REPLIED: "resolved",
    S.CLOSED: "closed",
    S.VOIDED: "cancelled",
    S.REJECTED: "rejected",
}
TMF_STATUSES = ("acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "closed", "resolved")
assert set(TMF_STATUS.values()) == set(TMF_STATUSES)
assert set(TMF_STATUS) == set(Status.values) - {S.DRAFT}


def our_statuses(tmf_status: str) -> list[str]:
    return sorted(ours for ours, theirs in TMF_STATUS.items() if theirs == tmf_status)


def tmf_status(status: str) -> str | None:
    return TMF_STATUS.get(status)


def ticket_id(complaint: Complaint) -> str:
    return complaint.number


def pk_from_id(value: str) -> int | None:
    """Our ticket number (TS00000012) or the bare number; None for anything else."""
    pk = Complaint.pk_from_number(value or "")
    # Longer numbers than a bigint holds would overflow the database driver.
    return pk if pk is not None and 0 < pk < 10**15 else None


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def ticket_href(complaint: Complaint, base: str = "") -> str:
    return base + reverse("tmf:ticket", kwargs={"ticket_id": ticket_id(complaint)})


def status_changes(complaint: Complaint) -> list[dict[str, Any]]:
    """The history from the audit trail: every event that moved the ticket into another TMF status.

    Uses `complaint.status_events`, prefetched by tmf.queries (events whose status changed).
    """
    changes = []
    for event in complaint.status_events:
        before, after = tmf_status(event.from_status), tmf_status(event.to_status)
        if after is None or before == after:
            continue
        change = {"@type": "StatusChange", "status": after, "changeDate": iso(event.at)}
        reason = event.data.get("reason") if isinstance(event.data, dict) else None
        if reason:
            change["changeReason"] = str(reason)
        changes.append(change)
    return changes


def note_dict(note) -> dict[str, Any]:
    author = note.author
    return {"@type": "Note", "id": str(note.pk), "author": author.get_full_name() or author.get_username(),
            "date": iso(note.created_at), "text": note.body}


def attachments(complaint: Complaint, base: str = "") -> list[dict[str, Any]]:
    """Stored evidence (its content is served by the REST API's permission-checked download, which a
    token client may call) and
    references by URL."""
    items: list[dict[str, Any]] = []
    for attachment in complaint.attachments.all():
        items.append({
            "@type": "AttachmentRefOrValue", "@referredType": "Attachment", "id": f"file-{attachment.pk}",
            "href": base + reverse("api:attachment-download", kwargs={"pk": attachment.pk}),
            "name": attachment.original_name, "mimeType": attachment.content_type,
            "size": {"amount": float(attachment.size), "units": "bytes"},
            "attachmentType": "evidence",
        })
    for ref in complaint.tmf_attachment_refs.all():
        item = {"@type": "AttachmentRefOrValue", "@referredType": "Attachment", "id": f"ref-{ref.pk}",
                "url": ref.url, "name": ref.name or ref.url}
        for key, value in (("mimeType", ref.mime_type), ("attachmentType", ref.attachment_type),
                           ("description", ref.description)):
            if value:
                item[key] = value
        items.append(item)
    return items


def related_parties(complaint: Complaint) -> list[dict[str, Any]]:
    customer, owner = complaint.customer, complaint.first_contact_owner
    party = {"@type": "RelatedParty", "@referredType": "Customer", "role": "customer", "id": str(customer.pk),
             # Numbers are masked wherever they are listed (DOMAIN.md "Personal information").
             "serviceNumber": customer.masked_account, "contactNumber": mask_number(complaint.contact_number)}
    if customer.name:
        party["name"] = customer.name
    return [
        party,
        {"@type": "RelatedParty", "@referredType": "Individual", "role": "firstContactOwner",
         "id": owner.get_username(), "name": owner.get_full_name() or owner.get_username()},
    ]


def ticket_dict(complaint: Complaint, *, base: str = "") -> dict[str, Any]:
    """The full TroubleTicket; `base` is the scheme and host hrefs start with."""
    info = getattr(complaint, "tmf_info", None)
    changes = status_changes(complaint)
    ticket: dict[str, Any] = {
        "@type": "TroubleTicket",
        "id": ticket_id(complaint),
        "href": ticket_href(complaint, base),
        "name": (info.name if info and info.name else complaint.number),
        "description": complaint.description,
        "status": tmf_status(complaint.status),
        "severity": complaint.severity,
        "ticketType": complaint.category.code if complaint.category_id else "",
        "channel": {"@type": "ChannelRef", "id": complaint.channel, "name": complaint.channel},
        "creationDate": iso(complaint.created_at),
        "lastUpdate": iso(complaint.updated_at),
        "expectedResolutionDate": iso(complaint.promised_reply_at),
        "requestedResolutionDate": iso(info.requested_resolution_date) if info else None,
        "resolutionDate": iso(complaint.replied_at),
        "externalId": info.external_id if info and info.external_id else None,
        "statusChange": changes,
        "statusChangeDate": changes[-1]["changeDate"] if changes else None,
        "statusChangeReason": changes[-1].get("changeReason") if changes else None,
        "note": [note_dict(n) for n in complaint.notes.all()],
        "attachment": attachments(complaint, base),
        "relatedParty": related_parties(complaint),
        "demand": complaint.demand,
    }
    # The spec's attributes are typed strings: absent rather than null when we have no value.
    return {key: value for key, value in ticket.items() if value is not None}


ALWAYS = ("id", "href", "@type")


def select_fields(ticket: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    """TMF630 attribute selection: the named first-level attributes, plus id and href."""
    if not fields:
        return ticket
    wanted = set(fields) | set(ALWAYS)
    return {key: value for key, value in ticket.items() if key in wanted}
