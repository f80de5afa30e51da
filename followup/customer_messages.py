"""Messages to customers (SMS or e-mail), behind a pluggable backend like Django's e-mail backends.

CUSTOMER_MESSAGE_BACKEND names the class; the default writes to the log (console), so development
and tests send nothing. A real SMS gateway plugs in with the same `send(number, text)` method.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from complaints.models import mask_number

log = logging.getLogger("followup.customer_messages")


class ConsoleBackend:
    sent: list[tuple[str, str]] = []

    def send(self, number: str, text: str) -> None:
        # Application logs never hold full numbers.
        log.info("customer message to %s: %s", mask_number(number), text)
        ConsoleBackend.sent.append((number, text))


def backend():
    path = getattr(settings, "CUSTOMER_MESSAGE_BACKEND", "followup.customer_messages.ConsoleBackend")
    return import_string(path)()
