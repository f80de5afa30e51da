"""签收: a queued order gets a named handler; of two claimers exactly one gets it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from complaints.errors import NotPermitted, TransitionNotAllowed
from complaints.lifecycle import Action, OrderState
from complaints.models import Event
from routing.actions import AlreadyClaimed, claim
from routing.models import WorkOrder
from tests.factories import order_starts, orders_status

OS = OrderState


@pytest.mark.parametrize(("state", "other", "status"), order_starts(Action.CLAIM))
def test_claim_gives_the_order_a_named_handler(story, watch, people, state, other, status):
    case = story.order_in(state, other=other)
    assert case.complaint.status == status
    versions = case.complaint.version, case.order.version

    with watch(execute=False) as seen:
        order = claim(case.order, by=people.billing, now=story.tick())

    case.refresh()
    expected = orders_status(OS.CLAIMED, other)
    assert (order.state, order.claimed_by, order.claimed_at) == (OS.CLAIMED, people.billing, story.now)
    assert case.complaint.status == expected
    # The order's version moves; the complaint's only when its derived status changes, so the agent's
    # open complaint page does not go stale for a step that changed nothing of it.
    status_changed = expected != status
    assert (case.complaint.version, case.order.version) == (versions[0] + status_changed, versions[1] + 1)
    event = seen.event
    assert (event.kind, event.actor, event.from_status, event.to_status) == (Action.CLAIM, people.billing, status,
                                                                             expected)
    assert event.work_order == order and event.data == {"order_from": OS.QUEUED, "order_to": OS.CLAIMED}
    assert seen.callbacks == []  # a claim tells nobody


def test_rejects_claim_of_order_already_claimed(story, watch, unchanged, people):
    case = story.order_in(OS.CLAIMED)  # by billing1 (刘洋)
    still = unchanged(case)

    with watch(execute=False) as seen, pytest.raises(AlreadyClaimed) as refused:
        claim(case.order, by=people.billing2, now=story.tick())

    assert "刘洋" in refused.value.message
    assert isinstance(refused.value, TransitionNotAllowed)
    assert seen.events == [] and seen.callbacks == []
    still()
    assert WorkOrder.objects.get(pk=case.order.pk).claimed_by == people.billing


def test_rejects_claim_by_a_member_of_another_team(story, watch, unchanged, people):
    case = story.order_in(OS.QUEUED)  # the billing team's queue
    still = unchanged(case)

    with watch(execute=False) as seen, pytest.raises(NotPermitted):
        claim(case.order, by=people.network, now=story.tick())

    assert seen.events == []
    still()


def test_a_released_order_can_be_claimed_again_by_another_member(story, people):
    case = story.order_in(OS.CLAIMED)
    story.perform(Action.RELEASE, case)
    order = claim(case.order, by=people.billing2, now=story.tick())
    assert order.claimed_by == people.billing2
    assert Event.objects.filter(kind=Action.CLAIM, work_order=order).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_claiming_at_once_get_it_exactly_once(story, people):
    case = story.order_in(OS.QUEUED)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def attempt(user) -> None:
        try:
            barrier.wait(timeout=10)
            claim(WorkOrder(pk=case.order.pk, complaint_id=case.complaint.pk), by=user, now=story.now)
            outcomes[user.username] = "claimed"
        except TransitionNotAllowed as exc:  # AlreadyClaimed is one
            outcomes[user.username] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in (people.billing, people.billing2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2
    winners = [name for name, outcome in outcomes.items() if outcome == "claimed"]
    refused = [outcome for outcome in outcomes.values() if outcome != "claimed"]
    assert len(winners) == 1 and len(refused) == 1
    assert isinstance(refused[0], AlreadyClaimed)
    case.refresh()
    assert case.order.state == OS.CLAIMED and case.order.claimed_by.username == winners[0]
    assert case.order.claimed_by.first_name in refused[0].message  # names the holder
    assert Event.objects.filter(kind=Action.CLAIM).count() == 1


def test_anyone_may_urge_and_an_urge_leaves_the_handlers_page_current(story, people):
    from routing.actions import urge

    case = story.order_in(OS.CLAIMED)
    version = case.order.version
    urge(case.order, by=people.network, now=story.tick())  # another team's member
    case.refresh()
    assert case.order.urge_count == 1 and case.order.version == version
