"""POST/GET /api/v1/complaints/, the customer lookup and attachment downloads."""

from __future__ import annotations

import pytest

from complaints.lifecycle import Action, OrderState, Status
from complaints.models import Attachment, Complaint, Event
from tests.api.conftest import assert_error, complaint_url

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def intake(reference, **overrides) -> dict:
    data = {"account": "13600001234", "contact_number": "13600001234", "customer_name": "周女士",
            "category": reference.categories["network_quality"].pk, "description": "家里没有信号。",
            "demand": "尽快修复。", "channel": "phone"}
    data.update(overrides)
    return data


def test_records_a_draft_awaiting_read_back(api, reference):
    response = api.agent.post("/api/v1/complaints/", intake(reference), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    complaint = Complaint.objects.get(pk=body["id"])
    assert complaint.status == Status.DRAFT and body["status"] == "draft"
    assert [e["kind"] for e in body["history"]] == [Action.RECORD.value]
    assert response["ETag"] == f'"{complaint.version}"'
    # Numbers are masked in what the API sends.
    assert body["customer"]["masked_account"] == "136****1234" and "13600001234" not in response.content.decode()


def test_records_and_confirms_the_read_back_in_one_call(api, reference):
    response = api.agent.post("/api/v1/complaints/", intake(reference, read_back_confirmed=True), format="json")
    assert response.status_code == 201
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.status == Status.RECEIVED and complaint.promised_reply_at is not None
    assert list(complaint.events.values_list("kind", flat=True)) == [Action.RECORD, Action.CONFIRM_READ_BACK]


def test_a_failed_read_back_leaves_no_draft_behind(api, reference, monkeypatch):
    from complaints import api as complaints_api
    from complaints.errors import InvalidInput

    def refuse(*args, **kwargs):
        raise InvalidInput("no time limit", "severity")

    monkeypatch.setattr(complaints_api, "confirm_read_back", refuse)
    response = api.agent.post("/api/v1/complaints/", intake(reference, read_back_confirmed=True), format="json")
    assert_error(response, 400, "invalid")
    assert not Complaint.objects.exists() and not Event.objects.exists()


def test_the_same_idempotency_key_returns_the_first_result_and_creates_nothing(api, reference):
    first = api.agent.post("/api/v1/complaints/", intake(reference), format="json", HTTP_IDEMPOTENCY_KEY="crm-42")
    again = api.agent.post("/api/v1/complaints/", intake(reference, description="不同"), format="json",
                           HTTP_IDEMPOTENCY_KEY="crm-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["description"] == "家里没有信号。"
    assert Complaint.objects.count() == 1 and Event.objects.count() == 1


def test_idempotency_keys_are_per_user(api, reference):
    mine = api.agent.post("/api/v1/complaints/", intake(reference), format="json", HTTP_IDEMPOTENCY_KEY="k")
    theirs = api.agent2.post("/api/v1/complaints/", intake(reference), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


def test_an_empty_or_huge_idempotency_key_is_400(api, reference):
    response = api.agent.post("/api/v1/complaints/", intake(reference), format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert list(assert_error(response, 400, "invalid")["fields"]) == ["Idempotency-Key"]
    assert not Complaint.objects.exists()


def test_evidence_is_uploaded_as_multipart_and_downloaded_only_by_who_may_see_it(api, story, evidence_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = intake(story, read_back_confirmed="true")
    data["evidence"] = [SimpleUploadedFile("bill.png", PNG, content_type="image/png")]
    response = api.agent.post("/api/v1/complaints/", data, format="multipart")
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get()
    assert response.json()["attachments"][0]["download"].endswith(f"/api/v1/attachments/{attachment.pk}/download/")

    download = api.agent.get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    # Billing staff see only complaints dispatched to their team: this one was not.
    assert_error(api.billing.get(f"/api/v1/attachments/{attachment.pk}/download/"), 404, "not_found")


def test_a_renamed_file_is_refused(api, reference, evidence_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = intake(reference, evidence=[SimpleUploadedFile("bill.png", b"MZ\x90\x00", content_type="image/png")])
    body = assert_error(api.agent.post("/api/v1/complaints/", data, format="multipart"), 400, "invalid")
    assert "evidence" in body["fields"]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("field,value", [
    ("category", "abc"), ("category", 10**30), ("category", True), ("channel", "carrier-pigeon"),
    ("description", "长" * 5000), ("occurred_at", "yesterday"), ("occurred_at", "0001-01-01T00:00:00Z"),
    ("account", "13 8"), ("contact_number", ["138"]), ("severity", "apocalyptic"), ("media_threat", "perhaps"),
])
def test_bad_input_is_400_with_the_field_named(api, reference, field, value):
    response = api.agent.post("/api/v1/complaints/", intake(reference, **{field: value}), format="json")
    body = assert_error(response, 400, "invalid")
    assert field in body["fields"], body
    assert not Complaint.objects.exists()


def test_a_business_rule_names_its_field(api, reference):
    data = intake(reference, channel="regulator", regulator_case_number="")
    body = assert_error(api.agent.post("/api/v1/complaints/", data, format="json"), 400, "invalid")
    assert list(body["fields"]) == ["regulator_case_number"]


def test_back_office_may_not_record(api, reference):
    assert_error(api.billing.post("/api/v1/complaints/", intake(reference), format="json"), 403, "not_permitted")


def test_retrieve_has_history_orders_notes_and_an_etag(api, story):
    case = story.order_in(OrderState.CLAIMED)
    story.perform(Action.ADD_NOTE, case)
    response = api.agent.get(complaint_url(case.complaint.pk))
    body = response.json()
    assert response["ETag"] == f'"{case.complaint.version}"'
    assert [e["kind"] for e in body["history"]] == ["record", "confirm_read_back", "dispatch", "claim", "add_note"]
    assert [o["state"] for o in body["work_orders"]] == ["claimed"]
    assert body["notes"][0]["body"] == "客户来电询问进度。"


def test_list_filters_orders_and_pages_with_a_cursor(api, story):
    cases = [story.at(Status.RECEIVED) for _ in range(3)] + [story.at(Status.DRAFT)]
    first = api.agent.get("/api/v1/complaints/?status=received&page_size=2&ordering=created_at").json()
    assert [c["id"] for c in first["results"]] == [cases[0].complaint.pk, cases[1].complaint.pk]
    rest = api.agent.get(first["next"]).json()
    assert [c["id"] for c in rest["results"]] == [cases[2].complaint.pk] and rest["next"] is None
    drafts = api.agent.get("/api/v1/complaints/?status=draft").json()["results"]
    assert [c["id"] for c in drafts] == [cases[3].complaint.pk]


@pytest.mark.parametrize("query", ["status=nope", "category=x", "category=99999999999999999999999",
                                   "created_after=yesterday", "received_before=", "page_size=0", "page_size=x",
                                   "cursor=garbage", "cursor=cD0yMDIw"])
def test_bad_list_parameters_are_400(api, story, query):
    story.at(Status.RECEIVED)
    assert_error(api.agent.get(f"/api/v1/complaints/?{query}"), 400, "invalid")


def test_back_office_lists_only_complaints_dispatched_to_their_team(api, story):
    billing = story.order_in(OrderState.QUEUED)
    story.at(Status.RECEIVED)
    assert [c["id"] for c in api.billing.get("/api/v1/complaints/").json()["results"]] == [billing.complaint.pk]
    assert api.network.get("/api/v1/complaints/").json()["results"] == []


def test_customer_lookup_shows_earlier_complaints_masked(api, story):
    case = story.at(Status.RECEIVED, account="13912345678")
    response = api.agent.get("/api/v1/customers/lookup/?number=13912345678")
    body = response.json()
    assert body["customer"]["masked_account"] == "139****5678"
    assert [c["id"] for c in body["complaints"]] == [case.complaint.pk]
    assert "13912345678" not in response.content.decode()
    assert_error(api.agent.get("/api/v1/customers/lookup/?number=00000000"), 404, "not_found")
    assert_error(api.agent.get("/api/v1/customers/lookup/?number=1"), 400, "invalid")
    assert_error(api.billing.get("/api/v1/customers/lookup/?number=13912345678"), 403, "not_permitted")


def test_teams_and_categories_are_readable(api, reference):
    teams = api.billing.get("/api/v1/teams/").json()
    assert {t["code"] for t in teams} >= {"network", "billing", "business"}
    categories = api.agent.get("/api/v1/categories/").json()
    assert {"billing_dispute", "network_quality"} <= {c["code"] for c in categories}
    assert api.agent.get(f"/api/v1/teams/{teams[0]['id']}/").json()["code"] == teams[0]["code"]
