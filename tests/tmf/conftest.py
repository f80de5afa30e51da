"""A calling system with a token, and helpers to read TMF621 answers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from complaints.lifecycle import Role
from complaints.roles import SYSTEM_ACCOUNTS
from tests.factories import UserFactory

BASE = "/tmf-api/troubleTicket/v4"
TICKETS = f"{BASE}/troubleTicket"
HUB = f"{BASE}/hub"


@pytest.fixture(autouse=True)
def listeners_on_this_machine(settings):
    """The tests' listeners run on 127.0.0.1, which a deployment must allow explicitly."""
    settings.TMF_CALLBACK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def system_user(people):
    """The CRM's system account: an agent, as the demo's `crm-system` is."""
    user = UserFactory(username="crm-test", first_name="CRM", role=Role.AGENT)
    user.groups.add(Group.objects.get_or_create(name=SYSTEM_ACCOUNTS)[0])
    return user


@pytest.fixture
def crm(system_user) -> APIClient:
    return client_for(system_user)


@pytest.fixture
def supervisor_api(people) -> APIClient:
    return client_for(people.supervisor)


def new_ticket(**overrides) -> dict:
    body = {
        "description": "本月账单多扣了 30 元。",
        "severity": "general",
        "ticketType": "billing_dispute",
        "name": "账单争议",
        "externalId": "CRM-1001",
        "channel": {"id": "online", "name": "online"},
        "relatedParty": [{"id": "13800138000", "name": "王先生", "role": "customer", "@referredType": "Customer"}],
        "note": [{"text": "客户在 App 内提交。"}],
        "requestedResolutionDate": "2025-06-12T18:00:00+08:00",
        "demand": "退还多扣的费用。",
    }
    body.update(overrides)
    return body


def assert_tmf_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "reason", "message", "status"} <= set(body), body
    assert body["status"] == str(status) and body["@type"] == "Error"
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture
def listener():
    """A local HTTP listener on 127.0.0.1 that records what it is sent."""
    from tests.tmf.listener import Listener

    running = Listener()
    yield running
    running.stop()


def subscribe(client, callback: str, **extra) -> dict:
    """Registers a listener through /hub and returns the 201 body (its id and secret)."""
    response = client.post(HUB, {"callback": callback, **extra}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()
