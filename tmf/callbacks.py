"""Where a listener may be: a callback must not reach the desk's own network by accident (SSRF).

Every address the callback's host resolves to must be a public one, or lie in a network the operator
listed in TMF_CALLBACK_ALLOWED_NETWORKS (its CRM's subnet, say). Link-local (cloud metadata),
multicast, unspecified and reserved addresses are never reached. The check runs when a listener
registers and again before every delivery, so a name that later resolves inward is refused too.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The host's addresses: itself when it is one, else what the resolver answers."""
    with contextlib.suppress(ValueError):
        return [ipaddress.ip_address(host)]
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def refusal(url: str) -> str | None:
    """Why this callback may not be reached, or None when it may."""
    host = urlsplit(url).hostname
    if not host:
        return _("callback has no host.")
    try:
        addresses = _addresses(host)
    except (OSError, UnicodeError, ValueError):
        return _("callback: the host %(host)s cannot be resolved.") % {"host": host}
    allowed = [ipaddress.ip_network(n) for n in settings.TMF_CALLBACK_ALLOWED_NETWORKS]
    for address in addresses:
        if address.is_link_local or address.is_multicast or address.is_unspecified or address.is_reserved:
            return _("callback: %(address)s is not an address a listener may have.") % {"address": address}
        if (address.is_private or address.is_loopback) and not any(address in net for net in allowed):
            return _("callback: %(address)s is on a private network; an admin must allow it "
                     "(TMF_CALLBACK_ALLOWED_NETWORKS).") % {"address": address}
    return None
