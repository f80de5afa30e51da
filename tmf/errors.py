"""Every refusal in the TMF Error shape: {code, reason, message, status, @type}.

Domain errors map as everywhere else (not permitted 403, transition not allowed / stale 409, invalid 400);
DRF's own errors (authentication 401, permission 403, not found 404, method 405, parse 400) and the
statuses the spec does not list (415, 406) answer in the same shape.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from complaints.errors import DomainError, InvalidInput, NotPermitted, StaleVersion, TransitionNotAllowed


class TmfError(Exception):
    def __init__(self, http_status: int, code: str, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.http_status, self.code, self.reason, self.message = http_status, code, reason, message or reason


def bad_request(message: str, code: str = "invalidRequest") -> TmfError:
    return TmfError(400, code, _("Bad request"), message)


def not_found() -> TmfError:
    return TmfError(404, "notFound", _("Not found"), _("No such resource, or you may not see it."))


def error_body(http_status: int, code: str, reason: str, message: str) -> dict:
    return {"@type": "Error", "code": code, "reason": str(reason), "message": str(message), "status": str(http_status)}


def error_response(http_status: int, code: str, reason: str, message: str, headers: dict | None = None) -> Response:
    return Response(error_body(http_status, code, reason, message), status=http_status, headers=headers)


def _domain(exc: DomainError) -> tuple[int, str, str]:
    if isinstance(exc, NotPermitted):
        return 403, "notPermitted", _("Forbidden")
    if isinstance(exc, (TransitionNotAllowed, StaleVersion)):
        return 409, "transitionNotAllowed" if isinstance(exc, TransitionNotAllowed) else "staleVersion", _("Conflict")
    if isinstance(exc, InvalidInput):
        return 400, "invalidValue", _("Bad request")
    return 409, exc.code, _("Conflict")


def handle_exception(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, TmfError):
        return error_response(exc.http_status, exc.code, exc.reason, exc.message)
    if isinstance(exc, DomainError):
        http_status, code, reason = _domain(exc)
        message = exc.message
        field = getattr(exc, "field", None)
        if field:
            message = f"{message} ({field})"
        return error_response(http_status, code, reason, message)
    if isinstance(exc, RequestDataTooBig):
        return error_response(400, "invalidRequest", _("Bad request"),
                              _("The body is larger than this server accepts; send large files by url."))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        http_status = exc.status_code
        # The spec documents 400, 401, 403, 404, 405, 409 and 500 only.
        if http_status in (status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, status.HTTP_406_NOT_ACCEPTABLE):
            http_status = status.HTTP_400_BAD_REQUEST
        detail = exc.detail
        message = detail if isinstance(detail, str) else str(detail)
        code = {401: "unauthorized", 403: "forbidden", 404: "notFound", 405: "methodNotAllowed"}.get(
            http_status, "invalidRequest")
        return error_response(http_status, code, status_reason(http_status), message, headers)
    return None


def status_reason(http_status: int) -> str:
    return {
        400: _("Bad request"), 401: _("Unauthorized"), 403: _("Forbidden"), 404: _("Not found"),
        405: _("Method not allowed"), 409: _("Conflict"), 429: _("Too many requests"),
    }.get(http_status, _("Error"))
