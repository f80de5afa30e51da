"""The TMF621 Trouble Ticket endpoints and the /hub: thin views over tmf.queries and tmf.actions."""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.errors import NotPermitted
from complaints.lifecycle import Action
from complaints.queries import intake_categories
from complaints.roles import may
from tmf import actions, inputs, queries
from tmf.errors import bad_request, error_response, handle_exception, not_found
from tmf.mapping import select_fields, ticket_dict, ticket_href

log = logging.getLogger(__name__)


class MergePatchParser(JSONParser):
    media_type = "application/merge-patch+json"


class JsonOnly(BaseContentNegotiation):
    """The interface speaks JSON whatever the Accept header asks for."""

    def select_parser(self, request, parsers):
        content_type = request.content_type.split(";")[0].strip().lower()
        return next((p for p in parsers if p.media_type == content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _exception_handler(exc, context):
    response = handle_exception(exc, context)
    if response is None:
        log.exception("TMF621 request failed", exc_info=exc)
        response = error_response(500, "internalError", _("Internal server error"),
                                  _("The request could not be completed."))
    return response


def no_content() -> HttpResponse:
    # The spec `produces` JSON for every response, the empty 204 included (DRF's Response drops it).
    return HttpResponse(status=204, content_type="application/json;charset=utf-8")


class TmfView(APIView):
    # Token first: an unauthenticated call gets 401 with `WWW-Authenticate: Token`.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MergePatchParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly
    schema = None  # described by the TM Forum's own spec (tmf/spec/), not by our OpenAPI document

    def get_exception_handler(self):
        return _exception_handler

    def base(self) -> str:
        return self.request.build_absolute_uri("/").rstrip("/")

    def fields(self) -> list[str] | None:
        raw = self.request.query_params.get("fields")
        return [f.strip() for f in raw.split(",") if f.strip()] if raw else None


class TroubleTicketList(TmfView):
    def get(self, request):
        offset, limit = queries.paging(request.query_params)
        qs = queries.filtered(request.user, request.query_params)
        total = qs.count()
        page = list(queries.with_everything(qs)[offset:offset + limit]) if limit else []
        fields, base = self.fields(), self.base()
        body = [select_fields(ticket_dict(c, base=base), fields) for c in page]
        return Response(body, headers={"X-Total-Count": str(total), "X-Result-Count": str(len(body))})

    def post(self, request):
        if not may(request.user, Action.RECORD):
            raise NotPermitted(Action.RECORD)
        categories = {c.code: c for c in intake_categories()}
        ticket_in = inputs.ticket_create(request.data, categories=categories)
        complaint, _created = actions.create_ticket(ticket_in, by=request.user)
        complaint = queries.ticket(request.user, complaint.number)
        if complaint is None:
            raise not_found()
        body = ticket_dict(complaint, base=self.base())
        return Response(body, status=201, headers={"Location": ticket_href(complaint, self.base())})


class TroubleTicketDetail(TmfView):
    def _get(self, ticket_id: str):
        complaint = queries.ticket(self.request.user, ticket_id)
        if complaint is None:
            raise not_found()
        return complaint

    def get(self, request, ticket_id: str):
        return Response(select_fields(ticket_dict(self._get(ticket_id), base=self.base()), self.fields()))

    def patch(self, request, ticket_id: str):
        complaint = self._get(ticket_id)
        if request.stream is None:
            raise bad_request(_("The body is required: the attributes to change (JSON merge-patch)."))
        patch = inputs.ticket_patch(request.data)
        inputs.check_unchanged(patch, ticket_dict(complaint))
        actions.patch_ticket(complaint, patch, by=request.user)
        return Response(ticket_dict(self._get(ticket_id), base=self.base()))

    def delete(self, request, ticket_id: str):
        actions.cancel_ticket(self._get(ticket_id), by=request.user)
        return no_content()


def subscription_dict(subscription, *, secret: bool = False) -> dict:
    body = {"id": str(subscription.pk), "callback": subscription.callback, "query": subscription.query}
    if secret:
        # Shown once, at registration: the listener checks each notification's X-Signature with it.
        body["secret"] = subscription.secret
    return body


class Hub(TmfView):
    def post(self, request):
        data = inputs.subscription_in(request.data)
        subscription = actions.register_listener(**data, by=request.user)
        return Response(subscription_dict(subscription, secret=True), status=201,
                        headers={"Location": request.build_absolute_uri(str(subscription.pk))})


class HubDetail(TmfView):
    def delete(self, request, subscription_id: str):
        actions.unregister_listener(subscription_id, by=request.user)
        return no_content()
