from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class EtownConfig(AppConfig):
    """Cross-cutting concerns of the whole site: health check, structured logs, audit trail."""

    name = "etown"
    verbose_name = _("E-Town portal")

    def ready(self):
        from etown import audit, logs, throttle

        audit.connect()
        throttle.connect()
        logs.connect_job_signals()


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the portal's site: role-checked access and a today-first index.

    The site lives here, above the apps whose models it shows: a site class inside an app's
    admin package would be built while that package registers its models on it.
    """

    default_site = "etown.admin_site.PortalAdminSite"
