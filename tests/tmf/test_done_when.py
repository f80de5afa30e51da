"""Issue 7's "done when": a system creates a complaint through TMF621 with its token; it reaches the agent's
worklist; it is dispatched and resolved through our REST API; the TMF621 listener hears of it."""

from __future__ import annotations

from django.test import Client

from complaints.models import Complaint
from followup.queries import worklist
from tests.tmf.conftest import HUB, TICKETS, client_for, new_ticket
from tests.tmf.listener import Listener
from tmf.models import Delivery, DeliveryStatus


def test_a_ticket_from_the_crm_is_worked_and_resolved_and_the_crm_hears_of_it(
        story, crm, system_user, people, django_capture_on_commit_callbacks):
    listener = Listener().start()
    try:
        hub = crm.post(HUB, {"callback": listener.url}, format="json").json()
        with django_capture_on_commit_callbacks(execute=True):
            created = crm.post(TICKETS, new_ticket(), format="json")
        assert created.status_code == 201
        complaint = Complaint.objects.get(pk=Complaint.pk_from_number(created.json()["id"]))

        # No person owns what a system recorded: it is on every agent's worklist, at risk once its reply is.
        assert complaint in worklist(people.agent, story.now)["from_systems"]
        assert "from_systems" not in worklist(system_user, story.now)
        page = Client()
        page.force_login(people.agent)
        home = page.get("/").content.decode()
        assert 'id="bucket-from_systems"' in home and complaint.number in home

        # Dispatched and resolved through our REST API, by the people whose work it is.
        agent, billing = client_for(people.agent), client_for(people.billing)
        with django_capture_on_commit_callbacks(execute=True):
            dispatched = agent.post(f"/api/v1/complaints/{complaint.pk}/dispatch/",
                                    {"team": story.teams["billing"].pk, "initial_judgement": "疑似重复扣费。"},
                                    format="json")
            assert dispatched.status_code == 201, dispatched.content
            order = dispatched.json()["id"]
            assert billing.post(f"/api/v1/work-orders/{order}/claim/", {}, format="json").status_code == 200
            returned = billing.post(f"/api/v1/work-orders/{order}/return-result/", {
                "findings": "重复扣费属实。", "substantiated": True, "actions_taken": "已退费。",
                "proposed_answer": "退还 30 元。", "root_cause": "计费规则配置错误"}, format="json")
            assert returned.status_code == 200, returned.content
        assert complaint in worklist(people.agent, story.now)["from_systems"]
        with django_capture_on_commit_callbacks(execute=True):
            assert agent.post(f"/api/v1/work-orders/{order}/approve-result/", {}, format="json").status_code == 200
            replied = agent.post(f"/api/v1/complaints/{complaint.pk}/reply/", {"summary": "已退还 30 元。"},
                                 format="json")
            assert replied.status_code == 200, replied.content

        ticket = crm.get(f"{TICKETS}/{complaint.number}").json()
        assert ticket["status"] == "resolved"
        assert [c["status"] for c in ticket["statusChange"]] == ["acknowledged", "inProgress", "resolved"]
        heard = [(e["eventType"], e["event"]["troubleTicket"]["status"]) for e in listener.events()]
        assert heard == [
            ("TroubleTicketCreateEvent", "acknowledged"),
            ("TroubleTicketStatusChangeEvent", "inProgress"),
            ("TroubleTicketStatusChangeEvent", "resolved"),
            ("TroubleTicketResolvedEvent", "resolved"),
        ]
        assert all(Listener.signed_by(r, hub["secret"]) for r in listener.received)
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    finally:
        listener.stop()
