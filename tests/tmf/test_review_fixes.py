"""Review findings: deliveries that never crash a request, inputs that never reach the database unchecked,
numbers in other scripts, three days of retries, listeners whose owner lost the role, the create event's
body and the attachment's download link."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import socket
import threading

import pytest
import time_machine
from django.contrib.auth.models import Group

from complaints.lifecycle import Role, Status
from complaints.models import Complaint
from tests.tmf.conftest import HUB, TICKETS, assert_tmf_error, client_for, new_ticket, subscribe
from tmf import delivery as delivery_module
from tmf.models import Delivery, DeliveryStatus, Subscription

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


class GarbageListener:
    """A raw socket server that answers every connection with something that is not HTTP."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.running = True
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/listener"

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            # A client that hangs up early is the client's business: the server keeps answering.
            with conn, contextlib.suppress(OSError):
                conn.settimeout(1)
                conn.recv(65536)
                conn.sendall(b"HELLO\r\n\r\n")

    def stop(self) -> None:
        self.running = False
        self.sock.close()


@pytest.fixture
def garbage():
    server = GarbageListener()
    yield server
    server.stop()


# 1. A listener that does not speak HTTP -------------------------------------------------------------

def test_a_listener_answering_garbage_neither_fails_the_request_nor_sticks_the_delivery(
        crm, garbage, django_capture_on_commit_callbacks):
    subscribe(crm, garbage.url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = crm.post(TICKETS, new_ticket(), format="json")
    assert created.status_code == 201, created.content and callbacks
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "BadStatusLine" in delivery.last_error and delivery.next_attempt_at is not None


def test_a_failing_queue_never_raises_into_the_request(crm, listener, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    from tmf import tasks

    def broken(pk):
        raise RuntimeError("broker down")

    monkeypatch.setattr(tasks.deliver_notification, "delay", broken)
    listener.start()
    subscribe(crm, listener.url)
    with django_capture_on_commit_callbacks(execute=True):
        created = crm.post(TICKETS, new_ticket(), format="json")
    assert created.status_code == 201
    assert Delivery.objects.get().status == DeliveryStatus.PENDING  # the retry task sends it later


# 2. Inputs --------------------------------------------------------------------------------------------

def party(**fields) -> list[dict]:
    return [{"id": "13800138000", "role": "customer", **fields}]


@pytest.mark.parametrize("change", [
    {"relatedParty": party(id="1" * 41)},
    {"relatedParty": party(contactNumber="1" * 41)},
    {"relatedParty": party(name="名" * 101)},
    {"relatedParty": party(id="13800\x00138000")},
    {"relatedParty": party(id="abc")},  # not a service number or account
    {"relatedParty": party(id="²²²²²²²")},
    {"relatedParty": party(contactNumber="call me maybe")},
    {"regulatorCaseNumber": "R" * 61},
    {"severityReason": "x" * 301},
    {"description": "bad\x00text"},
    {"externalId": "E" * 101},
    {"name": "N" * 201},
    {"note": [{"text": "n" * 4001}]},
    {"note": [{"text": "nul\x00"}]},
    {"attachment": [{"url": "https://files.example/" + "a" * 1000, "name": "long"}]},
    {"attachment": [{"url": f"https://files.example/{i}.pdf", "name": f"{i}.pdf"} for i in range(6)]},
    {"requestedResolutionDate": "2024-13-45T00:00:00Z"},
    {"requestedResolutionDate": "2024-02-30T10:00:00"},
    {"requestedResolutionDate": "9999-12-31T23:59:59-23:00"},
    {"requestedResolutionDate": "1999-12-31T23:59:59Z"},
])
def test_refuses_what_the_database_could_not_keep(crm, change):
    assert_tmf_error(crm.post(TICKETS, new_ticket(**change), format="json"), 400)
    assert not Complaint.objects.exists()


def test_a_body_larger_than_the_server_accepts_is_a_400_not_a_500(crm):
    big = base64.b64encode(PNG + b"\x00" * (3 * 1024 * 1024)).decode()
    change = {"attachment": [{"content": big, "name": "big.png", "mimeType": "image/png"}]}
    assert_tmf_error(crm.post(TICKETS, new_ticket(**change), format="json"), 400)
    assert not Complaint.objects.exists()


def test_inline_content_over_10_mb_is_refused():
    from tmf.errors import TmfError
    from tmf.inputs import attachment_in

    big = base64.b64encode(PNG + b"\x00" * (10 * 1024 * 1024)).decode()
    with pytest.raises(TmfError):
        attachment_in({"content": big, "name": "big.png", "mimeType": "image/png"})


@pytest.mark.parametrize("value", ["2024-13-45T00:00:00Z", "2024-02-30T10:00:00", "9999-12-31T23:59:59-23:00",
                                   "0001-01-01T00:00:00Z"])
def test_a_filter_date_out_of_range_is_a_400_naming_the_attribute(crm, value):
    body = assert_tmf_error(crm.get(TICKETS, {"creationDate.gt": value}), 400)
    assert "creationDate" in body["message"] and "created_at" not in body["message"]


@pytest.mark.parametrize("params", [{"offset": "-1"}, {"limit": "-5"}, {"status": "closed\x00"},
                                    {"relatedParty.id": "²"}])
def test_list_refuses_bad_query_parameters(crm, params):
    response = crm.get(TICKETS, params)
    if params.get("relatedParty.id"):
        assert response.status_code == 200  # no such customer: an empty list, not a 500
    else:
        assert_tmf_error(response, 400)


@pytest.mark.parametrize("change", [{"statusChangeReason": "r" * 301, "status": "cancelled"},
                                    {"rootCause": "c" * 301}, {"resolutionCode": "c" * 25},
                                    {"expectedResolutionDate": "9999-12-31T23:59:59-23:00"},
                                    {"note": [{"text": "n" * 4001}]}])
def test_patch_refuses_what_the_database_could_not_keep(story, supervisor_api, change):
    case = story.at(Status.DISPATCHED)
    response = supervisor_api.patch(f"{TICKETS}/{case.complaint.number}", json.dumps(change),
                                    content_type="application/merge-patch+json")
    assert_tmf_error(response, 400)


@pytest.mark.parametrize("body", [{"callback": "http://127.0.0.1/" + "a" * 1000},
                                  {"callback": "http://127.0.0.1/\x00"},
                                  {"callback": "http://127.0.0.1/", "query": "eventType=" + "x" * 600}])
def test_hub_refuses_overlong_or_nul_texts(crm, body):
    assert_tmf_error(crm.post(HUB, body, format="json"), 400)
    assert not Subscription.objects.exists()


# 3. Numbers in other scripts ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [("TS00000012", 12), ("12", 12), ("ts12", 12), ("TS²", None),
                                            ("TS١٢", None), ("TS" + "1" * 13, None), ("", None)])
def test_pk_from_number_accepts_ascii_digits_only(text, expected):
    assert Complaint.pk_from_number(text) == expected


def test_a_ticket_id_in_another_script_is_a_404(crm):
    assert_tmf_error(crm.get(f"{TICKETS}/TS%C2%B2"), 404)
    assert_tmf_error(crm.get(f"{TICKETS}/TS%D9%A1%D9%A2"), 404)


# 4. Three days of retries -------------------------------------------------------------------------------

def test_retries_for_72_hours_before_giving_up(crm, django_capture_on_commit_callbacks):
    subscribe(crm, "http://127.0.0.1:9/listener")  # the discard port: nobody listens
    with django_capture_on_commit_callbacks(execute=True):
        assert crm.post(TICKETS, new_ticket(), format="json").status_code == 201
    delivery = Delivery.objects.get()
    start = delivery.created_at
    while True:
        delivery.refresh_from_db()
        if delivery.status != DeliveryStatus.PENDING:
            break
        with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1), tick=False):
            delivery_module.attempt(delivery.pk)
        last_attempt = delivery.next_attempt_at + dt.timedelta(seconds=1)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    # tried for three days, at most an hour apart, then given up
    assert dt.timedelta(hours=72) <= last_attempt - start < dt.timedelta(hours=73)
    assert delivery.attempts > 70


# 5. Listeners whose owner left or lost the role ---------------------------------------------------------

def test_no_notifications_for_a_listener_whose_owner_is_gone_or_lost_the_role(crm, people, system_user, listener,
                                                                              story, supervisor_api):
    listener.start()
    subscribe(crm, listener.url)
    kept = subscribe(supervisor_api, listener.url)
    story.received()
    assert set(Delivery.objects.values_list("subscription_id", flat=True)) == {
        Subscription.objects.get(owner=system_user).pk, Subscription.objects.get(pk=kept["id"]).pk}

    Delivery.objects.all().delete()
    system_user.groups.remove(Group.objects.get(name=Role.AGENT))
    story.received()
    assert set(str(pk) for pk in Delivery.objects.values_list("subscription_id", flat=True)) == {kept["id"]}

    Delivery.objects.all().delete()
    people.supervisor.is_active = False
    people.supervisor.save()
    story.received()
    assert not Delivery.objects.exists()


# 6. The create event carries what the caller gave ---------------------------------------------------------

def test_the_create_event_carries_external_id_name_dates_notes_and_attachments(crm, listener,
                                                                               django_capture_on_commit_callbacks):
    listener.start()
    subscribe(crm, listener.url)
    with django_capture_on_commit_callbacks(execute=True):
        created = crm.post(TICKETS, new_ticket(attachment=[{"url": "https://files.example/bill.pdf",
                                                            "name": "bill.pdf"}]), format="json")
    assert created.status_code == 201
    [event] = listener.events()
    ticket = event["event"]["troubleTicket"]
    assert ticket["externalId"] == "CRM-1001" and ticket["name"] == "账单争议"
    assert ticket["requestedResolutionDate"] == created.json()["requestedResolutionDate"]
    assert [n["text"] for n in ticket["note"]] == ["客户在 App 内提交。"]
    assert [a["name"] for a in ticket["attachment"]] == ["bill.pdf"]


# 7. The attachment's href is the REST API's download -------------------------------------------------------

def test_the_attachment_href_downloads_with_a_token(crm, system_user):
    change = {"attachment": [{"content": base64.b64encode(PNG).decode(), "name": "screen.png",
                              "mimeType": "image/png"}]}
    created = crm.post(TICKETS, new_ticket(**change), format="json")
    assert created.status_code == 201, created.json()
    [item] = [a for a in created.json()["attachment"] if a["id"].startswith("file-")]
    assert "/api/v1/attachments/" in item["href"] and item["href"].endswith("/download/")
    response = client_for(system_user).get(item["href"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == PNG

