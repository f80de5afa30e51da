from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TmfConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tmf"
    verbose_name = _("TMF621 Trouble Ticket interface")
