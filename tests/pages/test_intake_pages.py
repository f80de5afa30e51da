"""The intake pages without a browser: the same flow works with JavaScript off."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.lifecycle import Action, OrderState, Status
from complaints.models import Attachment, Complaint, Severity
from demo.reference import load_reference_data
from demo.users import load_demo_users
from routing.models import Category, WorkOrder

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def users(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    Attachment._meta.get_field("file").storage.location = str(tmp_path)
    load_reference_data()
    return load_demo_users()


@pytest.fixture
def agent_client(client, users):
    client.force_login(users["agent1"])
    return client


def call(**overrides) -> dict:
    data = {
        "intake_key": uuid.uuid4().hex, "account": "13600001234", "contact_number": "13600001234",
        "customer_name": "周女士", "category": Category.objects.get(code="network_quality").pk,
        "description": "家里没有信号。", "demand": "尽快修复。", "occurred_at": "2026-11-27T09:30",
        "channel": "phone",
    }
    data.update(overrides)
    return data


def test_recording_a_call_saves_a_draft_and_shows_the_read_back(agent_client):
    response = agent_client.post(reverse("complaints:new"), call())
    complaint = Complaint.objects.get(customer__account="13600001234")
    assert response.status_code == 302 and response["Location"] == reverse("complaints:read_back", args=[complaint.pk])
    assert complaint.status == Status.DRAFT
    page = agent_client.get(response["Location"]).content.decode()
    assert "家里没有信号" in page and "136****1234" in page


def test_the_same_form_posted_twice_records_one_complaint(agent_client):
    data = call()
    first = agent_client.post(reverse("complaints:new"), data)
    second = agent_client.post(reverse("complaints:new"), data)
    assert first["Location"] == second["Location"]
    assert Complaint.objects.filter(customer__account="13600001234").count() == 1
    assert Complaint.objects.get().events.filter(kind=Action.RECORD).count() == 1


def test_errors_are_shown_by_their_field_and_nothing_typed_is_lost(agent_client):
    response = agent_client.post(reverse("complaints:new"), call(account="12", category="", channel="regulator"))
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"account", "category", "regulator_case_number"}
    html = response.content.decode()
    assert "家里没有信号。" in html and "尽快修复。" in html
    assert not Complaint.objects.exists()


def test_a_lower_severity_than_the_rules_allow_is_refused_on_its_field(agent_client):
    response = agent_client.post(reverse("complaints:new"),
                                 call(group_complaint="on", severity=Severity.GENERAL, severity_reason="只是小事"))
    assert response.status_code == 422
    assert "severity" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_evidence_of_the_wrong_kind_is_refused(agent_client):
    fake = SimpleUploadedFile("bill.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = agent_client.post(reverse("complaints:new"), {**call(), "evidence": [fake]})
    assert response.status_code == 422 and "evidence" in response.context["form"].errors
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = agent_client.post(reverse("complaints:new"), {**call(), "evidence": [exe]})
    assert "evidence" in response.context["form"].errors


def test_evidence_is_stored_privately_and_served_only_to_who_may_see_the_complaint(client, users):
    client.force_login(users["agent1"])
    photo = SimpleUploadedFile("signal.png", PNG, content_type="image/png")
    client.post(reverse("complaints:new"), {**call(), "evidence": [photo]})
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    url = reverse("complaints:attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(users["billing1"])  # not dispatched to billing
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_lookup_without_javascript_shows_the_customer_and_the_repeat(agent_client, users):
    agent_client.post(reverse("complaints:new"), call())
    complaint = Complaint.objects.get()
    agent_client.post(reverse("complaints:read_back", args=[complaint.pk]), {"agreed": "yes"})
    response = agent_client.get(reverse("complaints:new"), {"account": "13600001234"})
    assert response.context["customer"].account == "13600001234"
    assert response.context["repeat_of"] == complaint
    assert complaint.number in response.content.decode()


def test_lookup_partial_for_htmx_renders_only_the_panel(agent_client):
    agent_client.post(reverse("complaints:new"), call())
    response = agent_client.get(reverse("complaints:lookup"), {"account": "13600001234"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith('<aside id="customer-panel"') and "<html" not in html


def test_read_back_needs_the_customers_agreement(agent_client):
    agent_client.post(reverse("complaints:new"), call())
    complaint = Complaint.objects.get()
    response = agent_client.post(reverse("complaints:read_back", args=[complaint.pk]), {})
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.DRAFT
    response = agent_client.post(reverse("complaints:read_back", args=[complaint.pk]), {"agreed": "yes"})
    assert response["Location"] == reverse("routing:triage", args=[complaint.pk])
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.promised_reply_at is not None


def test_stale_read_back_confirmation_is_refused(agent_client):
    agent_client.post(reverse("complaints:new"), call())
    complaint = Complaint.objects.get()
    response = agent_client.post(reverse("complaints:read_back", args=[complaint.pk]),
                                 {"agreed": "yes", "version": complaint.version - 1 or 99})
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.DRAFT


def test_triage_dispatch_to_another_team_needs_a_reason(agent_client, users):
    agent_client.post(reverse("complaints:new"), call())
    complaint = Complaint.objects.get()
    agent_client.post(reverse("complaints:read_back", args=[complaint.pk]), {"agreed": "yes"})
    billing = Category.objects.get(code="billing_dispute").default_team
    url = reverse("routing:triage", args=[complaint.pk])
    response = agent_client.post(url, {"decision": "dispatch", "team": billing.pk, "severity": Severity.GENERAL,
                                       "initial_judgement": "可能是欠费停机。"})
    assert response.status_code == 422 and "team_reason" in response.context["dispatch_form"].errors
    response = agent_client.post(url, {"decision": "dispatch", "team": billing.pk, "severity": Severity.GENERAL,
                                       "initial_judgement": "可能是欠费停机。", "team_reason": "客户已欠费"})
    assert response["Location"] == reverse("routing:first_response", args=[complaint.pk])
    order = WorkOrder.objects.get(complaint=complaint)
    assert order.team == billing and order.state == OrderState.QUEUED
    event = complaint.events.get(kind=Action.DISPATCH)
    assert event.data["team_reason"] == "客户已欠费" and event.data["suggested_team"] == "network"
    page = agent_client.get(response["Location"]).content.decode()
    assert complaint.number in page


def test_triage_raising_the_severity_moves_the_promise(agent_client):
    agent_client.post(reverse("complaints:new"), call())
    complaint = Complaint.objects.get()
    agent_client.post(reverse("complaints:read_back", args=[complaint.pk]), {"agreed": "yes"})
    complaint.refresh_from_db()
    before = complaint.promised_reply_at
    network = Category.objects.get(code="network_quality").default_team
    agent_client.post(reverse("routing:triage", args=[complaint.pk]), {
        "decision": "dispatch", "team": network.pk, "severity": Severity.URGENT, "severity_reason": "整栋楼断网",
        "initial_judgement": "基站故障。"})
    complaint.refresh_from_db()
    assert complaint.severity == Severity.URGENT and complaint.promised_reply_at < before
    assert complaint.events.get(kind=Action.DISPATCH).data["severity_to"] == Severity.URGENT


def test_resolving_on_the_spot_from_triage(agent_client):
    agent_client.post(reverse("complaints:new"), call())
    complaint = Complaint.objects.get()
    agent_client.post(reverse("complaints:read_back", args=[complaint.pk]), {"agreed": "yes"})
    response = agent_client.post(reverse("routing:triage", args=[complaint.pk]), {
        "decision": "resolve", "resolution": "指导客户重启手机后恢复。", "resolution_code": "fixed"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED and complaint.resolved_on_the_spot


def test_back_office_staff_cannot_open_the_intake(client, users):
    client.force_login(users["billing1"])
    assert client.get(reverse("complaints:new")).status_code == 403


def test_lookup_with_a_category_that_is_not_a_number_is_ignored(agent_client):
    agent_client.post(reverse("complaints:new"), call())
    response = agent_client.get(reverse("complaints:lookup"), {"account": "13600001234", "category": "abc"})
    assert response.status_code == 200 and "136****1234" in response.content.decode()
