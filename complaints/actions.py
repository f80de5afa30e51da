"""Every write to a complaint's intake, one function per domain verb.

Each action locks the complaint, checks the actor's role and the state against the lifecycle tables,
changes the rows and writes exactly one audit event, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.audit import record_event
from complaints.errors import InvalidInput, NotPermitted, StaleVersion
from complaints.history import recompute_customer_history
from complaints.lifecycle import Action, Role, Status, require_complaint_state, require_target
from complaints.models import Attachment, Complaint, Customer, Note, ResolutionCode, Severity, TimeLimit
from complaints.roles import require_action_role
from complaints.rules import REPEAT_WINDOW, severity_floor_of, suggested_severity
from worktime import clocks


def lock_complaint(complaint: Complaint | int) -> Complaint:
    pk = complaint if isinstance(complaint, int) else complaint.pk
    return Complaint.objects.select_for_update().get(pk=pk)


def check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleVersion()


def save_complaint(complaint: Complaint, fields: list[str]) -> None:
    complaint.version += 1
    complaint.save(update_fields=[*fields, "version", "updated_at"])


def time_limit(severity: str) -> TimeLimit:
    try:
        return TimeLimit.objects.get(severity=severity)
    except TimeLimit.DoesNotExist:
        raise InvalidInput(_("No time limit is configured for this severity; ask an admin."), "severity") from None


@dataclass
class Intake:
    """What the agent records while the customer is on the line (DOMAIN.md step 1)."""

    account: str
    contact_number: str
    category: object | None = None
    description: str = ""
    demand: str = ""
    occurred_at: dt.datetime | None = None
    customer_name: str = ""
    channel: str = "phone"
    regulator_case_number: str = ""
    escalation_declared: bool = False
    media_threat: bool = False
    media_exposure: bool = False
    group_complaint: bool = False
    data_leak: bool = False
    severity: str | None = None
    severity_reason: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_input(cls, data: dict) -> Intake:
        """From a validated intake form's or serializer's data (the same field names)."""
        return cls(
            account=data["account"], contact_number=data["contact_number"], customer_name=data["customer_name"],
            category=data["category"], description=data["description"], demand=data["demand"],
            occurred_at=data["occurred_at"], channel=data["channel"],
            regulator_case_number=data["regulator_case_number"], escalation_declared=data["escalation_declared"],
            media_threat=data["media_threat"], media_exposure=data["media_exposure"],
            group_complaint=data["group_complaint"], data_leak=data["data_leak"],
            severity=data["severity"] or None, severity_reason=data["severity_reason"],
        )


def find_repeat_of(customer: Customer, category, *, now: dt.datetime, exclude_pk: int | None = None) -> Complaint | None:
    """An open complaint of the customer's, or one on the same category within 30 days."""
    if customer.pk is None:
        return None
    same_category = Q(category=category, received_at__gte=now - REPEAT_WINDOW) if category is not None else Q(pk=None)
    open_one = ~Q(status__in=[Status.DRAFT, Status.CLOSED, Status.VOIDED, Status.REJECTED])
    candidates = (
        Complaint.objects.filter(customer=customer)
        .exclude(status__in=[Status.DRAFT, Status.VOIDED, Status.REJECTED])
        .filter(open_one | same_category)
    )
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates.order_by("-received_at", "-pk").first()


INTAKE_FIELDS = [
    "contact_number", "category", "description", "demand", "occurred_at", "channel", "regulator_case_number",
    "escalation_declared", "media_threat", "media_exposure", "group_complaint", "data_leak",
]


def _validate_intake(intake: Intake) -> None:
    if not intake.account.strip():
        raise InvalidInput(_("Enter the customer's service number or account."), "account")
    if not intake.contact_number.strip():
        raise InvalidInput(_("Enter a contact number."), "contact_number")
    if intake.channel == "regulator" and not intake.regulator_case_number.strip():
        raise InvalidInput(_("A regulator transfer needs the regulator's case number."), "regulator_case_number")
    if intake.severity is not None and intake.severity not in Severity.values:
        raise InvalidInput(_("Unknown severity."), "severity")


def _apply_intake(complaint: Complaint, intake: Intake, *, now: dt.datetime) -> tuple[list[str], list[str]]:
    """Copies the intake onto the complaint, finds the repeat and settles the severity.

    Returns the fields changed and the rules' reasons for the severity floor.
    """
    for name in INTAKE_FIELDS:
        setattr(complaint, name, getattr(intake, name))
    complaint.repeat_of = find_repeat_of(complaint.customer, intake.category, now=now, exclude_pk=complaint.pk)
    floor, reasons = severity_floor_of(complaint)
    suggested, _reasons = suggested_severity(complaint)
    chosen = intake.severity or suggested
    # The agent may raise the severity freely; lowering it below what the rules call for is refused.
    if Severity.rank(chosen) < Severity.rank(floor):
        raise InvalidInput(_("The facts recorded require at least “%(level)s”.") % {"level": Severity(floor).label},
                           "severity")
    if chosen != suggested and not intake.severity_reason.strip():
        raise InvalidInput(_("Say why the severity differs from the suggested one."), "severity_reason")
    complaint.severity = chosen
    complaint.severity_reason = intake.severity_reason.strip() if chosen != suggested else ""
    return [*INTAKE_FIELDS, "repeat_of", "severity", "severity_reason"], reasons


def store_evidence(complaint: Complaint, evidence: list, *, by, work_order=None) -> list[int]:
    """Evidence files go to private storage, served only through the permission-checked view."""
    stored = []
    for upload in evidence:
        attachment = Attachment(complaint=complaint, work_order=work_order, original_name=upload.name[:255],
                                content_type=getattr(upload, "evidence_type", "") or upload.content_type or "",
                                size=upload.size, uploaded_by=by)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment.pk)
    return stored


@transaction.atomic
def record_complaint(intake: Intake, *, by, intake_key: str | None = None, evidence: list | None = None,
                     now: dt.datetime | None = None) -> Complaint:
    """Record (or, with the same intake key, return) a draft complaint awaiting read-back."""
    require_action_role(Action.RECORD, by)
    now = now or timezone.now()
    if intake_key:
        existing = Complaint.objects.filter(intake_key=intake_key).first()
        if existing is not None:
            return existing
    _validate_intake(intake)
    customer, created = Customer.objects.get_or_create(
        account=intake.account.strip(),
        defaults={"contact_number": intake.contact_number.strip(), "name": intake.customer_name.strip()},
    )
    if not created and intake.customer_name.strip() and not customer.name:
        customer.name = intake.customer_name.strip()
        customer.save(update_fields=["name"])
    complaint = Complaint(customer=customer, first_contact_owner=by, status=Status.DRAFT, intake_key=intake_key)
    _fields, reasons = _apply_intake(complaint, intake, now=now)
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        # The same form posted twice at once: the other post recorded it first (the key is unique).
        existing = Complaint.objects.filter(intake_key=intake_key).first() if intake_key else None
        if existing is None:
            raise
        return existing
    stored = store_evidence(complaint, evidence or [], by=by)
    record_event(complaint, Action.RECORD, by=by, from_status="", at=now,
                 data={"severity": complaint.severity, "severity_rules": reasons, "repeat_of": complaint.repeat_of_id,
                       "attachments": stored})
    return complaint


@transaction.atomic
def correct_draft(complaint: Complaint, intake: Intake, *, by, evidence: list | None = None,
                  expected_version: int | None = None, now: dt.datetime | None = None) -> Complaint:
    """The agent corrects what the customer did not agree to when it was read back."""
    require_action_role(Action.RECORD, by)
    now = now or timezone.now()
    complaint = lock_complaint(complaint)
    require_complaint_state(Action.RECORD, complaint.status)
    check_version(complaint, expected_version)
    _validate_intake(intake)
    if intake.account.strip() != complaint.customer.account:
        complaint.customer, _created = Customer.objects.get_or_create(
            account=intake.account.strip(), defaults={"contact_number": intake.contact_number.strip()}
        )
    before = {name: getattr(complaint, name) for name in INTAKE_FIELDS}
    fields, reasons = _apply_intake(complaint, intake, now=now)
    save_complaint(complaint, [*fields, "customer"])
    stored = store_evidence(complaint, evidence or [], by=by)
    changed = sorted(n for n in INTAKE_FIELDS if before[n] != getattr(complaint, n))
    record_event(complaint, Action.RECORD, by=by, from_status=Status.DRAFT, at=now,
                 data={"corrected": changed, "severity": complaint.severity, "severity_rules": reasons,
                       "attachments": stored})
    return complaint


@transaction.atomic
def confirm_read_back(complaint: Complaint, *, by, expected_version: int | None = None,
                      now: dt.datetime | None = None) -> Complaint:
    """The customer agreed to the summary read back: the complaint is received and its clocks start."""
    require_action_role(Action.CONFIRM_READ_BACK, by)
    now = now or timezone.now()
    complaint = lock_complaint(complaint)
    require_complaint_state(Action.CONFIRM_READ_BACK, complaint.status)
    check_version(complaint, expected_version)
    missing = [name for name in ("category", "description", "demand") if not getattr(complaint, name)]
    if missing:
        raise InvalidInput(_("Record the category, the description and the customer's demand before the read-back."),
                           missing[0])
    limit = time_limit(complaint.severity)
    complaint.status = Status.RECEIVED
    complaint.received_at = now
    complaint.legal_deadline_at = clocks.legal_deadline(now)
    complaint.promised_reply_at = clocks.deadline(now, limit.reply_amount, limit.reply_unit)
    complaint.reply_risk_from = clocks.at_risk_point(now, complaint.promised_reply_at)
    save_complaint(complaint, ["status", "received_at", "legal_deadline_at", "promised_reply_at", "reply_risk_from"])
    # The customer's row lock keeps two receipts for one customer from reading the history at once.
    list(Customer.objects.select_for_update().filter(pk=complaint.customer_id).values_list("pk", flat=True))
    recompute_customer_history([complaint.customer_id])
    record_event(complaint, Action.CONFIRM_READ_BACK, by=by, from_status=Status.DRAFT, at=now,
                 data={"promised_reply_at": complaint.promised_reply_at.isoformat()})
    return complaint


@transaction.atomic
def resolve_on_the_spot(complaint: Complaint, *, resolution: str, resolution_code: str, by,
                        root_cause: str = "", expected_version: int | None = None,
                        now: dt.datetime | None = None) -> Complaint:
    """Resolved while the customer is on the line: counts as first-contact resolution, goes to return visit."""
    require_action_role(Action.RESOLVE_ON_THE_SPOT, by)
    now = now or timezone.now()
    complaint = lock_complaint(complaint)
    require_complaint_state(Action.RESOLVE_ON_THE_SPOT, complaint.status)
    check_version(complaint, expected_version)
    if not resolution.strip():
        raise InvalidInput(_("Say how the complaint was resolved."), "resolution")
    if resolution_code not in ResolutionCode.values:
        raise InvalidInput(_("Choose a resolution code."), "resolution_code")
    limit = time_limit(complaint.severity)
    complaint.status = Status.REPLIED
    # First-contact resolution only for a first call that never went to a back-office team.
    complaint.resolved_on_the_spot = complaint.round == 1 and not complaint.work_orders.exists()
    complaint.reply_summary = resolution.strip()
    complaint.resolution_code = resolution_code
    complaint.root_cause = root_cause.strip()
    complaint.replied_at = now
    complaint.return_visit_due_at = clocks.deadline(now, limit.return_visit_days, "working_days")
    require_target(Action.RESOLVE_ON_THE_SPOT, complaint.status)
    save_complaint(complaint, ["status", "resolved_on_the_spot", "reply_summary", "resolution_code", "root_cause",
                               "replied_at", "return_visit_due_at"])
    record_event(complaint, Action.RESOLVE_ON_THE_SPOT, by=by, from_status=Status.RECEIVED, at=now,
                 data={"resolution_code": resolution_code})
    return complaint


@transaction.atomic
def add_note(complaint: Complaint, *, body: str, by, work_order=None, now: dt.datetime | None = None) -> Note:
    """A progress note or remark, visible to the agent and the handlers."""
    roles = require_action_role(Action.ADD_NOTE, by)
    if work_order is None and roles <= {Role.BACKOFFICE}:
        # Back-office staff write progress notes on their team's work order (routing.add_progress_note).
        raise NotPermitted(Action.ADD_NOTE)
    now = now or timezone.now()
    complaint = lock_complaint(complaint)
    require_complaint_state(Action.ADD_NOTE, complaint.status)
    if not body.strip():
        raise InvalidInput(_("The note is empty."), "body")
    note = Note.objects.create(complaint=complaint, work_order=work_order, author=by, body=body.strip())
    record_event(complaint, Action.ADD_NOTE, by=by, from_status=complaint.status, work_order=work_order, at=now,
                 data={"note": note.pk})
    return note
