from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TmfConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tmf"
    verbose_name = _("TMF621 Trouble Ticket interface")

    def ready(self) -> None:
        from complaints.audit import event_recorded
        from tmf.notifications import queue_notifications

        event_recorded.connect(queue_notifications, dispatch_uid="tmf.queue_notifications")
