from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Work plan")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the portal's site: role-checked access and a today-first index."""

    # Not the default config of the workplan app, which is WorkplanConfig above.
    default = False
    default_site = "workplan.admin_site.PortalAdminSite"
