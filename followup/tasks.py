from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.models import Event
from followup.models import Notification
from followup.notifications import recipient_ids


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def deliver_event(self, event_id: int) -> int:
    """Tells the people an audit event concerns: a bell notification and an e-mail. Safe to rerun."""
    event = Event.objects.select_related("complaint", "work_order").get(pk=event_id)
    ids = recipient_ids(event)
    if not ids:
        return 0
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, event=event) for pk in sorted(ids)], ignore_conflicts=True
    )
    users = get_user_model().objects.filter(pk__in=ids).exclude(email="").values_list("email", flat=True)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(number)s: %(what)s") % {"number": event.complaint.number, "what": event.kind_label}
        body = _("Complaint %(number)s: %(what)s. Open the complaint desk to see it.") % {
            "number": event.complaint.number, "what": event.kind_label}
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in users], fail_silently=False)
    return len(ids)


@shared_task
def sla_sweep_task() -> dict:
    """Celery beat's entry point: the sweep at the current time."""
    from django.utils import timezone

    from followup.daily_figures import refresh_daily_figures
    from followup.sweep import sla_sweep

    now = timezone.now()
    flagged = sla_sweep(now=now)
    # After the sweep committed: its breaches are part of the day's figures.
    refresh_daily_figures(now=now)
    return flagged


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def mail_sweep_reminders(self, at: str) -> int:
    """E-mails the reminders and escalations one sweep created (after it committed)."""
    import datetime as dt

    from followup.models import Notification

    sent_at = dt.datetime.fromisoformat(at)
    notes = (Notification.objects.filter(created_at=sent_at, event__origin="sla-sweep")
             .exclude(recipient__email="").select_related("recipient", "event", "event__complaint"))
    with translation.override(settings.LANGUAGE_CODE):
        messages = [(_("%(number)s: %(what)s") % {"number": n.event.complaint.number, "what": n.event.kind_label},
                     _("Complaint %(number)s: %(what)s. Open the complaint desk to see it.") % {
                         "number": n.event.complaint.number, "what": n.event.kind_label},
                     settings.DEFAULT_FROM_EMAIL, [n.recipient.email]) for n in notes]
    send_mass_mail(messages, fail_silently=False)
    return len(messages)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_customer_message(self, complaint_id: int, text: str) -> None:
    """The written reply for a customer who could not be reached by phone."""
    from complaints.models import Complaint
    from followup.customer_messages import backend

    complaint = Complaint.objects.get(pk=complaint_id)
    backend().send(complaint.contact_number, text)
