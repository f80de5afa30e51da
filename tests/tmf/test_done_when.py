"""Issue 7's "done when": a system creates a complaint through TMF621 with its token; it reaches the agent's
worklist; it is dispatched and resolved through the domain actions; the TMF621 listener hears of it."""

from __future__ import annotations

import datetime as dt

from complaints.models import Complaint
from followup import actions as followup
from followup.queries import worklist
from routing import actions as routing
from tests.tmf.conftest import HUB, TICKETS, new_ticket
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

        # The system account is the first-contact owner: the complaint is on its agent worklist once its
        # reply is at risk, and on its review list once the back office returns a result.
        at_risk = worklist(system_user, complaint.reply_risk_from + dt.timedelta(minutes=1))["at_risk"]
        assert complaint in at_risk

        with django_capture_on_commit_callbacks(execute=True):
            order = routing.dispatch(complaint, team=story.teams["billing"], by=people.agent,
                                     initial_judgement="疑似重复扣费。", now=story.tick())
            routing.claim(order, by=people.billing, now=story.tick())
            routing.return_result(order, findings="重复扣费属实。", substantiated=True, actions_taken="已退费。",
                                  proposed_answer="退还 30 元。", root_cause="计费规则配置错误", by=people.billing,
                                  now=story.tick())
        assert complaint in worklist(system_user, story.now)["to_review"]
        with django_capture_on_commit_callbacks(execute=True):
            followup.approve_result(order, by=system_user, now=story.tick())
            followup.reply(complaint, summary="已退还 30 元。", by=system_user, now=story.tick())

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
