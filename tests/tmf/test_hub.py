"""/hub: listeners register and unregister; notifications are recorded, signed, sent after commit and retried."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from complaints.lifecycle import Status
from tests.tmf.conftest import HUB, TICKETS, assert_tmf_error, client_for, new_ticket, subscribe
from tests.tmf.listener import Listener
from tmf.models import Delivery, DeliveryStatus, Subscription
from tmf.tasks import retry_notifications


def test_registers_and_unregisters_a_listener(crm, people, system_user):
    body = subscribe(crm, "http://127.0.0.1:9/listener", query="eventType=TroubleTicketResolvedEvent")
    assert set(body) >= {"id", "callback", "query", "secret"} and len(body["secret"]) >= 32
    subscription = Subscription.objects.get(pk=body["id"])
    assert (subscription.owner, subscription.query) == (system_user, "eventType=TroubleTicketResolvedEvent")
    # someone else's subscription is not theirs to end
    assert_tmf_error(client_for(people.agent).delete(f"{HUB}/{body['id']}"), 404)
    assert crm.delete(f"{HUB}/{body['id']}").status_code == 204
    assert Subscription.objects.get(pk=body["id"]).unsubscribed_at is not None  # kept, with its deliveries
    assert_tmf_error(crm.delete(f"{HUB}/{body['id']}"), 404)


@pytest.mark.parametrize("body", [{"callback": "not a url"}, {"callback": "ftp://x.example/"}, {},
                                  {"callback": "http://127.0.0.1/", "query": "status=closed"}])
def test_refuses_a_bad_subscription(crm, body):
    assert_tmf_error(crm.post(HUB, body, format="json"), 400)
    assert not Subscription.objects.exists()


def test_back_office_staff_may_not_register_listeners(people):
    assert_tmf_error(client_for(people.billing).post(HUB, {"callback": "http://127.0.0.1/"}, format="json"), 403)


@pytest.mark.parametrize("first_failure", ["answers 500", "is down"])
def test_a_notification_is_delivered_after_a_failure_by_the_retry_task(crm, listener, first_failure,
                                                                        django_capture_on_commit_callbacks):
    if first_failure == "answers 500":
        listener.answers = [500]
        listener.start()
    secret = subscribe(crm, listener.url, secret="s3cret-for-the-test-listener")["secret"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = crm.post(TICKETS, new_ticket(), format="json")
    assert created.status_code == 201 and callbacks  # the first attempt was queued on commit

    delivery = Delivery.objects.get()
    assert (delivery.event_type, delivery.status, delivery.attempts) == (
        "TroubleTicketCreateEvent", DeliveryStatus.PENDING, 1)
    assert delivery.last_error and delivery.next_attempt_at > timezone.now()
    assert retry_notifications.delay().get() == 0  # its backoff has not passed: nothing is due yet

    if first_failure == "is down":
        listener.start()
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        assert retry_notifications.delay().get() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 2, "")
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    request = listener.received[-1]
    assert Listener.signed_by(request, secret)
    assert not Listener.signed_by(request, "some-other-secret-entirely")
    event = listener.events()[-1]
    assert event["eventType"] == "TroubleTicketCreateEvent" and event["eventId"] == str(delivery.notification_id)
    assert event["event"]["troubleTicket"]["id"] == created.json()["id"]
    assert event["event"]["troubleTicket"]["status"] == "acknowledged"


def test_nothing_is_sent_before_commit_and_nothing_if_the_change_rolls_back(crm, listener, story,
                                                                              django_capture_on_commit_callbacks):
    from django.db import transaction

    from complaints.actions import confirm_read_back

    listener.start()
    subscribe(crm, listener.url)
    draft = story.draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm_read_back(draft, by=story.people.agent, now=story.tick())
    assert Delivery.objects.count() == 1 and len(callbacks) == 1 and not listener.received

    draft2 = story.draft()
    with pytest.raises(RuntimeError), transaction.atomic():
        confirm_read_back(draft2, by=story.people.agent, now=story.tick())
        raise RuntimeError("the request failed after the change")
    assert Delivery.objects.count() == 1


def test_a_listener_hears_only_the_events_its_query_names(crm, listener, story, django_capture_on_commit_callbacks):
    listener.start()
    subscribe(crm, listener.url, query="eventType=TroubleTicketInformationRequiredEvent")
    with django_capture_on_commit_callbacks(execute=True):
        case = story.at(Status.WAITING_INFO)
    assert [e["eventType"] for e in listener.events()] == ["TroubleTicketInformationRequiredEvent"]
    event = listener.events()[0]
    assert event["description"] == "客户何时办理的套餐？"
    assert event["event"]["troubleTicket"]["id"] == case.complaint.number
    assert event["event"]["troubleTicket"]["status"] == "pending"


def test_an_unregistered_listener_gets_nothing_more(crm, listener, story, django_capture_on_commit_callbacks):
    listener.start()
    subscription = subscribe(crm, listener.url)
    listener.answers = [503]
    with django_capture_on_commit_callbacks(execute=True):
        story.received()
    assert crm.delete(f"{HUB}/{subscription['id']}").status_code == 204
    assert Delivery.objects.get().status == DeliveryStatus.FAILED  # given up, still on record
    with django_capture_on_commit_callbacks(execute=True):
        story.received()
    assert Delivery.objects.count() == 1 and len(listener.received) == 1
