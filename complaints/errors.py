"""Typed domain errors: one handler maps them to HTTP 409/403/400, one mixin to a page message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message or str(self.default_message)

    default_message = _("The action could not be performed.")


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"

    def __init__(self, action: str, state: str) -> None:
        from complaints.lifecycle import Action

        label = Action(action).label if action in Action.values else action
        super().__init__(str(_("“%(action)s” is not allowed while the complaint is “%(state)s”.")
                             % {"action": label, "state": state}))
        self.action, self.state = action, state


class NotPermitted(DomainError):
    code = "not_permitted"

    def __init__(self, action: str, why: str = "") -> None:
        from complaints.lifecycle import Action

        label = Action(action).label if action in Action.values else action
        message = why or str(_("You are not allowed to “%(action)s”.") % {"action": label})
        super().__init__(message)
        self.action = action


class StaleVersion(DomainError):
    code = "stale_version"
    default_message = _("Someone changed this since you opened it. Reload to see the newest version.")

    def __init__(self) -> None:
        super().__init__(str(self.default_message))


class InvalidInput(DomainError):
    """A business rule on the input (not a form field's format) was broken."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
