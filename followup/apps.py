from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from complaints.audit import event_recorded
        from followup.signals import queue_delivery

        event_recorded.connect(queue_delivery, dispatch_uid="followup.queue_delivery")
