"""Admin for reminders: the read-only reminder log and the editable working-day overrides."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from etown.admin_lists import DateHierarchyAdminMixin
from etown.search import CappedSearchMixin
from workplan.emails import task_absolute_url
from workplan.models import Reminder, Task, WorkingDayOverride
from workplan.permissions import is_admin


@admin.register(Reminder)
class ReminderAdmin(CappedSearchMixin, DateHierarchyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "recipient", "status", "task_count", "attempts", "sent_at"]
    list_filter = ["status", "kind", "date"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email", "recipient__last_name"]
    date_hierarchy = "date"
    show_full_result_count = False
    fields = (
        "recipient",
        "kind",
        "date",
        "status",
        "tasks",
        "attempts",
        "error",
        "claimed_at",
        "sent_at",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("tasks"))
    def task_count(self, obj):
        return len(obj.task_ids)

    @admin.display(description=_("tasks"))
    def tasks(self, obj):
        tasks = Task.objects.filter(pk__in=obj.task_ids).select_related("area")
        return format_html_join(
            "\n",
            '<div><a href="{}">{}</a> ({}, {})</div>',
            ((task_absolute_url(t.pk), t, t.area, t.due_date) for t in tasks),
        )

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(DateHierarchyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_add_permission(self, request):
        return is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request.user)
