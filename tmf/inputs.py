"""Request bodies: checked against the official TMF621 definitions, then read into our terms.

The spec file in tmf/spec/ is the TM Forum's, unchanged; its JSON schemas decide what is well formed
(types, required attributes), our rules decide what is acceptable (a known category, a customer...).
No side effects here.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from jsonschema import Draft4Validator, FormatChecker

from complaints.actions import Intake
from complaints.forms import MAX_EVIDENCE_FILES, NUMBER
from complaints.models import Channel, Complaint, Customer, Severity
from tmf.callbacks import refusal
from tmf.errors import bad_request
from tmf.mapping import TMF_STATUSES

SPEC_PATH = Path(__file__).parent / "spec" / "TMF621-TroubleTicket-v4.0.0.swagger.json"


@cache
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports it
    try:
        return parse_datetime(value) is not None
    except ValueError:
        return False


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and " " not in value


FORMATS = FormatChecker(formats=())
FORMATS.checks("date-time")(_is_datetime)
FORMATS.checks("uri")(_is_uri)


@cache
def validator(definition: str) -> Draft4Validator:
    return Draft4Validator({"$ref": f"#/definitions/{definition}", "definitions": spec()["definitions"]},
                           format_checker=FORMATS)


def _nul_free(data: Any, where: str = "") -> None:
    """No text anywhere in a body may hold a NUL character (PostgreSQL cannot store one)."""
    if isinstance(data, str):
        if "\x00" in data:
            raise bad_request(_("%(where)s: text may not contain NUL characters.") % {"where": where or _("body")},
                              "invalidValue")
    elif isinstance(data, dict):
        for key, value in data.items():
            _nul_free(key, where)
            _nul_free(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for value in data:
            _nul_free(value, where)


def max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def check_text(value: str, name: str, limit: int) -> str:
    """A text a caller gives, at most `limit` characters (the model field's or the REST API's limit)."""
    if "\x00" in value:
        raise bad_request(_("%(where)s: text may not contain NUL characters.") % {"where": name}, "invalidValue")
    if len(value) > limit:
        raise bad_request(_("%(name)s: at most %(limit)d characters.") % {"name": name, "limit": limit},
                          "invalidValue")
    return value


# Limits the REST API applies to texts the database keeps without one.
MAX_DESCRIPTION, MAX_DEMAND, MAX_NOTE = 4000, 2000, 4000


def check_shape(data: Any, definition: str) -> dict:
    """The body must be an object conforming to the spec's definition; the first error is reported."""
    if not isinstance(data, dict):
        raise bad_request(_("The body must be a JSON object."))
    _nul_free(data)
    error = next(iter(sorted(validator(definition).iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or _("body")
        raise bad_request(_("%(where)s: %(what)s") % {"where": where, "what": error.message[:300]})
    return data


EARLIEST_YEAR, LATEST_YEAR = 2000, 9000


def parse_time(value: str | None, name: str) -> dt.datetime | None:
    """An ISO 8601 date-time between the years 2000 and 9000; `name` is the public attribute's."""
    if value is None:
        return None
    problem = _("%(name)s is not a date-time between the years %(first)d and %(last)d.") % {
        "name": name, "first": EARLIEST_YEAR, "last": LATEST_YEAR}
    if not isinstance(value, str) or "\x00" in value or len(value) > 64:
        raise bad_request(problem, "invalidValue")
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(value)
        parsed = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        in_utc = parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise bad_request(problem, "invalidValue") from None
    if not (EARLIEST_YEAR <= parsed.year <= LATEST_YEAR and EARLIEST_YEAR <= in_utc.year <= LATEST_YEAR):
        raise bad_request(problem, "invalidValue")
    return parsed


MAX_INLINE_BYTES = 10 * 1024 * 1024


@dataclass
class AttachmentIn:
    url: str = ""
    upload: Any = None
    name: str = ""
    mime_type: str = ""
    attachment_type: str = ""
    description: str = ""


@dataclass
class TicketIn:
    intake: Intake
    notes: list[str] = field(default_factory=list)
    attachments: list[AttachmentIn] = field(default_factory=list)
    external_id: str = ""
    name: str = ""
    requested_resolution_date: dt.datetime | None = None


def _channel(data: dict) -> str:
    ref = data.get("channel")
    if ref is None:
        return Channel.PHONE
    for value in (ref.get("id"), ref.get("name")):
        if value in Channel.values:
            return value
    raise bad_request(_("channel: use one of %(values)s.") % {"values": ", ".join(Channel.values)}, "invalidValue")


def _severity(value: str) -> str:
    lowered = value.strip().lower()
    if lowered not in Severity.values:
        raise bad_request(_("severity: use one of %(values)s.") % {"values": ", ".join(Severity.values)},
                          "invalidValue")
    return lowered


def _customer(data: dict) -> dict:
    parties = [p for p in data.get("relatedParty") or [] if (p.get("role") or "").lower() == "customer"]
    if len(parties) != 1:
        raise bad_request(_("relatedParty: name exactly one party with role \"customer\"; its id is the customer's "
                            "service number or account."), "missingCustomer")
    party = parties[0]
    # The same checks as the intake page and the REST API (complaints.forms, complaints.serializers).
    account = check_text(str(party.get("id") or ""), "relatedParty.id", max_length(Customer, "account"))
    account = account.strip().replace(" ", "")
    if not NUMBER.match(account):
        raise bad_request(_("relatedParty.id: the service number or account, 5 to 40 letters, digits or dashes."),
                          "invalidValue")
    contact = party.get("contactNumber")
    if contact is not None and not isinstance(contact, str):
        raise bad_request(_("relatedParty.contactNumber must be a string."))
    contact = check_text(contact or account, "relatedParty.contactNumber", max_length(Complaint, "contact_number"))
    contact = contact.strip().replace(" ", "")
    if not PHONE.fullmatch(contact):
        raise bad_request(_("relatedParty.contactNumber: a phone number the customer can be reached on."),
                          "invalidValue")
    name = party.get("name") or ""
    if not isinstance(name, str):
        raise bad_request(_("relatedParty.name must be a string."))
    name = check_text(name.strip(), "relatedParty.name", max_length(Customer, "name"))
    return {"account": account, "contact_number": contact, "customer_name": name}


# The contact number the intake page and the REST API accept.
PHONE = re.compile(r"\+?[0-9\-]{5,20}")


def attachment_in(item: dict) -> AttachmentIn:
    """A reference by URL (kept, never fetched) or inline content (base64), checked like uploaded evidence."""
    from complaints.forms import EvidenceField

    name = (item.get("name") or "").strip()
    common = dict(name=name[:255], mime_type=(item.get("mimeType") or "")[:100],
                  attachment_type=(item.get("attachmentType") or "")[:100],
                  description=(item.get("description") or "")[:500])
    content = item.get("content")
    if content:
        try:
            raw = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(_("attachment.content must be base64.")) from None
        if len(raw) > MAX_INLINE_BYTES:
            raise bad_request(_("attachment.content is larger than 10 MB."))
        if not name:
            raise bad_request(_("attachment.name is needed with inline content (it gives the file's kind)."))
        upload = SimpleUploadedFile(name, raw, content_type=common["mime_type"] or "application/octet-stream")
        try:
            EvidenceField(required=False).clean([upload])
        except ValidationError as exc:
            raise bad_request("; ".join(exc.messages), "invalidValue") from None
        return AttachmentIn(upload=upload, **common)
    url = (item.get("url") or item.get("href") or "").strip()
    from tmf.models import AttachmentRef

    check_text(url, "attachment.url", max_length(AttachmentRef, "url"))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise bad_request(_("attachment: give an http(s) url, or the content inline (base64).")) from None
    return AttachmentIn(url=url, **common)


def notes_in(data: dict) -> list[str]:
    texts = []
    for note in data.get("note") or []:
        text = (note.get("text") or "").strip()
        if not text:
            raise bad_request(_("note.text is empty."))
        texts.append(check_text(text, "note.text", MAX_NOTE))
    return texts


def attachments_in(items: list[dict]) -> list[AttachmentIn]:
    if len(items) > MAX_EVIDENCE_FILES:
        raise bad_request(_("attachment: at most %(count)d per request.") % {"count": MAX_EVIDENCE_FILES},
                          "invalidValue")
    return [attachment_in(item) for item in items]


def ticket_create(data: Any, *, categories: dict) -> TicketIn:
    """POST body → what record_complaint needs, plus notes and attachments to add once it is received."""
    data = check_shape(data, "TroubleTicket_Create")
    if data.get("status") not in (None, "acknowledged"):
        raise bad_request(_("A new ticket starts as acknowledged."), "invalidStatus")
    category = categories.get(data["ticketType"])
    if category is None:
        raise bad_request(_("ticketType: unknown category code; use one of %(codes)s.")
                          % {"codes": ", ".join(sorted(categories))}, "invalidValue")
    description = check_text(data["description"].strip(), "description", MAX_DESCRIPTION)
    if not description:
        raise bad_request(_("description is empty."), "invalidValue")
    for extension in ("demand", "regulatorCaseNumber", "severityReason"):
        if extension in data and not isinstance(data[extension], str):
            raise bad_request(_("%(name)s must be a string.") % {"name": extension})
    from tmf.models import TicketInfo

    external_id = check_text((data.get("externalId") or "").strip(), "externalId",
                             max_length(TicketInfo, "external_id"))
    name = check_text((data.get("name") or "").strip(), "name", max_length(TicketInfo, "name"))
    channel = _channel(data)
    intake = Intake(
        **_customer(data), category=category, description=description,
        # What the customer asks for: the `demand` extension, else the ticket's name, else its description.
        demand=check_text((data.get("demand") or name or description).strip(), "demand", MAX_DEMAND),
        channel=channel,
        regulator_case_number=check_text((data.get("regulatorCaseNumber") or "").strip(), "regulatorCaseNumber",
                                         max_length(Complaint, "regulator_case_number")),
        severity=_severity(data["severity"]),
        severity_reason=check_text(
            (data.get("severityReason") or _("Severity given by the calling system (TMF621).")).strip(),
            "severityReason", max_length(Complaint, "severity_reason")),
    )
    return TicketIn(
        intake=intake, notes=notes_in(data),
        attachments=attachments_in(data.get("attachment") or []),
        external_id=external_id, name=name,
        requested_resolution_date=parse_time(data.get("requestedResolutionDate"), "requestedResolutionDate"),
    )


@dataclass
class TicketPatch:
    status: str | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    attachments: list[AttachmentIn] = field(default_factory=list)
    expected_resolution_date: dt.datetime | None = None
    resolution_code: str = ""
    root_cause: str = ""
    unchanged: dict = field(default_factory=dict)


# Attributes a PATCH may carry only with the value the ticket already has (merge-patch of a full copy).
FIXED = ("description", "severity", "ticketType", "name", "externalId", "requestedResolutionDate", "channel",
         "relatedParty", "priority", "resolutionDate", "relatedEntity", "troubleTicketRelationship")


def ticket_patch(data: Any) -> TicketPatch:
    data = check_shape(data, "TroubleTicket_Update")
    status = data.get("status")
    if status is not None and status not in TMF_STATUSES:  # the schema's enum says so too
        raise bad_request(_("Unknown status."))
    for extension in ("resolutionCode", "rootCause"):
        if extension in data and not isinstance(data[extension], str):
            raise bad_request(_("%(name)s must be a string.") % {"name": extension})
    existing_notes = [n for n in data.get("note") or [] if n.get("id")]
    new_notes = {"note": [n for n in data.get("note") or [] if not n.get("id")]}
    reason = (data.get("statusChangeReason") or "").strip()
    return TicketPatch(
        status=status,
        reason=check_text(reason, "statusChangeReason", max_length(Complaint, "void_reason")),
        notes=notes_in(new_notes),
        attachments=attachments_in([a for a in data.get("attachment") or [] if not a.get("id")]),
        expected_resolution_date=parse_time(data.get("expectedResolutionDate"), "expectedResolutionDate"),
        resolution_code=check_text((data.get("resolutionCode") or "").strip(), "resolutionCode",
                                   max_length(Complaint, "resolution_code")),
        root_cause=check_text((data.get("rootCause") or "").strip(), "rootCause", max_length(Complaint, "root_cause")),
        unchanged={key: data[key] for key in FIXED if key in data} | ({"note": existing_notes} if existing_notes else {}),
    )


def subscription_in(data: Any) -> dict:
    data = check_shape(data, "EventSubscriptionInput")
    from tmf.models import Subscription

    callback = check_text(data["callback"].strip(), "callback", max_length(Subscription, "callback"))
    try:
        URLValidator(schemes=["http", "https"])(callback)
    except ValidationError:
        raise bad_request(_("callback must be an http(s) URL."), "invalidValue") from None
    refused = refusal(callback)
    if refused:
        raise bad_request(refused, "invalidValue")
    query = check_text((data.get("query") or "").strip(), "query", max_length(Subscription, "query"))
    types, unknown = parse_query(query)
    if unknown:
        raise bad_request(_("query: only eventType=… is supported (got %(what)s).") % {"what": unknown}, "invalidValue")
    secret = data.get("secret")
    if secret is not None and (not isinstance(secret, str) or not 16 <= len(secret) <= 128):
        raise bad_request(_("secret: a string of 16 to 128 characters."), "invalidValue")
    return {"callback": callback, "query": query, "secret": secret}


EVENT_TYPES = ("TroubleTicketCreateEvent", "TroubleTicketStatusChangeEvent", "TroubleTicketResolvedEvent",
               "TroubleTicketInformationRequiredEvent")


def parse_query(query: str) -> tuple[set[str] | None, str]:
    """`eventType=A,B` (or `eventType=A&eventType=B`); None: every event. Returns (types, what was not understood)."""
    if not query:
        return None, ""
    types: set[str] = set()
    for part in query.split("&"):
        key, _sep, value = part.partition("=")
        if key.strip() != "eventType":
            return None, part
        for name in value.split(","):
            if name.strip() not in EVENT_TYPES:
                return None, part
            types.add(name.strip())
    return types, ""


def _same(key: str, sent: Any, current: Any) -> bool:
    if key.endswith("Date") and isinstance(sent, str) and isinstance(current, str):
        return parse_time(sent, key) == parse_time(current, key)
    if key == "channel" and isinstance(sent, dict) and isinstance(current, dict):
        return sent.get("id", current["id"]) == current["id"] and sent.get("name", current["name"]) == current["name"]
    if key == "severity" and isinstance(sent, str):
        return sent.strip().lower() == current
    return sent == current


def check_unchanged(patch: TicketPatch, current: dict) -> None:
    """A merge-patch may carry the attributes we keep fixed only with their current values; notes that
    already exist (they have an id) may be sent back, never changed."""
    for key, sent in patch.unchanged.items():
        if key == "note":
            existing = {n["id"]: n["text"] for n in current.get("note", [])}
            for note in sent:
                if note["id"] not in existing or note.get("text", existing[note["id"]]) != existing[note["id"]]:
                    raise bad_request(_("Notes are never changed or removed; send new notes without an id."),
                                      "notChangeable")
            continue
        if not _same(key, sent, current.get(key)):
            raise bad_request(_("%(name)s cannot be changed through TMF621 once the ticket exists.") % {"name": key},
                              "notChangeable")
