"""One JSON shape for every error the API returns: `{"code": ..., "message": ..., "fields": {...}}`.

The domain's typed errors map to HTTP here and nowhere else: an illegal transition is 409, a role
or team that may not act is 403, a stale version (If-Match or `expected_version`) is 412, a broken
business rule on the input is 400 with the field named. DRF's own errors (parsing, validation,
authentication, not found) are reshaped into the same form.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from complaints.errors import DomainError, InvalidInput, NotPermitted, StaleVersion, TransitionNotAllowed

NON_FIELD = "non_field_errors"


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy(
        "Machine-readable: invalid, parse_error, not_authenticated, authentication_failed, not_permitted, "
        "permission_denied, not_found, method_not_allowed, unsupported_media_type, transition_not_allowed, "
        "already_claimed, stale_version, throttled."))
    message = serializers.CharField(help_text=gettext_lazy("For people, in the request's language."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy("Messages per input field (400 only; empty otherwise)."))


def domain_status(error: DomainError) -> int:
    if isinstance(error, StaleVersion):
        return status.HTTP_412_PRECONDITION_FAILED
    if isinstance(error, NotPermitted):
        return status.HTTP_403_FORBIDDEN
    if isinstance(error, TransitionNotAllowed):
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


def body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as `{"field": [...], "evidence.0": [...]}`."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten(value, name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            out.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or NON_FIELD: [str(detail)]}


def _from_api_exception(exc: exceptions.APIException) -> tuple[str, str, dict]:
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
        first = next(iter(fields.values()), [""])[0]
        return "invalid", first or _("The input is not valid."), fields
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    if isinstance(exc, exceptions.PermissionDenied):
        code = "permission_denied"
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
    return code, str(detail), {}


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error the API raises, in the one shape."""
    if isinstance(exc, DomainError):
        fields = {}
        if isinstance(exc, InvalidInput):
            fields = {exc.field or NON_FIELD: [exc.message]}
        return Response(body(exc.code, exc.message, fields), status=domain_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code, message, fields = _from_api_exception(exc)
    response.data = body(code, message, fields)
    return response


@csrf_exempt  # a POST to no address is a 404, not a CSRF failure page
def not_found(request, *args, **kwargs):
    """Any /api/ address no route matches: the error shape, not the site's HTML 404 page."""
    return JsonResponse(body("not_found", _("Not found.")), status=404)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# The error responses each kind of operation documents (status code -> description).
E400 = {400: error("Invalid input: `fields` names each field at fault.")}
E401 = {401: error("Not authenticated (send `Authorization: Token <key>` or log in).")}
E403 = {403: error("This role, team or handler may not perform this action.")}
E404 = {404: error("No such resource, or not visible to you.")}
E409 = {409: error("Not allowed in the resource's current state (`transition_not_allowed`, `already_claimed`).")}
E412 = {412: error("Stale version: the If-Match / `expected_version` is not the current one; nothing changed.")}
E415 = {415: error("Unsupported media type.")}
READ_ERRORS = {**E400, **E401, **E403, **E404}
ACTION_ERRORS = {**E400, **E401, **E403, **E404, **E409, **E412, **E415}
