"""The follow-up verbs: on /api/v1/complaints/{id}/ (contact attempts, reply, promised date, return
visit, close, reopen, void, check, escalate) and the review of a returned result on
/api/v1/work-orders/{id}/ (approve / reject).

Thin views: the same visibility queries and actions as the complaint page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from api.base import DomainViewSet, VersionInput, verb
from complaints.lifecycle import Action
from complaints.models import Complaint
from complaints.queries import visible_complaints
from complaints.serializers import ComplaintSerializer
from followup import actions
from followup.serializers import (
    CheckInput,
    CloseInput,
    ContactAttemptInput,
    ContactAttemptSerializer,
    PromisedDateInput,
    ReasonInput,
    RejectResultInput,
    ReplyInput,
    ReturnVisitInput,
    VoidInput,
)
from routing.api import order_detail
from routing.queries import visible_orders
from routing.serializers import WorkOrderDetailSerializer


class ComplaintFollowUpViewSet(DomainViewSet):
    queryset = Complaint.objects.none()
    pagination_class = None
    filter_backends: list = []

    def visible(self):
        return visible_complaints(self.request.user)

    log_contact_attempt = verb(
        Action.LOG_CONTACT_ATTEMPT, request=ContactAttemptInput, response=ContactAttemptSerializer, status=201,
        versioned=False, path="contact-attempts", summary=_("Log a contact attempt (reached / not reached / call back)"),
        perform=lambda view, c, d, by, v: actions.log_contact_attempt(c, by=by, **d))
    reply = verb(
        Action.REPLY, request=ReplyInput, response=ComplaintSerializer, summary=_("Reply to the customer (答复)"),
        perform=lambda view, c, d, by, v: actions.reply(c, by=by, expected_version=v, **d))
    change_promised_date = verb(
        Action.CHANGE_PROMISED_DATE, request=PromisedDateInput, response=ComplaintSerializer,
        summary=_("Change the promised reply date (tell the customer)"),
        perform=lambda view, c, d, by, v: actions.change_promised_date(c, by=by, expected_version=v, **d))
    return_visit = verb(
        Action.RETURN_VISIT, request=ReturnVisitInput, response=ComplaintSerializer,
        summary=_("Record the return visit (回访); dissatisfied reopens"),
        perform=lambda view, c, d, by, v: actions.return_visit(c, by=by, expected_version=v, **d))
    close = verb(
        Action.CLOSE, request=CloseInput, response=ComplaintSerializer, summary=_("Close (结案)"),
        perform=lambda view, c, d, by, v: actions.close(c, by=by, expected_version=v, **d))
    reopen = verb(
        Action.REOPEN, request=ReasonInput, response=ComplaintSerializer, summary=_("Reopen within 30 days of closure"),
        perform=lambda view, c, d, by, v: actions.reopen(c, by=by, expected_version=v, **d))
    void = verb(
        Action.VOID, request=VoidInput, response=ComplaintSerializer, summary=_("Void a duplicate or reject (作废)"),
        perform=lambda view, c, d, by, v: actions.void(c, by=by, expected_version=v, **d))
    check = verb(
        Action.CHECK, request=CheckInput, response=ComplaintSerializer, versioned=False,
        summary=_("Record the daily follow-up check (跟进)"),
        perform=lambda view, c, d, by, v: actions.check_complaint(c, by=by, **d))
    escalate = verb(
        Action.ESCALATE, request=ReasonInput, response=ComplaintSerializer,
        summary=_("Escalate: severity up one level (supervisor)"),
        perform=lambda view, c, d, by, v: actions.escalate(c, by=by, expected_version=v, **d))


class WorkOrderReviewViewSet(DomainViewSet):
    """复核: the agent reviews the returned result against the customer's reasonable demand."""

    queryset = Complaint.objects.none()
    pagination_class = None
    filter_backends: list = []

    def visible(self):
        return visible_orders(self.request.user)

    approve_result = verb(
        Action.APPROVE_RESULT, request=VersionInput, response=WorkOrderDetailSerializer,
        summary=_("Approve the returned result (复核通过)"),
        perform=lambda view, o, d, by, v: order_detail(actions.approve_result(o, by=by, expected_version=v)))
    reject_result = verb(
        Action.REJECT_RESULT, request=RejectResultInput, response=WorkOrderDetailSerializer,
        summary=_("Reject the returned result with a reason (counted as a re-dispatch)"),
        perform=lambda view, o, d, by, v: order_detail(actions.reject_result(o, by=by, expected_version=v, **d)))
