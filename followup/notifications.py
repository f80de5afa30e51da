"""Who is told about which audit event: one table, read by the delivery task."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from complaints.lifecycle import Action
from complaints.models import Event
from routing.models import Membership, Team, WorkOrder

OWNER, HANDLER, TEAM, TARGET_TEAM, TEAM_SUPERVISOR, NEW_HANDLER, ORDER_HANDLERS = (
    "first_contact_owner", "handler", "team", "target_team", "team_supervisor", "new_handler", "order_handlers")

# action -> who hears of it (the actor never notifies themself)
RECIPIENTS: dict[str, tuple[str, ...]] = {
    Action.DISPATCH: (TEAM,),
    Action.RELEASE: (TEAM,),
    Action.REASSIGN: (NEW_HANDLER,),
    Action.REQUEST_INFORMATION: (OWNER,),
    Action.ANSWER_INFORMATION: (HANDLER,),
    Action.TRANSFER: (TARGET_TEAM,),
    Action.SEND_BACK: (OWNER,),
    Action.REQUEST_SUSPENSION: (TEAM_SUPERVISOR,),
    Action.APPROVE_SUSPENSION: (HANDLER,),
    Action.REFUSE_SUSPENSION: (HANDLER,),
    Action.RETURN_RESULT: (OWNER,),
    Action.URGE: (HANDLER, TEAM_SUPERVISOR),
    Action.REJECT_RESULT: (HANDLER,),
    Action.ADD_NOTE: (OWNER, HANDLER),
    Action.VOID: (OWNER, ORDER_HANDLERS),
    Action.ESCALATE: (OWNER, ORDER_HANDLERS),
}


def recipient_ids(event: Event) -> set[int]:
    """User ids to notify of `event` (a few small queries, whatever the event)."""
    wanted = RECIPIENTS.get(event.kind, ())
    if not wanted:
        return set()
    order: WorkOrder | None = event.work_order
    team_ids: set[int] = set()
    ids: set[int] = set()
    if OWNER in wanted:
        ids.add(event.complaint.first_contact_owner_id)
    if order is not None:
        if HANDLER in wanted:
            if order.claimed_by_id:
                ids.add(order.claimed_by_id)
            elif event.kind == Action.URGE:
                team_ids.add(order.team_id)
        if TEAM in wanted:
            team_ids.add(order.team_id)
        if NEW_HANDLER in wanted and order.claimed_by_id:
            ids.add(order.claimed_by_id)
        if TARGET_TEAM in wanted:
            successor = WorkOrder.objects.filter(transferred_from=order).values_list("team_id", flat=True).first()
            if successor:
                team_ids.add(successor)
        if TEAM_SUPERVISOR in wanted:
            supervisor = Team.objects.filter(pk=order.team_id).values_list("supervisor_id", flat=True).first()
            if supervisor:
                ids.add(supervisor)
    if ORDER_HANDLERS in wanted:
        ids.update(WorkOrder.objects.filter(complaint_id=event.complaint_id, claimed_by__isnull=False)
                   .values_list("claimed_by_id", flat=True))
    if team_ids:
        ids.update(Membership.objects.filter(team_id__in=team_ids).values_list("user_id", flat=True))
    ids.discard(event.actor_id)
    ids.discard(None)
    active = get_user_model().objects.filter(Q(pk__in=ids), is_active=True).values_list("pk", flat=True)
    return set(active)
