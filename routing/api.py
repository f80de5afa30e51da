"""/api/v1/work-orders/ (list, retrieve with history, every back-office verb), dispatch on
/api/v1/complaints/{id}/dispatch/, and the reference lists /api/v1/teams/ and /api/v1/categories/.

Thin views: `routing.queries.visible_orders` decides what a user sees (404 otherwise), the role
table and the actions decide what they may do (403 / 409 / 412).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from api.base import ETAG, DomainViewSet, verb
from api.errors import E401, E404, READ_ERRORS
from api.filters import DateTimeFilter, IdFilter, StrictFilterSet
from complaints.lifecycle import Action, OrderState
from complaints.models import Severity
from complaints.queries import visible_complaints
from routing import actions
from routing.models import Category, Team, WorkOrder
from routing.queries import order_history, visible_orders
from routing.serializers import (
    AnswerInput,
    CategorySerializer,
    DispatchInput,
    OptionalReasonInput,
    ProgressNoteInput,
    QuestionInput,
    ReasonInput,
    ReassignInput,
    ResultInput,
    TeamSerializer,
    TransferInput,
    UrgeInput,
    WorkOrderDetailSerializer,
    WorkOrderSerializer,
)


class WorkOrderFilter(StrictFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=OrderState.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    team = IdFilter(field_name="team_id")
    complaint = IdFilter(field_name="complaint_id")
    claimed_by = IdFilter(field_name="claimed_by_id")
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only the orders you handle"))
    due_after = DateTimeFilter(field_name="due_at", lookup_expr="gte")
    due_before = DateTimeFilter(field_name="due_at", lookup_expr="lt")

    class Meta:
        model = WorkOrder
        fields: list[str] = []

    def filter_mine(self, qs, name, value):
        if value is None:
            return qs
        mine = qs.filter(claimed_by=self.request.user)
        return mine if value else qs.exclude(pk__in=mine.values("pk"))


def order_detail(order: WorkOrder) -> WorkOrder:
    """The order with its history (own and of the orders it came from) and its successor, if transferred."""
    order = WorkOrder.objects.select_related("complaint", "team", "claimed_by").get(pk=order.pk)
    order.history_rows = list(order_history(order))
    order.transferred_to_id = WorkOrder.objects.filter(transferred_from=order).values_list("pk", flat=True).first()
    return order


def _order(result) -> WorkOrder:
    return order_detail(result)


class WorkOrderViewSet(mixins.ListModelMixin, DomainViewSet):
    queryset = WorkOrder.objects.none()
    serializer_class = WorkOrderSerializer
    filterset_class = WorkOrderFilter
    ordering_fields = ["id", "due_at", "dispatched_at"]
    ordering = ["due_at", "id"]

    def visible(self):
        return visible_orders(self.request.user)

    def get_queryset(self):
        return self.visible().select_related("complaint", "team", "claimed_by")

    @extend_schema(summary=_("Work orders you may see"), responses={200: WorkOrderSerializer(many=True), **READ_ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("One work order with its history"), responses={200: WorkOrderDetailSerializer, **E401, **E404},
                   parameters=[ETAG])
    def retrieve(self, request, pk=None):
        return self.respond(order_detail(self.get_object()), WorkOrderDetailSerializer)

    claim = verb(Action.CLAIM, response=WorkOrderDetailSerializer, summary=_("Claim (签收)"),
                 perform=lambda view, o, d, by, v: _order(actions.claim(o, by=by, expected_version=v)))
    release = verb(Action.RELEASE, response=WorkOrderDetailSerializer, summary=_("Release back to the team's queue"),
                   perform=lambda view, o, d, by, v: _order(actions.release(o, by=by, expected_version=v)))
    reassign = verb(Action.REASSIGN, request=ReassignInput, response=WorkOrderDetailSerializer,
                    summary=_("Reassign to a member of the team (supervisor)"),
                    perform=lambda view, o, d, by, v: _order(actions.reassign(o, to=d["to"], by=by, expected_version=v)))
    transfer = verb(Action.TRANSFER, request=TransferInput, response=WorkOrderDetailSerializer,
                    summary=_("Transfer to another team (转派)"),
                    description=_("Answers with this order, now transferred; `transferred_to` is the new order."),
                    perform=lambda view, o, d, by, v: (actions.transfer(o, by=by, expected_version=v, **d),
                                                      order_detail(o))[1])
    send_back = verb(Action.SEND_BACK, request=ReasonInput, response=WorkOrderDetailSerializer,
                     summary=_("Send back as wrongly dispatched (退单)"),
                     perform=lambda view, o, d, by, v: _order(actions.send_back(o, by=by, expected_version=v, **d)))
    request_suspension = verb(
        Action.REQUEST_SUSPENSION, request=ReasonInput, response=WorkOrderDetailSerializer,
        summary=_("Request suspension (挂起)"), path="suspend",
        perform=lambda view, o, d, by, v: _order(actions.request_suspension(o, by=by, expected_version=v, **d)))
    approve_suspension = verb(
        Action.APPROVE_SUSPENSION, response=WorkOrderDetailSerializer, summary=_("Approve the suspension (supervisor)"),
        perform=lambda view, o, d, by, v: _order(actions.approve_suspension(o, by=by, expected_version=v)))
    refuse_suspension = verb(
        Action.REFUSE_SUSPENSION, request=OptionalReasonInput, response=WorkOrderDetailSerializer,
        summary=_("Refuse the suspension (supervisor)"),
        perform=lambda view, o, d, by, v: _order(actions.refuse_suspension(o, by=by, expected_version=v, **d)))
    resume = verb(Action.RESUME, response=WorkOrderDetailSerializer, summary=_("Resume a suspended order (解挂)"),
                  perform=lambda view, o, d, by, v: _order(actions.resume(o, by=by, expected_version=v)))
    request_information = verb(
        Action.REQUEST_INFORMATION, request=QuestionInput, response=WorkOrderDetailSerializer,
        summary=_("Ask the agent for information (需补充信息)"),
        perform=lambda view, o, d, by, v: _order(actions.request_information(o, by=by, expected_version=v, **d)))
    answer_information = verb(
        Action.ANSWER_INFORMATION, request=AnswerInput, response=WorkOrderDetailSerializer,
        summary=_("Answer the information request"),
        perform=lambda view, o, d, by, v: _order(actions.answer_information(o, by=by, expected_version=v, **d)))
    return_result = verb(
        Action.RETURN_RESULT, request=ResultInput, response=WorkOrderDetailSerializer, multipart=True,
        summary=_("Return the result (回单)"),
        description=_("Multipart bodies may carry `evidence` files."),
        perform=lambda view, o, d, by, v: _order(actions.return_result(o, by=by, expected_version=v, **d)))
    urge = verb(Action.URGE, request=UrgeInput, response=WorkOrderDetailSerializer, versioned=False,
                summary=_("Urge (催办)"),
                perform=lambda view, o, d, by, v: _order(actions.urge(o, by=by, **d)))
    add_progress_note = verb(
        Action.ADD_NOTE, request=ProgressNoteInput, response=WorkOrderDetailSerializer, versioned=False,
        path="progress-note", name="add_progress_note", summary=_("Write a progress note (visible to the agent)"),
        perform=lambda view, o, d, by, v: (actions.add_progress_note(o, body=d["body"], by=by), order_detail(o))[1])


class ComplaintDispatchViewSet(DomainViewSet):
    """派单 lives in routing; its endpoint sits beside the complaint's other verbs."""

    queryset = WorkOrder.objects.none()
    pagination_class = None
    filter_backends: list = []

    def visible(self):
        return visible_complaints(self.request.user)

    dispatch_order = verb(
        Action.DISPATCH, request=DispatchInput, response=WorkOrderDetailSerializer, status=201, path="dispatch", name="dispatch_order",
        summary=_("Dispatch a work order to a team (派单)"),
        description=_("A team other than the suggested one needs `team_reason`. Answers with the new work order; "
                      "the complaint's version is the one If-Match refers to."),
        perform=lambda view, c, d, by, v: _order(actions.dispatch(c, by=by, expected_version=v, **d)))


@extend_schema_view(list=extend_schema(summary=_("Teams"), responses={200: TeamSerializer(many=True), **E401}),
                    retrieve=extend_schema(summary=_("One team"), responses={200: TeamSerializer, **E401, **E404}))
class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, DomainViewSet):
    serializer_class = TeamSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return Team.objects.order_by("code")


@extend_schema_view(
    list=extend_schema(summary=_("Categories"), responses={200: CategorySerializer(many=True), **E401}),
    retrieve=extend_schema(summary=_("One category"), responses={200: CategorySerializer, **E401, **E404}))
class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, DomainViewSet):
    serializer_class = CategorySerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return Category.objects.order_by("code")
