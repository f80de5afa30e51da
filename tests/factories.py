"""factory_boy factories for the domain's rows.

Only the rows a test needs before any action runs: people, teams, categories, customers and draft
complaints. Everything past a draft is brought about by the real actions (see `Story` in conftest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import factory
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from complaints.lifecycle import TRANSITIONS, Action, OrderState, Role, Status, status_from_orders
from complaints.models import Channel, Complaint, Customer, Severity
from routing.models import Category, Membership, Team, WorkOrder


class UserFactory(factory.django.DjangoModelFactory):
    """A user holding one role (a Django group named after it): `UserFactory(role=Role.AGENT)`.

    Without `role` the user holds none. An admin is also a superuser, as the demo admin is.
    """

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"测试{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_active = True
    password = factory.django.Password("test-pass")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        self.groups.add(Group.objects.get_or_create(name=Role(extracted).value)[0])
        if extracted == Role.ADMIN:
            self.is_staff = self.is_superuser = True
            self.save(update_fields=["is_staff", "is_superuser"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team{n}")
    name_zh = factory.LazyAttribute(lambda t: f"团队{t.code}")
    name_en = factory.LazyAttribute(lambda t: f"Team {t.code}")
    active = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("team", "user")

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory, role=Role.BACKOFFICE)
    is_lead = False


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category{n}")
    name_zh = factory.LazyAttribute(lambda c: f"类别{c.code}")
    name_en = factory.LazyAttribute(lambda c: f"Category {c.code}")
    default_team = factory.SubFactory(TeamFactory)
    default_severity = Severity.GENERAL


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        django_get_or_create = ("account",)

    account = factory.Sequence(lambda n: f"139{n:08d}")
    contact_number = factory.LazyAttribute(lambda c: c.account)
    name = factory.Sequence(lambda n: f"客户{n}")
    high_value = False


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A draft, as `record_complaint` leaves it (no audit event: use the action when the trail matters)."""

    class Meta:
        model = Complaint

    customer = factory.SubFactory(CustomerFactory)
    contact_number = factory.LazyAttribute(lambda c: c.customer.contact_number)
    category = factory.SubFactory(CategoryFactory)
    description = "手机无信号。"
    demand = "尽快修复。"
    channel = Channel.PHONE
    severity = Severity.GENERAL
    status = Status.DRAFT
    first_contact_owner = factory.SubFactory(UserFactory, role=Role.AGENT)


class WorkOrderFactory(factory.django.DjangoModelFactory):
    """A bare work order row, for tests that must isolate one check (states are otherwise reached by actions)."""

    class Meta:
        model = WorkOrder

    complaint = factory.SubFactory(ComplaintFactory)
    team = factory.LazyAttribute(lambda o: o.complaint.category.default_team)
    state = OrderState.QUEUED
    severity = factory.LazyAttribute(lambda o: o.complaint.severity)
    dispatched_by = factory.LazyAttribute(lambda o: o.complaint.first_contact_owner)
    dispatched_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: o.dispatched_at)


# --- what the state builder (`story` in conftest) hands out, and its recipes ----------------------


@dataclass
class Case:
    """A complaint brought to some state, with its work order(s) where it has any."""

    complaint: Complaint
    order: WorkOrder | None = None  # the billing team's order the test acts on
    other: WorkOrder | None = None  # a second order (business team) that shapes the complaint's status

    def refresh(self) -> Case:
        self.complaint.refresh_from_db()
        for order in (self.order, self.other):
            if order is not None:
                order.refresh_from_db()
        return self


# The recipes are pure: test modules use them at collection time to parametrize.
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The story's clock starts on a Monday in an ordinary working week (no holiday within 15 days).
START = dt.datetime(2025, 6, 9, 10, 0, tzinfo=SHANGHAI)

# Steps from a freshly dispatched (queued) order to each state, by the team's handler unless noted.
ORDER_PATHS: dict[OrderState, tuple[Action, ...]] = {
    OrderState.QUEUED: (),
    OrderState.CLAIMED: (Action.CLAIM,),
    OrderState.WAITING_INFO: (Action.CLAIM, Action.REQUEST_INFORMATION),
    OrderState.SUSPENSION_REQUESTED: (Action.CLAIM, Action.REQUEST_SUSPENSION),
    OrderState.SUSPENDED: (Action.CLAIM, Action.REQUEST_SUSPENSION, Action.APPROVE_SUSPENSION),
    OrderState.RETURNED: (Action.CLAIM, Action.RETURN_RESULT),
    OrderState.ACCEPTED: (Action.CLAIM, Action.RETURN_RESULT, Action.APPROVE_RESULT),
    OrderState.TRANSFERRED: (Action.TRANSFER,),
    OrderState.SENT_BACK: (Action.SEND_BACK,),
}
# The order state that puts a complaint with a single work order in each handling status.
ORDER_FOR_STATUS = {
    Status.DISPATCHED: OrderState.QUEUED,
    Status.IN_PROGRESS: OrderState.CLAIMED,
    Status.WAITING_INFO: OrderState.WAITING_INFO,
    Status.SUSPENDED: OrderState.SUSPENDED,
    Status.UNDER_REVIEW: OrderState.RETURNED,
    Status.AWAITING_REPLY: OrderState.ACCEPTED,
}

# States a second work order may be in to move the complaint's derived status (see `Story.order_in`).
SHAPING_STATES = (None, OrderState.QUEUED, OrderState.CLAIMED, OrderState.WAITING_INFO, OrderState.SUSPENDED,
                  OrderState.RETURNED)


def orders_status(*states) -> Status:
    """The complaint status the lifecycle derives from these order states (None: no such order)."""
    return status_from_orders(s for s in states if s is not None)


def order_starts(action) -> list:
    """Every (order state, complaint status) an order action is legal from and a story can reach.

    Each start is one work order in a legal state plus, where needed, a second order whose state moves
    the complaint into another handling status; parametrized as (state, other, status).
    """
    transition = TRANSITIONS[action]
    starts: dict = {}
    for state in sorted(transition.order_from):
        for other in SHAPING_STATES:
            status = orders_status(state, other)
            if status in transition.complaint_from:
                starts.setdefault((state, status), other)
    return [pytest.param(state, other, status, id=f"{state}-{status}") for (state, status), other in starts.items()]
