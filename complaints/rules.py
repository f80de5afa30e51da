"""Pure rules of intake: repeat complaints and the severity the facts call for (DOMAIN.md)."""

from __future__ import annotations

import datetime as dt

from complaints.models import Channel, Severity

REPEAT_WINDOW = dt.timedelta(days=30)


def severity_floor(
    *,
    channel: str,
    is_repeat: bool,
    high_value: bool,
    escalation_declared: bool,
    media_threat: bool,
    media_exposure: bool,
    group_complaint: bool,
    data_leak: bool,
) -> tuple[Severity, list[str]]:
    """The lowest severity the facts allow, and the reasons, in the agent's words."""
    floor, reasons = Severity.GENERAL, []

    def at_least(level: Severity, reason: str) -> None:
        nonlocal floor
        reasons.append(reason)
        if Severity.rank(level) > Severity.rank(floor):
            floor = level

    if is_repeat:
        at_least(Severity.IMPORTANT, "repeat")
    if high_value:
        at_least(Severity.IMPORTANT, "high_value")
    if escalation_declared:
        at_least(Severity.IMPORTANT, "escalation_declared")
    if channel == Channel.REGULATOR:
        at_least(Severity.URGENT, "regulator")
    if media_threat:
        at_least(Severity.URGENT, "media_threat")
    if group_complaint:
        at_least(Severity.CRITICAL, "group_complaint")
    if media_exposure:
        at_least(Severity.CRITICAL, "media_exposure")
    if data_leak:
        at_least(Severity.CRITICAL, "data_leak")
    return floor, reasons


def higher(a: str, b: str) -> str:
    return a if Severity.rank(a) >= Severity.rank(b) else b
