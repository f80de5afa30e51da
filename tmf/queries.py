"""Which trouble tickets a caller may see, filtered and fetched in a fixed number of queries."""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from complaints.lifecycle import Status
from complaints.models import Attachment, Complaint, Event, Note
from complaints.queries import visible_complaints
from tmf.errors import bad_request
from tmf.inputs import parse_time
from tmf.mapping import TMF_STATUSES, our_statuses, pk_from_id
from tmf.models import AttachmentRef

DEFAULT_LIMIT, MAX_LIMIT = 20, 100


def tickets(user) -> QuerySet[Complaint]:
    """The complaints the user may see, minus drafts (a draft is not a ticket until it is read back)."""
    return visible_complaints(user).exclude(status=Status.DRAFT)


def with_everything(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Everything ticket_dict reads: one join and five prefetches, whatever the number of tickets."""
    return qs.select_related("customer", "category", "first_contact_owner", "tmf_info").prefetch_related(
        Prefetch("notes", queryset=Note.objects.select_related("author").order_by("created_at", "pk")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        Prefetch("tmf_attachment_refs", queryset=AttachmentRef.objects.order_by("pk")),
        Prefetch("events", to_attr="status_events",
                 queryset=Event.objects.exclude(to_status=F("from_status")).order_by("at", "pk")),
    )


def ticket(user, ticket_id: str) -> Complaint | None:
    pk = pk_from_id(ticket_id)
    if pk is None:
        return None
    return with_everything(tickets(user).filter(pk=pk)).first()


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _status_filter(value: str) -> Q:
    wanted = _list(value)
    unknown = [v for v in wanted if v not in TMF_STATUSES]
    if unknown:
        raise bad_request(_("status: unknown value %(value)s.") % {"value": unknown[0]}, "invalidFilter")
    return Q(status__in=[ours for v in wanted for ours in our_statuses(v)])


def _related_party(value: str) -> Q:
    pks = [int(v) for v in _list(value) if v.isascii() and v.isdigit() and len(v) < 16]
    return Q(customer__account__in=_list(value)) | Q(customer_id__in=pks) | Q(first_contact_owner__username__in=_list(value))


def _time(lookup: str, attribute: str):
    def build(value: str) -> Q:
        return Q(**{lookup: parse_time(value, attribute)})  # an error names the public attribute
    return build


# The attribute filters we support (TMF630 style, `name=value`, a comma means "any of").
FILTERS = {
    "status": _status_filter,
    "severity": lambda v: Q(severity__in=[s.lower() for s in _list(v)]),
    "ticketType": lambda v: Q(category__code__in=_list(v)),
    "channel.id": lambda v: Q(channel__in=_list(v)),
    "channel.name": lambda v: Q(channel__in=_list(v)),
    "relatedParty.id": _related_party,
    "externalId": lambda v: Q(tmf_info__external_id__in=_list(v)),
    "creationDate.gt": _time("created_at__gt", "creationDate"),
    "creationDate.gte": _time("created_at__gte", "creationDate"),
    "creationDate.lt": _time("created_at__lt", "creationDate"),
    "creationDate.lte": _time("created_at__lte", "creationDate"),
    "lastUpdate.gt": _time("updated_at__gt", "lastUpdate"),
    "lastUpdate.gte": _time("updated_at__gte", "lastUpdate"),
    "lastUpdate.lt": _time("updated_at__lt", "lastUpdate"),
    "lastUpdate.lte": _time("updated_at__lte", "lastUpdate"),
}
PAGING = {"fields", "offset", "limit"}


def filtered(user, params) -> QuerySet[Complaint]:
    qs = tickets(user)
    for name in params:
        if "\x00" in name or any("\x00" in value for value in params.getlist(name)):
            raise bad_request(_("Query parameters may not contain NUL characters."), "invalidFilter")
        if name in PAGING:
            continue
        build = FILTERS.get(name)
        if build is None:
            raise bad_request(_("Unsupported filter %(name)s; supported: %(names)s.")
                              % {"name": name[:60], "names": ", ".join(FILTERS)}, "invalidFilter")
        for value in params.getlist(name):
            qs = qs.filter(build(value))
    return qs.order_by("-created_at", "-pk")


def paging(params) -> tuple[int, int]:
    def number(name: str, default: int) -> int:
        raw = params.get(name)
        if raw is None:
            return default
        try:
            if not (raw.strip().lstrip("+-").isascii() and len(raw) < 30):
                raise ValueError(raw)
            return int(raw)  # an empty value is no number either
        except ValueError:
            raise bad_request(_("%(name)s must be a whole number.") % {"name": name}, "invalidValue") from None

    offset, limit = number("offset", 0), number("limit", DEFAULT_LIMIT)
    for name, value in (("offset", offset), ("limit", limit)):
        if value < 0:
            raise bad_request(_("%(name)s may not be negative.") % {"name": name}, "invalidValue")
    # Past a billion there is nothing to page through; the database's integers end not far beyond.
    return min(max(offset, 0), 10**9), min(max(limit, 0), MAX_LIMIT)
