from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EtownConfig(AppConfig):
    """Cross-cutting concerns of the whole site: health check, structured logs, audit trail."""

    name = "etown"
    verbose_name = _("E-Town portal")

    def ready(self):
        from etown import audit, logs

        audit.connect()
        logs.connect_job_signals()
