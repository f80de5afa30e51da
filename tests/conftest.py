"""Fixtures for the domain tests: reference data, one user per role, and the state builder.

`story` brings a complaint to any status (and a work order to any state) through the real actions,
on a frozen clock that moves a few minutes per step, so every timestamp a test sees is known.
`watch` records what one action did: the audit events it wrote and the on_commit callbacks it queued.

Tests marked `postgres` are deselected unless DATABASE_URL points at PostgreSQL: see
tests/suite_plugin.py (`pytest_collection_modifyitems`), which the whole suite loads.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from complaints.actions import (
    Intake,
    add_note,
    confirm_read_back,
    correct_draft,
    record_complaint,
    resolve_on_the_spot,
)
from complaints.lifecycle import Action, OrderState, Role, Status
from complaints.models import Complaint, Event, ResolutionCode, Satisfaction
from complaints.roles import roles_of
from followup import actions as followup
from followup.models import ContactOutcome, Notification
from routing import actions as routing
from routing.models import Category, Team, WorkOrder
from tests.factories import ORDER_FOR_STATUS, ORDER_PATHS, START, Case, MembershipFactory, UserFactory

STEP = dt.timedelta(minutes=5)

S, OS = Status, OrderState


# --- people and reference data ---------------------------------------------------------------


@pytest.fixture
def reference(db):
    """Teams, categories, time limits and role groups, as `load_reference_data` installs them."""
    from demo.reference import load_reference_data

    teams = load_reference_data()
    return SimpleNamespace(teams=teams, categories={c.code: c for c in Category.objects.all()})


@pytest.fixture
def people(reference):
    """One user per role; back-office staff are members of their team; the supervisor runs every team."""
    teams = reference.teams
    users = SimpleNamespace(
        agent=UserFactory(username="agent1", first_name="张敏", role=Role.AGENT),
        agent2=UserFactory(username="agent2", first_name="李强", role=Role.AGENT),
        network=UserFactory(username="network1", first_name="王磊", role=Role.BACKOFFICE),
        billing=UserFactory(username="billing1", first_name="刘洋", role=Role.BACKOFFICE),
        billing2=UserFactory(username="billing2", first_name="孙悦", role=Role.BACKOFFICE),
        business=UserFactory(username="business1", first_name="陈静", role=Role.BACKOFFICE),
        supervisor=UserFactory(username="supervisor1", first_name="赵刚", role=Role.SUPERVISOR),
        admin=UserFactory(username="admin", first_name="系统管理员", role=Role.ADMIN),
    )
    MembershipFactory(team=teams["network"], user=users.network, is_lead=True)
    MembershipFactory(team=teams["billing"], user=users.billing, is_lead=True)
    MembershipFactory(team=teams["billing"], user=users.billing2)
    MembershipFactory(team=teams["business"], user=users.business, is_lead=True)
    Team.objects.update(supervisor=users.supervisor)
    return users


@pytest.fixture
def role_user(people):
    """The user holding only `role` that the role table tests act as."""
    return {Role.AGENT: people.agent, Role.BACKOFFICE: people.billing, Role.SUPERVISOR: people.supervisor,
            Role.ADMIN: people.admin}.__getitem__


# --- the state builder -------------------------------------------------------------------------


class Story:
    """Brings complaints to a given state through the real actions, one frozen-clock step at a time."""

    def __init__(self, people, reference, traveller) -> None:
        self.people = people
        self.teams = reference.teams
        self.categories = reference.categories
        self.now = START
        self._traveller = traveller
        self._accounts = 0

    # time

    def tick(self, step: dt.timedelta = STEP) -> dt.datetime:
        self.now = self.now + step
        self._traveller.move_to(self.now)
        return self.now

    # intake

    def intake(self, **overrides) -> Intake:
        self._accounts += 1
        account = overrides.pop("account", f"1380000{self._accounts:04d}")
        values = dict(account=account, contact_number=account, category=self.categories["billing_dispute"],
                      description="本月账单多扣了 30 元。", demand="退还多扣的费用。", customer_name="王先生")
        values.update(overrides)
        return Intake(**values)

    def draft(self, **overrides) -> Complaint:
        return record_complaint(self.intake(**overrides), by=self.people.agent, now=self.tick())

    def received(self, **overrides) -> Complaint:
        return confirm_read_back(self.draft(**overrides), by=self.people.agent, now=self.tick())

    # work orders

    def handler_of(self, order: WorkOrder):
        return {self.teams["billing"].pk: self.people.billing, self.teams["business"].pk: self.people.business,
                self.teams["network"].pk: self.people.network}[order.team_id]

    def dispatch(self, complaint: Complaint, *, team: str = "billing") -> WorkOrder:
        suggested = self.teams["billing"]
        reason = "" if self.teams[team].pk == suggested.pk else "涉及业务办理。"
        return routing.dispatch(complaint, team=self.teams[team], by=self.people.agent, team_reason=reason,
                                initial_judgement="疑似重复扣费。", help_needed="请核查账单。", now=self.tick())

    def advance(self, order: WorkOrder, state: OrderState) -> WorkOrder:
        """Walks a queued order to `state`; the original order is returned (for a transfer too)."""
        case = Case(Complaint.objects.get(pk=order.complaint_id), order)
        for action in ORDER_PATHS[state]:
            result = self.perform(action, case, by=self.default_actor(action, case))
            if action != Action.TRANSFER:
                case.order = result
        case.order.refresh_from_db()
        return case.order

    def order_in(self, state: OrderState, *, other: OrderState | None = None, **intake) -> Case:
        """A complaint whose billing order is in `state`; `other` adds a business order in that state."""
        complaint = self.received(**intake)
        order = self.dispatch(complaint)
        if state == OS.CANCELLED:  # only voiding cancels an order
            self.void(complaint)
            return Case(complaint, order).refresh()
        order = self.advance(order, state)
        second = None
        if other is not None:
            second = self.advance(self.dispatch(complaint, team="business"), other)
        return Case(complaint, order, second).refresh()

    # complaint statuses

    def void(self, complaint: Complaint, *, not_a_complaint: bool = False) -> Complaint:
        return followup.void(complaint, reason="重复登记。", not_a_complaint=not_a_complaint,
                             by=self.people.supervisor, now=self.tick())

    def at(self, status: Status, *, visited: bool = False, **intake) -> Case:
        """A complaint in `status` with a single work order where the status needs one.

        `visited=True` (replied only) adds a satisfied return visit, which closing requires; `intake`
        overrides what the agent records (account, category, ...).
        """
        if status == S.DRAFT:
            return Case(self.draft(**intake)).refresh()
        if status in ORDER_FOR_STATUS:
            return self.order_in(ORDER_FOR_STATUS[status], **intake)
        if status == S.RECEIVED:
            return Case(self.received(**intake)).refresh()
        if status in (S.VOIDED, S.REJECTED):
            complaint = self.void(self.received(**intake), not_a_complaint=status == S.REJECTED)
            return Case(complaint).refresh()
        if status in (S.REPLIED, S.CLOSED):
            case = self.order_in(OS.ACCEPTED, **intake)
            agent = self.people.agent
            followup.reply(case.complaint, summary="已退还 30 元。", by=agent, now=self.tick())
            if visited or status == S.CLOSED:
                followup.return_visit(case.complaint, reached=True, problem_solved=True,
                                      satisfaction=Satisfaction.SATISFIED, by=agent, now=self.tick())
            if status == S.CLOSED:
                followup.close(case.complaint, resolution_code=ResolutionCode.REFUNDED, root_cause="计费规则配置错误",
                               responsible_team=self.teams["billing"], by=agent, now=self.tick())
            return case.refresh()
        raise AssertionError(f"no recipe for {status}")

    def legal_start(self, action: Action) -> Case:
        """A state in which `action` is legal (and passes the action's own business rules)."""
        if action in (Action.RECORD, Action.CONFIRM_READ_BACK):
            return self.at(S.DRAFT)
        if action in (Action.RESOLVE_ON_THE_SPOT, Action.DISPATCH, Action.VOID, Action.CHECK, Action.ADD_NOTE,
                      Action.LOG_CONTACT_ATTEMPT, Action.CHANGE_PROMISED_DATE, Action.ESCALATE):
            return self.order_in(OS.CLAIMED) if action == Action.ADD_NOTE else self.at(S.RECEIVED)
        if action in (Action.REPLY,):
            return self.at(S.AWAITING_REPLY)
        if action == Action.RETURN_VISIT:
            return self.at(S.REPLIED)
        if action == Action.CLOSE:
            return self.at(S.REPLIED, visited=True)
        if action == Action.REOPEN:
            return self.at(S.CLOSED)
        order_state = {
            Action.CLAIM: OS.QUEUED, Action.RELEASE: OS.CLAIMED, Action.REASSIGN: OS.QUEUED,
            Action.REQUEST_INFORMATION: OS.CLAIMED, Action.ANSWER_INFORMATION: OS.WAITING_INFO,
            Action.TRANSFER: OS.CLAIMED, Action.SEND_BACK: OS.CLAIMED, Action.REQUEST_SUSPENSION: OS.CLAIMED,
            Action.APPROVE_SUSPENSION: OS.SUSPENSION_REQUESTED, Action.REFUSE_SUSPENSION: OS.SUSPENSION_REQUESTED,
            Action.RESUME: OS.SUSPENDED, Action.RETURN_RESULT: OS.CLAIMED, Action.URGE: OS.CLAIMED,
            Action.APPROVE_RESULT: OS.RETURNED, Action.REJECT_RESULT: OS.RETURNED,
        }[action]
        return self.order_in(order_state)

    # acting

    def default_actor(self, action: Action, case: Case):
        """Who normally does `action` here: the agent, the order's handler, or the supervisor."""
        people = self.people
        if action in (Action.APPROVE_SUSPENSION, Action.REFUSE_SUSPENSION, Action.REASSIGN, Action.VOID,
                      Action.ESCALATE):
            return people.supervisor
        if action in (Action.CLAIM, Action.RELEASE, Action.REQUEST_INFORMATION, Action.TRANSFER, Action.SEND_BACK,
                      Action.REQUEST_SUSPENSION, Action.RESUME, Action.RETURN_RESULT):
            return self.handler_of(case.order)
        return people.agent

    def perform(self, action: Action, case: Case, *, by=None, **extra):
        """Calls the real action for `action` with valid arguments, as `by` (default: who normally does it).

        `extra` goes to the action as well (e.g. `expected_version=`).
        """
        by = by if by is not None else self.default_actor(action, case)
        c, o, now = case.complaint, case.order, self.tick()
        kw = dict(by=by, now=now, **extra)
        calls = {
            Action.RECORD: lambda: correct_draft(c, self.intake(description="补充：上月也多扣了。"), **kw),
            Action.CONFIRM_READ_BACK: lambda: confirm_read_back(c, **kw),
            Action.RESOLVE_ON_THE_SPOT: lambda: resolve_on_the_spot(
                c, resolution="解释了计费规则，客户认可。", resolution_code=ResolutionCode.EXPLAINED, **kw),
            Action.DISPATCH: lambda: routing.dispatch(c, team=self.teams["billing"], **kw),
            Action.CLAIM: lambda: routing.claim(o, **kw),
            Action.RELEASE: lambda: routing.release(o, **kw),
            Action.REASSIGN: lambda: routing.reassign(o, to=self.people.billing2, **kw),
            Action.REQUEST_INFORMATION: lambda: routing.request_information(
                o, question="客户何时办理的套餐？", **kw),
            Action.ANSWER_INFORMATION: lambda: routing.answer_information(o, answer="5 月 3 日。", **kw),
            Action.TRANSFER: lambda: routing.transfer(o, team=self.teams["network"], reason="实为网络问题。", **kw),
            Action.SEND_BACK: lambda: routing.send_back(o, reason="不属于本团队。", **kw),
            Action.REQUEST_SUSPENSION: lambda: routing.request_suspension(o, reason="等待厂家排查。", **kw),
            Action.APPROVE_SUSPENSION: lambda: routing.approve_suspension(o, **kw),
            Action.REFUSE_SUSPENSION: lambda: routing.refuse_suspension(o, reason="可先行处理。", **kw),
            Action.RESUME: lambda: routing.resume(o, **kw),
            Action.RETURN_RESULT: lambda: routing.return_result(
                o, findings="重复扣费属实。", substantiated=True, actions_taken="已退费。", proposed_answer="退还 30 元。",
                root_cause="计费规则配置错误", **kw),
            Action.URGE: lambda: routing.urge(o, remark="客户再次来电。", **kw),
            Action.ADD_NOTE: lambda: (
                routing.add_progress_note(o, body="正在核查。", **kw)
                if roles_of(by) == {Role.BACKOFFICE} else add_note(c, body="客户来电询问进度。", **kw)),
            Action.APPROVE_RESULT: lambda: followup.approve_result(o, **kw),
            Action.REJECT_RESULT: lambda: followup.reject_result(o, reason="未说明退费到账时间。", **kw),
            Action.LOG_CONTACT_ATTEMPT: lambda: followup.log_contact_attempt(
                c, outcome=ContactOutcome.NOT_REACHED, **kw),
            Action.REPLY: lambda: followup.reply(c, summary="已退还 30 元。", **kw),
            Action.CHANGE_PROMISED_DATE: lambda: followup.change_promised_date(
                c, promised_reply_at=now + dt.timedelta(days=5), reason="等待厂家结论。", **kw),
            Action.RETURN_VISIT: lambda: followup.return_visit(
                c, reached=True, problem_solved=True, satisfaction=Satisfaction.SATISFIED, **kw),
            Action.CLOSE: lambda: followup.close(c, resolution_code=ResolutionCode.REFUNDED, root_cause="计费规则配置错误",
                                                 responsible_team=self.teams["billing"], **kw),
            Action.REOPEN: lambda: followup.reopen(c, reason="客户反映问题复现。", **kw),
            Action.VOID: lambda: followup.void(c, reason="重复登记。", **kw),
            Action.CHECK: lambda: followup.check_complaint(c, **kw),
            Action.ESCALATE: lambda: followup.escalate(c, reason="客户要求升级处理。", **kw),
        }
        return calls[action]()


@pytest.fixture
def story(people, reference):
    with time_machine.travel(START, tick=False) as traveller:
        yield Story(people, reference, traveller)


# --- what an action did ------------------------------------------------------------------------


class Watch:
    """Inside `with watch:` an action runs; afterwards: its new events, its on_commit callbacks."""

    def __init__(self, capture, execute: bool) -> None:
        self._capture, self._execute = capture, execute
        self.events: list[Event] = []
        self.callbacks: list = []

    def __enter__(self) -> Watch:
        self._last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self._orders = WorkOrder.objects.count()
        self._cm = self._capture(execute=self._execute)
        self.callbacks = self._cm.__enter__()
        return self

    def __exit__(self, *exc) -> bool | None:
        result = self._cm.__exit__(*exc)
        self.events = list(Event.objects.filter(pk__gt=self._last_event).order_by("pk"))
        self.new_orders = WorkOrder.objects.count() - self._orders
        return result

    @property
    def event(self) -> Event:
        assert len(self.events) == 1, f"expected exactly one audit event, got {[e.kind for e in self.events]}"
        return self.events[0]

    @property
    def notified(self) -> set[str]:
        return set(Notification.objects.filter(event=self.event).values_list("recipient__username", flat=True))


@pytest.fixture
def watch(django_capture_on_commit_callbacks):
    """`with watch() as seen:` runs the on_commit callbacks (notifications); `watch(execute=False)` only counts them."""

    def make(*, execute: bool = True) -> Watch:
        return Watch(django_capture_on_commit_callbacks, execute)

    return make


def snapshot(case: Case | Complaint) -> dict:
    """What a refused action must leave untouched."""
    complaint = Complaint.objects.get(pk=case.complaint.pk if isinstance(case, Case) else case.pk)
    orders = dict(WorkOrder.objects.filter(complaint=complaint).values_list("pk", "state"))
    versions = dict(WorkOrder.objects.filter(complaint=complaint).values_list("pk", "version"))
    return {
        "status": complaint.status, "version": complaint.version, "round": complaint.round,
        "events": Event.objects.count(), "orders": WorkOrder.objects.count(), "order_states": orders,
        "order_versions": versions, "notes": complaint.notes.count(),
    }


@pytest.fixture
def unchanged():
    """`unchanged(case)` returns a check that nothing the case (or complaint) is made of has moved since."""

    def take(case: Case | Complaint):
        before = snapshot(case)

        def check() -> None:
            assert snapshot(case) == before

        return check

    return take
