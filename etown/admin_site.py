"""The admin site supervisors work in: who gets in, and the index that opens on today's work.

It lives outside the workplan.admin package: the admin registers models on this site while the
site is being built, and that must not import the package that does the registering.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import BadRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from supervision.selectors.extensions import open_extension_request_count
from workplan.permissions import can_use_admin
from workplan.selectors import back_office_today_for
from workplan.urgency import urgency_window

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Models shown under "Reminders" on the index once their apps register them with this site.
REMINDER_MODELS = [
    ("workplan", "reminder", _("Reminder log")),
    ("django_celery_beat", "periodictask", _("Reminder schedule")),
]


class PortalAdminAuthenticationForm(AdminAuthenticationForm):
    """Let in whom the site lets in: decided by role, not by the staff flag alone."""

    def confirm_login_allowed(self, user):
        auth_forms.AuthenticationForm.confirm_login_allowed(self, user)
        if not can_use_admin(user):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PortalAdminSite(admin.AdminSite):
    site_header = _("E-Town work plan · supervision")
    site_title = _("E-Town work plan")
    index_title = _("Today")
    index_template = "admin/portal_index.html"
    login_form = PortalAdminAuthenticationForm

    def has_permission(self, request):
        """Supervisors and admins work here; officials never do, whatever their flags say."""
        return can_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        """Answer two kinds of bad input that Django's admin views answer with a 500: 400.

        - An empty `_to_field` (`?_to_field=`): the change and delete views look the object up
          by a field named "" (FieldDoesNotExist).
        - A filter the list cannot use, on a page other than the list itself (the export page
          of django-import-export builds the list's query from its query string and lets
          IncorrectLookupParameters escape; the list answers it with "?e=1" by itself).
        """
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def checked(request, *args, **kwargs):
            for data in (request.GET, request.POST):
                if TO_FIELD_VAR in data and not data[TO_FIELD_VAR]:
                    raise BadRequest(f"{TO_FIELD_VAR} is empty.")
            try:
                return inner(request, *args, **kwargs)
            except IncorrectLookupParameters as error:
                raise BadRequest(str(error)) from error

        return checked

    def today_context(self, request) -> dict:
        """Return what the signed-in supervisor must do today, in a fixed number of queries."""
        window = urgency_window()
        return {
            "today": window.today,
            "due_soon_until": window.due_soon_until,
            "work": back_office_today_for(request.user, window=window),
            "open_extension_requests": open_extension_request_count(request.user),
            "reminder_links": self.reminder_links(request),
        }

    def reminder_links(self, request) -> list[dict]:
        """Return links to the reminder log and schedule the user may open (registered or not)."""
        links: list[dict[str, StrOrPromise | None]] = []
        for app_label, model_name, label in REMINDER_MODELS:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                links.append({"label": label, "url": None})
                continue
            try:
                model_admin = self.get_model_admin(model)
            except NotRegistered:
                continue
            if not model_admin.has_view_permission(request):
                continue
            try:
                url = reverse(f"{self.name}:{app_label}_{model_name}_changelist")
            except NoReverseMatch:
                url = None
            links.append({"label": label, "url": url})
        return links

    def index(self, request, extra_context=None):
        context = self.today_context(request) if self.has_permission(request) else {}
        context.update(extra_context or {})
        return super().index(request, extra_context=context)
