"""What every endpoint of /api/v1/ shares: authentication, object lookup through the visibility
queries, versions as ETags, the Idempotency-Key, and `verb()`, which turns one domain action into one
`POST /<resource>/{id}/<verb>/` endpoint.

An action endpoint is thin: find the resource among those the user may see (404), check the role
table (403), validate the body (400), take the expected version from If-Match or `expected_version`,
call the domain action (409 / 412 / 400 come from its typed errors), answer with the new state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action as drf_action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import ACTION_ERRORS, api_exception_handler
from api.pagination import StableCursorPagination
from complaints.audit import current_origin
from complaints.errors import StaleVersion
from complaints.lifecycle import Action
from complaints.roles import require_action_role

MAX_PK = 2**63 - 1


def parse_pk(value) -> int:
    """A path id: digits within the column's range, else 404 (never a database overflow)."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not 1 <= int(text) <= MAX_PK:
        raise exceptions.NotFound()
    return int(text)


class ResourcePk(serializers.PrimaryKeyRelatedField):
    """A related id in a request body; out-of-range or non-number ids are a 400, never a 500."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            value = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= value <= MAX_PK:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(value)


# --- versions ------------------------------------------------------------------------------------


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(request) -> int | None:
    """The version an If-Match names (`"3"`, `W/"3"` or `3`); `*` or no header: any version.

    A value that can name no version can never match: refused as stale (412), as HTTP says.
    """
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw or raw == "*":
        return None
    first = raw.split(",")[0].strip().removeprefix("W/").strip('"')
    if not (first.isascii() and first.isdigit()) or len(first) > 12:
        raise StaleVersion()
    return int(first)


def expected_version(request, data: dict) -> int | None:
    header = if_match(request)
    in_body = data.pop("expected_version", None)
    if header is not None and in_body is not None and header != in_body:
        raise StaleVersion()
    return header if header is not None else in_body


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=str(_("The ETag of the resource as you last read it; a stale one is refused with 412.")))
ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201],
    description=str(_("The resource's version; send it back as If-Match.")))
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=str(_("Repeat a create with the same key (1-255 characters) to get the first result "
                      "back (200) instead of a second record.")))


class StrictInput(serializers.Serializer):
    """JSON bodies must carry the types the schema says: no number for a text, no "yes" for a boolean.

    (Multipart bodies are all text; DRF's usual coercion applies to them.)
    """

    def to_internal_value(self, data):
        if isinstance(data, dict) and not isinstance(data, QueryDict):
            errors = {}
            for name, field in self.fields.items():
                value = data.get(name)
                if name not in data or value is None or field.read_only:
                    continue
                wrong = (
                    isinstance(field, serializers.CharField) and not isinstance(value, str)
                    or isinstance(field, serializers.BooleanField) and not isinstance(value, bool)
                    or isinstance(field, (serializers.IntegerField, ResourcePk))
                    and (isinstance(value, bool) or not isinstance(value, int))
                )
                if wrong:
                    errors[name] = [str(_("Wrong type: see the schema."))]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class VersionInput(StrictInput):
    """Every action body may carry the version instead of (or as well as) If-Match."""

    expected_version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1,
        help_text=_("The version you last read (same as If-Match); stale: 412."))


def idempotency_intake_key(request) -> str | None:
    """The intake key for an Idempotency-Key: per user, so two clients' keys never meet."""
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return None
    raw = raw.strip()
    if not 1 <= len(raw) <= 255:
        raise exceptions.ValidationError({"Idempotency-Key": [str(_("Send 1 to 255 characters."))]})
    return hashlib.sha256(f"api:{request.user.pk}:{raw}".encode()).hexdigest()


# --- views ---------------------------------------------------------------------------------------


class DomainViewSet(viewsets.GenericViewSet):
    """Token first (so an anonymous call gets 401 with `WWW-Authenticate: Token`), session second."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    pagination_class = StableCursorPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    # <int:pk>: other ids fall through to the JSON 404 at the end of api/urls.py.
    lookup_value_converter = "int"
    # OPTIONS answers 405: the schema at /api/v1/schema/ describes every operation.
    metadata_class = None

    def get_exception_handler(self):
        return api_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if isinstance(request.successful_authenticator, TokenAuthentication):
            # The audit trail says which system acted; OriginMiddleware resets it after the request.
            current_origin.set(f"api:{request.user.get_username()}")

    def visible(self):
        """The resources this user may see: by default the view's queryset; resources with per-user
        visibility override this with their `queries.py` function."""
        return self.get_queryset()

    def get_object(self):
        obj = self.visible().filter(pk=parse_pk(self.kwargs.get("pk"))).first()
        if obj is None:
            raise exceptions.NotFound()
        return obj

    def respond(self, result, serializer_class, status: int = 200) -> Response:
        headers = {"ETag": etag(result.version)} if hasattr(result, "version") else {}
        data = serializer_class(result, context=self.get_serializer_context()).data
        return Response(data, status=status, headers=headers)


Perform = Callable[..., object]


def verb(action: Action, *, perform: Perform, response: type[serializers.Serializer],
         request: type[serializers.Serializer] = VersionInput, summary: str, description: str = "",
         status: int = 200, versioned: bool = True, multipart: bool = False, path: str | None = None,
         name: str | None = None):
    """One domain action as `POST /<resource>/{id}/<verb>/`.

    `perform(view, obj, data, by, version)` calls the action and returns what to answer with. `name` is
    the view attribute the endpoint is assigned to (default: the action's value).
    Append-only actions (`versioned=False`: notes, contact attempts, urges, checks) take no version in
    the domain; a stale If-Match is still refused before they run.
    """

    def endpoint(self, request_, pk=None):
        obj = self.get_object()
        require_action_role(action, request_.user)
        body = request(data=request_.data, context={**self.get_serializer_context(), "object": obj})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(request_, data)
        if not versioned and version is not None and version != obj.version:
            raise StaleVersion()
        result = perform(self, obj, data, request_.user, version)
        return self.respond(result, response, status)

    endpoint.__name__ = name = name or action.value
    endpoint.__doc__ = description or summary
    parsers = [JSONParser, MultiPartParser] if multipart else [JSONParser]
    endpoint = drf_action(detail=True, methods=["post"], url_path=path or action.value.replace("_", "-"),
                          url_name=name.replace("_", "-"), parser_classes=parsers)(endpoint)
    return extend_schema(
        summary=summary, description=description or None, request=request,
        responses={status: OpenApiResponse(response), **ACTION_ERRORS},
        parameters=[IF_MATCH, ETAG] if "version" in response().fields else [IF_MATCH],
    )(endpoint)

