"""/troubleTicket: create, list, retrieve, merge-patch and DELETE (which cancels), through the domain actions."""

from __future__ import annotations

import base64

import pytest

from complaints.lifecycle import Action, Status
from complaints.models import Attachment, Complaint, Event, Note
from tests.tmf.conftest import TICKETS, assert_tmf_error, client_for, new_ticket
from tmf.mapping import TMF_STATUS
from tmf.models import AttachmentRef, TicketInfo

S = Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def test_creates_an_acknowledged_ticket_through_record_and_read_back(crm, system_user):
    response = crm.post(TICKETS, new_ticket(attachment=[
        {"url": "https://crm.example.com/files/bill-0601.pdf", "name": "bill.pdf", "mimeType": "application/pdf"},
        {"content": base64.b64encode(PNG).decode(), "name": "screen.png", "mimeType": "image/png"},
    ]), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["id"] == complaint.number and response["Location"].endswith(f"/troubleTicket/{complaint.number}")
    assert (complaint.status, complaint.first_contact_owner, complaint.channel) == (S.RECEIVED, system_user, "online")
    assert (complaint.category.code, complaint.demand) == ("billing_dispute", "退还多扣的费用。")
    assert [e.kind for e in Event.objects.order_by("pk")] == [Action.RECORD, Action.CONFIRM_READ_BACK, Action.ADD_NOTE]
    assert body["status"] == "acknowledged" and body["expectedResolutionDate"] == complaint.promised_reply_at.isoformat()
    assert [n["text"] for n in body["note"]] == ["客户在 App 内提交。"]
    assert {a["name"] for a in body["attachment"]} == {"bill.pdf", "screen.png"}
    assert Attachment.objects.get().content_type == "image/png"
    assert AttachmentRef.objects.get().url == "https://crm.example.com/files/bill-0601.pdf"
    info = TicketInfo.objects.get()
    assert (info.external_id, info.name) == ("CRM-1001", "账单争议")
    customer = next(p for p in body["relatedParty"] if p["role"] == "customer")
    assert customer["serviceNumber"] == "138****8000" and "13800138000" not in response.content.decode()
    assert body["statusChange"][0]["status"] == "acknowledged"


def test_the_same_external_id_posted_again_returns_the_first_ticket(crm):
    first = crm.post(TICKETS, new_ticket(), format="json").json()
    again = crm.post(TICKETS, new_ticket(), format="json")
    assert again.status_code == 201 and again.json()["id"] == first["id"]
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("change, code", [
    ({"ticketType": "no_such_category"}, "invalidValue"),
    ({"severity": "catastrophic"}, "invalidValue"),
    ({"relatedParty": []}, "missingCustomer"),
    ({"description": 42}, "invalidRequest"),
    ({"status": "closed"}, "invalidStatus"),
    ({"attachment": [{"content": base64.b64encode(b"MZ...").decode(), "name": "run.exe"}]}, "invalidValue"),
])
def test_refuses_a_bad_ticket_in_the_error_shape_and_records_nothing(crm, change, code):
    assert_tmf_error(crm.post(TICKETS, new_ticket(**change), format="json"), 400, code)
    assert not Complaint.objects.exists()


def test_back_office_staff_may_not_create_tickets(people):
    assert_tmf_error(client_for(people.billing).post(TICKETS, new_ticket(), format="json"), 403, "notPermitted")


def test_unauthenticated_calls_get_401_in_the_error_shape(client):
    response = client.get(TICKETS)
    assert_tmf_error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("status", [s for s in Status if s != S.DRAFT])
def test_every_status_maps_to_the_spec_status(story, crm, status):
    case = story.at(status)
    body = crm.get(f"{TICKETS}/{case.complaint.number}").json()
    assert body["status"] == TMF_STATUS[status]
    expected = {S.RECEIVED: "acknowledged", S.DISPATCHED: "inProgress", S.IN_PROGRESS: "inProgress",
                S.UNDER_REVIEW: "inProgress", S.AWAITING_REPLY: "inProgress", S.WAITING_INFO: "pending",
                S.SUSPENDED: "held", S.REPLIED: "resolved", S.CLOSED: "closed", S.VOIDED: "cancelled",
                S.REJECTED: "rejected"}[status]
    assert body["status"] == expected
    assert body["statusChange"][-1]["status"] == expected


def test_a_draft_is_not_a_ticket_yet(story, crm):
    draft = story.draft()
    assert_tmf_error(crm.get(f"{TICKETS}/{draft.number}"), 404, "notFound")
    assert crm.get(TICKETS)["X-Total-Count"] == "0"


def test_unknown_ids_are_404_in_the_error_shape(crm):
    for ticket_id in ("TS99999999", "nonsense", "9" * 40):
        assert_tmf_error(crm.get(f"{TICKETS}/{ticket_id}"), 404, "notFound")


def test_back_office_staff_see_only_their_teams_tickets(story, people):
    mine = story.at(S.DISPATCHED)  # to billing
    other = story.at(S.RECEIVED)
    billing = client_for(people.billing)
    assert billing.get(f"{TICKETS}/{mine.complaint.number}").status_code == 200
    assert_tmf_error(billing.get(f"{TICKETS}/{other.complaint.number}"), 404)
    assert [t["id"] for t in billing.get(TICKETS).json()] == [mine.complaint.number]


def test_retrieve_selects_fields(story, crm):
    case = story.at(S.RECEIVED)
    body = crm.get(f"{TICKETS}/{case.complaint.number}", {"fields": "status,severity"}).json()
    assert set(body) == {"id", "href", "@type", "status", "severity"}


# --- the list ---------------------------------------------------------------------------------


@pytest.fixture
def six(story):
    """Six tickets: received, dispatched, two replied, voided, and one urgent on the network category."""
    return {
        "received": story.at(S.RECEIVED).complaint,
        "dispatched": story.at(S.DISPATCHED).complaint,
        "replied": story.at(S.REPLIED).complaint,
        "replied2": story.at(S.REPLIED).complaint,
        "voided": story.at(S.VOIDED).complaint,
        "urgent": story.at(S.RECEIVED, category=story.categories["network_quality"], severity="urgent",
                           severity_reason="基站故障").complaint,
    }


def ids(response) -> list[str]:
    return [t["id"] for t in response.json()]


def test_list_pages_with_offset_and_limit_and_counts(six, crm):
    newest_first = [c.number for c in sorted(six.values(), key=lambda c: (c.created_at, c.pk), reverse=True)]
    response = crm.get(TICKETS, {"offset": 1, "limit": 2})
    assert response.status_code == 200
    assert (response["X-Total-Count"], response["X-Result-Count"]) == ("6", "2")
    assert ids(response) == newest_first[1:3]
    assert crm.get(TICKETS, {"limit": 0})["X-Result-Count"] == "0"
    assert_tmf_error(crm.get(TICKETS, {"limit": "many"}), 400)
    assert_tmf_error(crm.get(TICKETS, {"offset": ""}), 400)


@pytest.mark.parametrize("params, expected", [
    ({"status": "resolved"}, {"replied", "replied2"}),
    ({"status": "acknowledged,cancelled"}, {"received", "voided", "urgent"}),
    ({"severity": "urgent"}, {"urgent"}),
    ({"ticketType": "network_quality"}, {"urgent"}),
    ({"channel.name": "phone", "status": "inProgress"}, {"dispatched"}),
])
def test_list_filters_by_attribute(six, crm, params, expected):
    response = crm.get(TICKETS, params)
    assert set(ids(response)) == {six[name].number for name in expected}
    assert response["X-Total-Count"] == str(len(expected))


def test_list_filters_by_the_customers_related_party_id(six, crm):
    customer = six["replied"].customer
    assert ids(crm.get(TICKETS, {"relatedParty.id": customer.account})) == [six["replied"].number]
    assert ids(crm.get(TICKETS, {"relatedParty.id": str(customer.pk)})) == [six["replied"].number]


def test_list_refuses_unknown_filters(crm):
    assert_tmf_error(crm.get(TICKETS, {"colour": "red"}), 400, "invalidFilter")
    assert_tmf_error(crm.get(TICKETS, {"status": "open"}), 400, "invalidFilter")


def test_list_selects_fields(six, crm):
    body = crm.get(TICKETS, {"fields": "status"}).json()
    assert {frozenset(t) for t in body} == {frozenset({"id", "href", "@type", "status"})}


def test_list_has_a_fixed_number_of_queries_whatever_the_limit(six, crm, django_assert_num_queries):
    # token, the user's groups, count, page, then notes, attachments, attachment refs, status events
    with django_assert_num_queries(8):
        assert len(crm.get(TICKETS, {"limit": 1}).json()) == 1
    with django_assert_num_queries(8):
        assert len(crm.get(TICKETS, {"limit": 100}).json()) == 6


# --- PATCH ------------------------------------------------------------------------------------


def patch(client, complaint, body, content_type="application/merge-patch+json"):
    import json

    return client.patch(f"{TICKETS}/{complaint.number}", json.dumps(body), content_type=content_type)


def test_patch_adds_notes_through_add_note(story, crm):
    case = story.at(S.DISPATCHED)
    current = crm.get(f"{TICKETS}/{case.complaint.number}").json()
    response = patch(crm, case.complaint, {"note": [*current["note"], {"text": "客户来电催促。"}]})
    assert response.status_code == 200, response.json()
    assert [n["text"] for n in response.json()["note"]][-1] == "客户来电催促。"
    assert Event.objects.filter(complaint=case.complaint).last().kind == Action.ADD_NOTE


def test_patch_accepts_plain_json_too(story, crm):
    case = story.at(S.DISPATCHED)
    response = patch(crm, case.complaint, {"note": [{"text": "补充说明。"}]}, content_type="application/json")
    assert response.status_code == 200
    assert Note.objects.filter(complaint=case.complaint, body="补充说明。").exists()


def test_patch_resolves_through_reply_when_a_reply_is_due(story, crm):
    case = story.at(S.AWAITING_REPLY)
    response = patch(crm, case.complaint, {"status": "resolved", "statusChangeReason": "已退还 30 元。"})
    assert response.status_code == 200, response.json()
    case.refresh()
    assert (case.complaint.status, case.complaint.reply_summary) == (S.REPLIED, "已退还 30 元。")
    assert response.json()["status"] == "resolved"
    assert Event.objects.filter(complaint=case.complaint).last().kind == Action.REPLY


def test_patch_closes_through_close_after_the_return_visit(story, crm):
    case = story.at(S.REPLIED, visited=True)
    response = patch(crm, case.complaint, {"status": "closed", "resolutionCode": "refunded"})
    assert response.status_code == 200, response.json()
    case.refresh()
    assert case.complaint.status == S.CLOSED and case.complaint.root_cause == "计费规则配置错误"
    assert case.complaint.responsible_team.code == "billing"


def test_patch_reopens_a_closed_ticket(story, crm):
    case = story.at(S.CLOSED)
    response = patch(crm, case.complaint, {"status": "acknowledged", "statusChangeReason": "问题复现。"})
    assert response.status_code == 200, response.json()
    assert Complaint.objects.get(pk=case.complaint.pk).status == S.RECEIVED


def test_patch_moves_the_expected_resolution_date_through_change_promised_date(story, crm):
    case = story.at(S.DISPATCHED)
    new_date = (case.complaint.promised_reply_at + __import__("datetime").timedelta(days=2)).isoformat()
    refused = patch(crm, case.complaint, {"expectedResolutionDate": new_date})
    assert_tmf_error(refused, 400)
    response = patch(crm, case.complaint, {"expectedResolutionDate": new_date, "statusChangeReason": "等待厂家。"})
    assert response.status_code == 200, response.json()
    assert Event.objects.filter(complaint=case.complaint).last().kind == Action.CHANGE_PROMISED_DATE


@pytest.mark.parametrize("status, target, http_status", [
    (S.RECEIVED, "closed", 409),        # close needs a reply first
    (S.DISPATCHED, "resolved", 409),   # reply needs an accepted result
    (S.CLOSED, "cancelled", 409),      # a closed complaint is not voided
    (S.DISPATCHED, "acknowledged", 409),
    (S.DISPATCHED, "held", 409),       # follows from the work orders
    (S.RECEIVED, "pending", 409),
])
def test_an_illegal_status_change_is_refused_and_nothing_changes(story, crm, supervisor_api, unchanged, status,
                                                                 target, http_status):
    case = story.at(status)
    still = unchanged(case)
    client = supervisor_api if target == "cancelled" else crm
    response = patch(client, case.complaint, {"status": target, "statusChangeReason": "测试。",
                                              "note": [{"text": "不应保存的备注。"}]})
    body = assert_tmf_error(response, http_status)
    assert body["code"] in {"transitionNotAllowed", "statusNotSettable"}
    still()


def test_a_patch_of_a_fixed_attribute_is_refused(story, crm, unchanged):
    case = story.at(S.RECEIVED)
    still = unchanged(case)
    assert_tmf_error(patch(crm, case.complaint, {"description": "换一个描述"}), 400, "notChangeable")
    still()
    same = patch(crm, case.complaint, {"description": case.complaint.description, "severity": "general"})
    assert same.status_code == 200


def test_an_agent_may_not_cancel_and_gets_403(story, crm, unchanged):
    case = story.at(S.RECEIVED)
    still = unchanged(case)
    assert_tmf_error(patch(crm, case.complaint, {"status": "cancelled", "statusChangeReason": "重复"}), 403,
                     "notPermitted")
    assert_tmf_error(crm.delete(f"{TICKETS}/{case.complaint.number}"), 403, "notPermitted")
    still()


def test_a_supervisor_rejects_what_is_not_a_complaint(story, supervisor_api):
    case = story.at(S.RECEIVED)
    response = patch(supervisor_api, case.complaint, {"status": "rejected", "statusChangeReason": "咨询，非投诉。"})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert Complaint.objects.get(pk=case.complaint.pk).status == S.REJECTED


# --- DELETE -----------------------------------------------------------------------------------


def test_delete_cancels_through_void_and_keeps_everything(story, supervisor_api, people):
    case = story.at(S.DISPATCHED)
    url = f"{TICKETS}/{case.complaint.number}"
    response = supervisor_api.delete(url)
    assert response.status_code == 204
    complaint = Complaint.objects.get(pk=case.complaint.pk)
    assert complaint.status == S.VOIDED and "TMF621" in complaint.void_reason
    event = Event.objects.filter(complaint=complaint).last()
    assert (event.kind, event.actor) == (Action.VOID, people.supervisor)
    body = supervisor_api.get(url).json()
    assert body["status"] == "cancelled" and body["statusChange"][-1]["status"] == "cancelled"
    assert supervisor_api.delete(url).status_code == 204  # cancelling again changes nothing
    assert Event.objects.filter(complaint=complaint, kind=Action.VOID).count() == 1


def test_delete_of_a_closed_ticket_is_a_conflict(story, supervisor_api, unchanged):
    case = story.at(S.CLOSED)
    still = unchanged(case)
    assert_tmf_error(supervisor_api.delete(f"{TICKETS}/{case.complaint.number}"), 409, "transitionNotAllowed")
    still()


def test_unsupported_methods_are_405_with_allow(crm):
    response = crm.put(TICKETS, {}, format="json")
    assert_tmf_error(response, 405, "methodNotAllowed")
    assert "GET" in response["Allow"]
