from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"

    def ready(self) -> None:
        from complaints.audit import event_recorded
        from followup.signals import queue_delivery

        event_recorded.connect(queue_delivery, dispatch_uid="followup.queue_delivery")
