"""Pure rules of intake: repeat complaints and the severity the facts call for (DOMAIN.md)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from complaints.models import Channel, Severity

REPEAT_WINDOW = dt.timedelta(days=30)

REASON_LABELS = {
    "repeat": _("repeat complaint"),
    "high_value": _("high-value customer"),
    "escalation_declared": _("customer says they will escalate"),
    "regulator": _("regulator transfer"),
    "media_threat": _("media threat"),
    "group_complaint": _("group complaint"),
    "media_exposure": _("media exposure"),
    "data_leak": _("data leak"),
}


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


def severity_floor_of(complaint) -> tuple[Severity, list[str]]:
    return severity_floor(
        channel=complaint.channel,
        is_repeat=complaint.repeat_of_id is not None,
        high_value=complaint.customer.high_value,
        escalation_declared=complaint.escalation_declared,
        media_threat=complaint.media_threat,
        media_exposure=complaint.media_exposure,
        group_complaint=complaint.group_complaint,
        data_leak=complaint.data_leak,
    )


def suggested_severity(complaint) -> tuple[str, list[str]]:
    """The category's default raised to what the facts call for, and the reasons, for the screen."""
    floor, reasons = severity_floor_of(complaint)
    default = complaint.category.default_severity if complaint.category_id else Severity.GENERAL
    return higher(default, floor), reasons


def reason_labels(reasons: list[str]) -> list[str]:
    return [str(REASON_LABELS.get(r, r)) for r in reasons]
