from __future__ import annotations

from django.db import transaction

from followup.notifications import RECIPIENTS


def queue_delivery(sender, event, **kwargs) -> None:
    if event.kind in RECIPIENTS:
        from followup.tasks import deliver_event

        transaction.on_commit(lambda: deliver_event.delay(event.pk))
