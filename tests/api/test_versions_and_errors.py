"""ETags and If-Match (412 stale_version), and the one error shape for whatever goes wrong."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from complaints.lifecycle import OrderState, Status
from tests.api.conftest import assert_error, complaint_url, order_url


def test_an_action_with_the_current_etag_succeeds_and_answers_the_next_one(story, api):
    case = story.order_in(OrderState.QUEUED)
    etag = api.billing.get(order_url(case.order.pk))["ETag"]
    response = api.billing.post(order_url(case.order.pk, "claim"), {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] == f'"{case.order.version + 1}"' != etag


@pytest.mark.parametrize("if_match", ['"999"', 'W/"999"', "999", "garbage", '"1x"'])
def test_a_stale_if_match_is_412_and_changes_nothing(story, api, unchanged, if_match):
    case = story.order_in(OrderState.QUEUED)
    check = unchanged(case)
    response = api.billing.post(order_url(case.order.pk, "claim"), {}, format="json", HTTP_IF_MATCH=if_match)
    assert_error(response, 412, "stale_version")
    check()


def test_a_stale_expected_version_in_the_body_is_412(story, api, unchanged):
    case = story.at(Status.AWAITING_REPLY)
    check = unchanged(case)
    response = api.agent.post(complaint_url(case.complaint.pk, "reply"),
                              {"summary": "已退还。", "expected_version": case.complaint.version - 1}, format="json")
    assert_error(response, 412, "stale_version")
    check()


def test_if_match_and_body_version_must_agree(story, api, unchanged):
    case = story.at(Status.AWAITING_REPLY)
    check = unchanged(case)
    current = case.complaint.version
    response = api.agent.post(complaint_url(case.complaint.pk, "reply"),
                              {"summary": "已退还。", "expected_version": current - 1}, format="json",
                              HTTP_IF_MATCH=f'"{current}"')
    assert_error(response, 412, "stale_version")
    check()


def test_the_wildcard_if_match_accepts_any_version(story, api):
    case = story.at(Status.AWAITING_REPLY)
    response = api.agent.post(complaint_url(case.complaint.pk, "reply"), {"summary": "已退还。"}, format="json",
                              HTTP_IF_MATCH="*")
    assert response.status_code == 200


def test_a_stale_if_match_refuses_even_an_append_only_action(story, api, unchanged):
    case = story.order_in(OrderState.CLAIMED)
    check = unchanged(case)
    response = api.agent.post(complaint_url(case.complaint.pk, "notes"), {"body": "x"}, format="json",
                              HTTP_IF_MATCH='"999"')
    assert_error(response, 412, "stale_version")
    check()


def test_not_authenticated_is_401_with_the_token_challenge(story):
    response = APIClient().get("/api/v1/complaints/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"
    assert_error(APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/complaints/"), 401, "authentication_failed")


def test_session_authentication_works_too(story, client):
    client.force_login(story.people.agent)
    assert client.get("/api/v1/complaints/").status_code == 200


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "99999999999999999999999", "1.5", "%F0%9F%98%80"])
def test_garbage_ids_are_404(story, api, pk):
    assert_error(api.agent.get(f"/api/v1/complaints/{pk}/"), 404, "not_found")
    assert_error(api.agent.post(f"/api/v1/work-orders/{pk}/claim/", {}, format="json"), 404, "not_found")


def test_an_unknown_address_under_the_api_is_a_json_404(story, api):
    assert_error(api.agent.get("/api/v1/no-such-thing/"), 404, "not_found")


@pytest.mark.parametrize("payload,content_type", [
    ("{not json", "application/json"), ("[1, 2]", "application/json"), ('"text"', "application/json"),
    ("reason=x", "application/x-www-form-urlencoded"),
])
def test_a_body_that_is_not_a_json_object_is_refused_in_the_shape(story, api, payload, content_type):
    case = story.at(Status.RECEIVED)
    response = api.supervisor.post(complaint_url(case.complaint.pk, "escalate"), payload, content_type=content_type)
    assert response.status_code in (400, 415)
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("body", [
    {"reason": ""}, {"reason": None}, {"reason": 42.5}, {"reason": "x" * 301}, {"reason": ["x"]},
    {"reason": "x\x00y"}, {"reason": "ok", "expected_version": "one"}, {"reason": "ok", "expected_version": 10**20},
])
def test_wrong_types_and_sizes_are_400_with_field_errors(story, api, unchanged, body):
    case = story.at(Status.RECEIVED)
    check = unchanged(case)
    response = api.supervisor.post(complaint_url(case.complaint.pk, "escalate"), body, format="json")
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) <= {"reason", "expected_version"} and error["fields"]
    check()


def test_unknown_choices_are_400(story, api):
    case = story.at(Status.RECEIVED)
    body = assert_error(api.agent.post(complaint_url(case.complaint.pk, "resolve-on-the-spot"),
                                       {"resolution": "x", "resolution_code": "magic"}, format="json"), 400, "invalid")
    assert list(body["fields"]) == ["resolution_code"]


def test_a_business_rule_broken_is_400_naming_the_field(story, api, unchanged):
    case = story.at(Status.RECEIVED)
    check = unchanged(case)
    response = api.agent.post(complaint_url(case.complaint.pk, "change-promised-date"),
                              {"promised_reply_at": "2001-01-01T00:00:00Z", "reason": "x"}, format="json")
    assert assert_error(response, 400, "invalid")["fields"] == {
        "promised_reply_at": [response.json()["message"]]}
    check()


def test_options_is_not_a_server_error(story, api):
    assert api.agent.options("/api/v1/complaints/1/escalate/").status_code == 405


def test_a_post_to_no_address_is_a_json_404_even_with_a_session(story, client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(story.people.agent)
    response = csrf_client.post("/api/v1/work-orders/null,null/claim/", {})
    assert_error(response, 404, "not_found")
