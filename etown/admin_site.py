"""The admin site supervisors work in: who gets in, and the index that opens on today's work.

It lives outside the workplan.admin package: the admin registers models on this site while the
site is being built, and that must not import the package that does the registering.
"""

from __future__ import annotations

import datetime

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from workplan.models import OPEN_STATUSES, ProgressReport, ReviewState, Task, today
from workplan.permissions import can_use_admin, visible_tasks

# Models shown under "Reminders" on the index once their apps register them with this site.
REMINDER_MODELS = [
    ("workplan", "reminder", _("Reminder log")),
    ("django_celery_beat", "periodictask", _("Reminder schedule")),
]
TODAY_LIST_LENGTH = 8


def week_end(day: datetime.date) -> datetime.date:
    """Return the Sunday closing the week of `day`."""
    return day + datetime.timedelta(days=6 - day.weekday())


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

    def today_context(self, request) -> dict:
        """Return what the signed-in supervisor must do today, in a fixed number of queries."""
        user = request.user
        day = today()
        until = week_end(day)
        tasks = visible_tasks(user, Task.objects.all())
        reports = ProgressReport.objects.filter(
            review_state=ReviewState.PENDING, task__in=visible_tasks(user).values("pk")
        )
        counts = tasks.filter(status__in=OPEN_STATUSES).aggregate(
            overdue=Count("pk", filter=Q(due_date__lt=day)),
            due_this_week=Count("pk", filter=Q(due_date__gte=day, due_date__lte=until)),
        )
        related = ("area", "owner", "lead_department")
        return {
            "today": day,
            "week_end": until,
            "pending_count": reports.count(),
            "pending_reports": list(
                reports.select_related("task__area", "author").order_by("created_at", "pk")[
                    :TODAY_LIST_LENGTH
                ]
            ),
            "overdue_count": counts["overdue"],
            "overdue_tasks": list(
                tasks.overdue(day)
                .select_related(*related)
                .order_by("due_date", "pk")[:TODAY_LIST_LENGTH]
            ),
            "due_this_week_count": counts["due_this_week"],
            "due_this_week": list(
                tasks.filter(status__in=OPEN_STATUSES, due_date__gte=day, due_date__lte=until)
                .select_related(*related)
                .order_by("due_date", "pk")[:TODAY_LIST_LENGTH]
            ),
            "reminder_links": self.reminder_links(request),
        }

    def reminder_links(self, request) -> list[dict]:
        """Return links to the reminder log and schedule the user may open (registered or not)."""
        links = []
        for app_label, model_name, label in REMINDER_MODELS:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                links.append({"label": label, "url": None})
                continue
            model_admin = self._registry.get(model)
            if model_admin is None or not model_admin.has_view_permission(request):
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
