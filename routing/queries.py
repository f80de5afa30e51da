"""Reads for the back-office: who may see which work order, team queues and an order's page."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from complaints.lifecycle import ACTIVE_ORDER, OrderState, Role
from complaints.models import Complaint, Event, Severity
from complaints.roles import roles_of
from routing.models import Category, Team, WorkOrder

QUEUE_PAGE_SIZE = 25


def visible_orders(user) -> QuerySet[WorkOrder]:
    """Supervisors and agents see every order (agents follow their complaints' progress);
    back-office staff only their teams' orders."""
    roles = roles_of(user)
    if roles & {Role.SUPERVISOR, Role.AGENT}:
        return WorkOrder.objects.all()
    if Role.BACKOFFICE in roles:
        return WorkOrder.objects.filter(team__in=user_teams(user))
    return WorkOrder.objects.none()


def user_teams(user) -> QuerySet[Team]:
    if Role.SUPERVISOR in roles_of(user):
        return Team.objects.filter(active=True)
    return Team.objects.filter(memberships__user=user)


SEARCH_LIMIT = 500


def complaints_matching(text: str) -> list[int]:
    """Complaint ids for a typed complaint number, service number or contact number.

    Resolved first through the unique and indexed columns, so the queue's filter is a short IN list
    rather than an OR across joins over the whole backlog.
    """
    text = text.strip().replace(" ", "")
    if not text:
        return []
    if text.upper().startswith("TS"):
        pk = Complaint.pk_from_number(text)
        return [pk] if pk is not None else []
    by_account = Complaint.objects.filter(customer__account=text).values_list("pk", flat=True)[:SEARCH_LIMIT]
    by_contact = Complaint.objects.filter(contact_number=text).values_list("pk", flat=True)[:SEARCH_LIMIT]
    return list({*by_account, *by_contact})


def queue_rows(qs: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    # Only the two large tables are joined; teams, categories and handlers (a handful of rows) are
    # fetched once per page. Joining them too costs PostgreSQL more planning than executing.
    return qs.select_related("complaint", "complaint__customer")


class QueueFilter(django_filters.FilterSet):
    """The queue's filters: team, state, severity, category, due before, and a search box."""

    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.none(), empty_label=_("All my teams"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=OrderState.choices, empty_label=_("Open (default)"),
                                        method="filter_state")
    severity = django_filters.ChoiceFilter(label=_("Severity"), field_name="severity", choices=Severity.choices,
                                           empty_label=_("Any"))
    category = django_filters.ModelChoiceFilter(label=_("Category"), field_name="complaint__category",
                                                queryset=Category.objects.filter(active=True), empty_label=_("Any"))
    due_before = django_filters.DateTimeFilter(label=_("Due before"), field_name="due_at", lookup_expr="lt",
                                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    q = django_filters.CharFilter(label=_("Complaint number or account"), method="search")

    class Meta:
        model = WorkOrder
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["team"].queryset = user_teams(user)

    def filter_state(self, qs, name, value):
        return qs.filter(state=value) if value else qs

    def search(self, qs, name, value):
        return qs.filter(complaint_id__in=complaints_matching(value))


@dataclass
class QueuePage:
    rows: list[WorkOrder]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(raw) -> int:
    try:
        return max(1, min(int(raw), 10_000))
    except (TypeError, ValueError):
        return 1


def _slice(ordered: QuerySet[WorkOrder], start: int, stop: int) -> list[WorkOrder]:
    """A slice of the ordered orders: their ids first (from the queue's index), then those rows with
    their complaint and customer, so the database never joins a whole backlog to sort it."""
    if stop <= start:
        return []
    ids = list(ordered.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    by_id = {o.pk: o for o in queue_rows(WorkOrder.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def queue_page(user, data, *, size: int = QUEUE_PAGE_SIZE) -> tuple[QueueFilter, QueuePage]:
    """One page of the queue: unclaimed orders by due time, then the user's own.

    Two index-ordered slices (never a sort of the whole team's backlog, never a count of it): the
    unclaimed part walks the open orders' due-time index, the own part the handler's index. One
    row more than the page tells whether a next page exists.
    """
    number = _page_number(data.get("page"))
    offset = (number - 1) * size
    base = WorkOrder.objects.filter(team__in=user_teams(user))
    chosen_state = (data.get("state") or "").strip()
    if not chosen_state:
        base = base.filter(state__in=sorted(ACTIVE_ORDER))
    queue = QueueFilter(data, queryset=queue_rows(base), user=user)
    filtered = queue.qs.order_by("due_at", "pk")
    if chosen_state:
        rows = _slice(filtered, offset, offset + size + 1)
    else:
        unclaimed = filtered.filter(state=OrderState.QUEUED)
        own = filtered.filter(claimed_by=user).exclude(state=OrderState.QUEUED)
        rows = _slice(unclaimed, offset, offset + size + 1)
        if len(rows) <= size:
            # The page runs past the unclaimed orders into the user's own.
            unclaimed_total = offset + len(rows) if rows or offset == 0 else unclaimed.count()
            start = max(0, offset - unclaimed_total)
            rows += _slice(own, start, start + size + 1 - len(rows))
    page = QueuePage(rows=rows[:size], number=number, has_next=len(rows) > size)
    prefetch_related_objects(page.rows, "team", "complaint__category", "claimed_by")
    return queue, page


def order_for_page(user, pk: int) -> WorkOrder | None:
    return (
        visible_orders(user)
        .select_related("team", "team__supervisor", "complaint", "complaint__customer", "complaint__category",
                        "complaint__first_contact_owner", "claimed_by", "dispatched_by", "transferred_from")
        .filter(pk=pk)
        .first()
    )


def order_history(order: WorkOrder):
    """The events of this order and of the orders it was transferred from, in time order (two queries)."""
    sources = dict(WorkOrder.objects.filter(complaint_id=order.complaint_id).values_list("pk", "transferred_from_id"))
    chain, current = [], order.pk
    while current is not None and current not in chain:
        chain.append(current)
        current = sources.get(current)
    return Event.objects.filter(work_order_id__in=chain).select_related("actor", "work_order").order_by("at", "pk")
