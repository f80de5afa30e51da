"""Reads the environment once and fails loudly, naming the variable, on a bad value."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlparse

T = TypeVar("T")


class ConfigurationError(Exception):
    """A required setting is missing or malformed; the message names the variable."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be one of 1/0, true/false, yes/no, on/off (got {raw!r})")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number (got {raw!r})") from None
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be between {minimum} and {maximum} (got {value})")
    return value


def env_str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_parsed(name: str, default: T, parse: Callable[[str], T], expected: str) -> T:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return parse(raw)
    except (ValueError, TypeError):
        raise ConfigurationError(f"{name} must be {expected} (got {raw!r})") from None


def require_url(name: str, schemes: set[str]) -> str | None:
    raw = env_str(name)
    if raw is None:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not (parsed.hostname or parsed.path):
        allowed = ", ".join(sorted(s + "://" for s in schemes))
        raise ConfigurationError(f"{name} must be a URL starting with {allowed} (got {raw.split('@')[-1]!r})")
    return raw


def parse_hhmm(raw: str) -> tuple[int, int]:
    hours, minutes = raw.split(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError(raw)
    return h, m


def parse_networks(raw: str) -> list[str]:
    """Comma-separated IP networks (CIDR); ValueError on a malformed one."""
    import ipaddress

    return [str(ipaddress.ip_network(item.strip(), strict=False)) for item in raw.split(",") if item.strip()]
