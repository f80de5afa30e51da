"""The demo CRM account: an agent with an API token, created once however often the demo loads."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from complaints.lifecycle import Role
from complaints.roles import roles_of
from demo.reference import load_reference_data
from demo.users import SYSTEM_USER, load_demo_users, system_token


def test_load_demo_users_gives_the_crm_a_token_once(db):
    load_reference_data()
    users = load_demo_users()
    key = system_token()
    load_demo_users()
    assert Token.objects.filter(user__username=SYSTEM_USER).count() == 1 and system_token() == key
    crm = users[SYSTEM_USER]
    assert roles_of(crm) == {Role.AGENT} and not crm.has_usable_password()
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/complaints/").status_code == 200
