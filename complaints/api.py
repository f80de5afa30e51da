"""/api/v1/complaints/ (record with read-back, list, retrieve with history, read-back, resolve on the
spot, notes), /api/v1/customers/lookup/ and /api/v1/attachments/{id}/download/.

Thin views: the visibility queries of `complaints.queries`, the role table, one action per endpoint.
"""

from __future__ import annotations

import django_filters
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from api.base import ETAG, IDEMPOTENCY_KEY, DomainViewSet, idempotency_intake_key, parse_pk, verb
from api.errors import E400, E401, E403, E404, E409, E415, READ_ERRORS
from api.filters import DateTimeFilter, IdFilter, StrictFilterSet
from complaints import queries
from complaints.actions import add_note, confirm_read_back, record_complaint, resolve_on_the_spot
from complaints.lifecycle import Action, Status
from complaints.models import Channel, Complaint, Note, Severity
from complaints.roles import require_action_role
from complaints.serializers import (
    ComplaintDetailSerializer,
    ComplaintSerializer,
    CustomerHistorySerializer,
    CustomerLookupInput,
    IntakeInput,
    NoteInput,
    NoteSerializer,
    ResolveInput,
)


class ComplaintFilter(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    category = IdFilter(field_name="category_id")
    customer = IdFilter(field_name="customer_id")
    first_contact_owner = IdFilter(field_name="first_contact_owner_id")
    is_repeat = django_filters.BooleanFilter(field_name="repeat_of", lookup_expr="isnull", exclude=True)
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    received_after = DateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = DateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = Complaint
        fields: list[str] = []


def _detail(complaint: Complaint) -> Complaint:
    """The complaint with what its page shows, in five reads whatever their number."""
    orders = complaint.work_orders.model.objects.select_related("team", "claimed_by").order_by("dispatched_at", "pk")
    found = (
        Complaint.objects.select_related("customer", "category", "first_contact_owner")
        .prefetch_related(
            Prefetch("events", queryset=queries.complaint_history(complaint)),
            Prefetch("work_orders", queryset=orders),
            Prefetch("notes", queryset=Note.objects.select_related("author").order_by("created_at", "pk")),
            "attachments",
        )
        .get(pk=complaint.pk)
    )
    return found


def _record(view, request):
    """record_complaint, and confirm_read_back in the same transaction when the client says the customer
    agreed; a repeated Idempotency-Key returns the first result."""
    require_action_role(Action.RECORD, request.user)
    key = idempotency_intake_key(request)
    if key is not None:
        existing = Complaint.objects.filter(intake_key=key).first()
        if existing is not None:
            return view.respond(_detail(existing), ComplaintDetailSerializer, 200)
    body = IntakeInput(data=request.data)
    body.is_valid(raise_exception=True)
    with transaction.atomic():
        complaint = record_complaint(body.intake(), by=request.user, intake_key=key,
                                     evidence=body.validated_data.get("evidence") or [])
        if body.validated_data["read_back_confirmed"] and complaint.status == Status.DRAFT:
            complaint = confirm_read_back(complaint, by=request.user)
    return view.respond(_detail(complaint), ComplaintDetailSerializer, 201)


class ComplaintViewSet(mixins.ListModelMixin, DomainViewSet):
    queryset = Complaint.objects.none()
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]
    # Create takes evidence files; each verb declares its own (JSON) parsers.
    parser_classes = [JSONParser, MultiPartParser]

    def visible(self):
        return queries.visible_complaints(self.request.user)

    def get_queryset(self):
        return queries.complaint_list(self.visible())

    @extend_schema(summary=_("Complaints you may see"), responses={200: ComplaintSerializer(many=True), **READ_ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("One complaint with its history, work orders, notes and attachments"),
                   responses={200: ComplaintDetailSerializer, **E401, **E404}, parameters=[ETAG])
    def retrieve(self, request, pk=None):
        return self.respond(_detail(self.get_object()), ComplaintDetailSerializer)

    @extend_schema(
        summary=_("Record a complaint (and confirm its read-back)"),
        description=_("With `read_back_confirmed: true` the complaint is recorded and received in one "
                      "transaction. Multipart bodies may carry `evidence` files. The same Idempotency-Key "
                      "from the same user returns the first result with 200 and records nothing."),
        request={"application/json": IntakeInput, "multipart/form-data": IntakeInput},
        responses={201: ComplaintDetailSerializer, 200: ComplaintDetailSerializer,
                   **E400, **E401, **E403, **E409, **E415},
        parameters=[IDEMPOTENCY_KEY, ETAG],
    )
    def create(self, request):
        return _record(self, request)

    confirm_read_back = verb(
        Action.CONFIRM_READ_BACK, response=ComplaintSerializer,
        perform=lambda view, c, d, by, v: confirm_read_back(c, by=by, expected_version=v),
        summary=_("Confirm the read-back: the customer agreed; the complaint is received"))
    resolve_on_the_spot = verb(
        Action.RESOLVE_ON_THE_SPOT, request=ResolveInput, response=ComplaintSerializer,
        perform=lambda view, c, d, by, v: resolve_on_the_spot(c, by=by, expected_version=v, **d),
        summary=_("Resolve on the spot (first-contact resolution)"))
    add_note = verb(
        Action.ADD_NOTE, request=NoteInput, response=NoteSerializer, status=201, versioned=False, path="notes",
        perform=lambda view, c, d, by, v: add_note(c, body=d["body"], by=by),
        summary=_("Add a note to the complaint"))



class CustomerViewSet(DomainViewSet):
    queryset = Complaint.objects.none()
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary=_("A customer by service or contact number, with earlier complaints (numbers masked)"),
        parameters=[OpenApiParameter("number", OpenApiTypes.STR, required=True,
                                     description=str(_("Service number / account or contact number (5-40).")))],
        responses={200: CustomerHistorySerializer, **READ_ERRORS},
    )
    @drf_action(detail=False, methods=["get"])
    def lookup(self, request):
        require_action_role(Action.RECORD, request.user)
        query = CustomerLookupInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        customer, earlier = queries.customer_with_history(query.validated_data["number"])
        if customer is None:
            raise exceptions.NotFound()
        data = CustomerHistorySerializer({"customer": customer, "complaints": earlier},
                                         context=self.get_serializer_context()).data
        return Response(data)


class AttachmentViewSet(DomainViewSet):
    queryset = Complaint.objects.none()
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary=_("Download an attachment (only if you may see its complaint)"),
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY), **E401, **E404},
    )
    @drf_action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = queries.visible_attachment(request.user, parse_pk(pk))
        if attachment is None:
            raise exceptions.NotFound()
        response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        return response
