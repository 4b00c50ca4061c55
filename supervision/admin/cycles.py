"""Report cycles in the back office: supervisors set them on their areas and tasks; admins on all.

Also the record of missed reports (read-only) and the "report missing" filter and column of the
task list, which the task admin takes from the marks (workplan/marks.py), not from here.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from etown.admin_lists import AutocompleteAdminMixin
from etown.history_admin import ReadOnlyHistoryAdmin
from etown.search import CappedSearchMixin
from supervision.models import MissedReport, ReportCycle
from supervision.services import report_cycle_delete, report_cycle_save
from workplan.admin.scope import AreaScopedAdminMixin
from workplan.models import Area


@admin.register(ReportCycle)
class ReportCycleAdmin(
    AutocompleteAdminMixin, CappedSearchMixin, AreaScopedAdminMixin, ReadOnlyHistoryAdmin
):
    list_display = ["subject_link", "schedule", "start_date", "active"]
    list_display_links = ["subject_link"]
    list_filter = ["frequency", "active"]
    list_select_related = ["area", "task"]
    search_fields = ["task__title", "task__title_zh", "task__code", "area__title", "area__title_zh"]
    search_help_text = _("Search task and area titles and task codes.")
    autocomplete_fields = ["area", "task"]
    history_list_display = ["frequency", "weekday", "day_of_month", "start_date", "active"]
    fieldsets = [
        (
            _("Who reports"),
            {
                "fields": ["area", "task"],
                "description": _(
                    "Choose a key area of work (every task in it reports) or one task (its "
                    "own cycle wins over its area's; an inactive one exempts it)."
                ),
            },
        ),
        (
            _("When"),
            {"fields": ["frequency", "weekday", "day_of_month", "start_date", "active"]},
        ),
    ]

    def _area_q(self, user) -> Q:
        # A cycle lies in its area, or in its task's: either way one of the user's areas.
        areas = Area.objects.filter(supervisors=user).values("pk")
        return Q(area__in=areas) | Q(task__area__in=areas)

    def area_of(self, obj):
        if obj.task_id:
            return obj.task.area
        if obj.area_id or obj.pk is None:
            return obj.area
        # A refused form may have emptied both fields of the cycle in hand: judge it as stored.
        stored = ReportCycle.objects.select_related("area", "task__area").filter(pk=obj.pk).first()
        if stored is None or not (stored.task_id or stored.area_id):
            return None
        return self.area_of(stored)

    def save_model(self, request, obj, form, change):
        report_cycle_save(cycle=obj, user=request.user)

    def delete_model(self, request, obj):
        report_cycle_delete(cycle=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for cycle in queryset:
            report_cycle_delete(cycle=cycle, user=request.user)

    @admin.display(description=_("area or task"), ordering="pk")
    def subject_link(self, cycle):
        return cycle.subject

    @admin.display(description=_("reports due"))
    def schedule(self, cycle):
        return cycle.schedule_label


@admin.register(MissedReport)
class MissedReportAdmin(CappedSearchMixin, AreaScopedAdminMixin, ReadOnlyHistoryAdmin):
    area_path = "task__area"
    list_display = ["task", "deadline", "owner", "recorded_at"]
    list_select_related = ["task", "owner"]
    search_fields = ["task__title", "task__title_zh", "task__code"]
    readonly_fields = ["task", "deadline", "owner", "recorded_at"]

    def has_add_permission(self, request):
        return False

    # Deleted only with its task (by an admin, who may delete tasks), never edited.
    def has_change_permission(self, request, obj=None):
        return False
