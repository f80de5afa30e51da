"""A listener may not sit on the desk's own network unless an admin allowed it (no SSRF by callback)."""

from __future__ import annotations

import pytest

from tests.tmf.conftest import HUB, TICKETS, assert_tmf_error, new_ticket
from tests.tmf.listener import Listener
from tmf.models import Delivery, Subscription


@pytest.mark.parametrize("callback", [
    "http://127.0.0.1:9/listener",
    "http://localhost:9/listener",
    "http://10.1.2.3/listener",
    "http://[::1]:9/listener",
])
def test_a_private_or_loopback_listener_needs_the_admins_allowance(crm, settings, callback):
    settings.TMF_CALLBACK_ALLOWED_NETWORKS = []
    response = crm.post(HUB, {"callback": callback}, format="json")
    assert_tmf_error(response, 400)
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("callback", ["http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/x",
                                      "http://224.0.0.1/x"])
def test_metadata_multicast_and_unspecified_addresses_are_never_reached(crm, settings, callback):
    settings.TMF_CALLBACK_ALLOWED_NETWORKS = ["0.0.0.0/0"]
    assert_tmf_error(crm.post(HUB, {"callback": callback}, format="json"), 400)


def test_an_allowed_network_and_a_public_address_may_register(crm, settings):
    settings.TMF_CALLBACK_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert crm.post(HUB, {"callback": "http://10.20.30.40/listener"}, format="json").status_code == 201
    assert crm.post(HUB, {"callback": "http://93.184.216.34/listener"}, format="json").status_code == 201


def test_a_listener_no_longer_allowed_is_not_called(crm, settings, django_capture_on_commit_callbacks):
    listener = Listener().start()
    try:
        assert crm.post(HUB, {"callback": listener.url}, format="json").status_code == 201
        settings.TMF_CALLBACK_ALLOWED_NETWORKS = []
        with django_capture_on_commit_callbacks(execute=True):
            assert crm.post(TICKETS, new_ticket(), format="json").status_code == 201
        delivery = Delivery.objects.get()
        assert delivery.attempts == 1 and delivery.status == "pending" and "TMF_CALLBACK_ALLOWED_NETWORKS" in delivery.last_error
        assert listener.received == []
    finally:
        listener.stop()
