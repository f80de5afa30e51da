from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import gettext as _

register = template.Library()


def format_span(seconds: float) -> str:
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = _("%(d)dd %(h)dh") % {"d": days, "h": hours}
    elif hours:
        text = _("%(h)dh %(m)dm") % {"h": hours, "m": mins}
    else:
        text = _("%(m)dm") % {"m": mins}
    return (_("%(span)s left") if seconds >= 0 else _("%(span)s overdue")) % {"span": text}


@register.simple_tag
def countdown(due, now=None) -> str:
    """'3h 20m left' or '2d 1h overdue'; the page's script keeps it current."""
    if due is None:
        return "-"
    return format_span((due - (now or timezone.now())).total_seconds())


@register.filter
def sla(order, now) -> str:
    return order.sla_state(now)


@register.simple_tag
def countdown_units() -> str:
    """The countdown's words for the page's script, in the page's language."""
    units = {"dh": _("%(d)dd %(h)dh"), "hm": _("%(h)dh %(m)dm"), "m": _("%(m)dm"),
             "left": _("%(span)s left"), "overdue": _("%(span)s overdue")}
    return json_script(units, "countdown-units")
