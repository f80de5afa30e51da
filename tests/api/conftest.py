"""Clients for the REST API, one per person of the `people` fixture, authenticated by token."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from complaints.models import Attachment


class Api:
    """`api.as_(person).post(url, data)`: a token-authenticated JSON client."""

    def __init__(self, people) -> None:
        self.people = people

    def as_(self, user) -> APIClient:
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    def __getattr__(self, name: str) -> APIClient:
        return self.as_(getattr(self.people, name))


@pytest.fixture
def api(people):
    return Api(people)


@pytest.fixture
def evidence_dir(settings, tmp_path):
    """Evidence goes to a temporary private storage, restored afterwards."""
    storage = Attachment._meta.get_field("file").storage
    before = storage.location
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    storage.location = str(tmp_path)
    yield tmp_path
    storage.location = before


def complaint_url(pk, verb: str | None = None) -> str:
    return f"/api/v1/complaints/{pk}/" + (f"{verb}/" if verb else "")


def order_url(pk, verb: str | None = None) -> str:
    return f"/api/v1/work-orders/{pk}/" + (f"{verb}/" if verb else "")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body
