from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workplan.models import (
    Area,
    DeadlineExtension,
    Evidence,
    Indicator,
    IndicatorReading,
    Plan,
    ProgressReport,
    Task,
)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title", "title_zh"]
    filter_horizontal = ["supervisors"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "area", "owner", "lead_department", "due_date", "status", "progress"]
    list_filter = ["area", "status"]
    list_select_related = ["area", "owner", "lead_department"]
    search_fields = ["title", "title_zh", "code"]
    autocomplete_fields = ["owner", "lead_department", "parent", "supporting_departments"]
    date_hierarchy = "due_date"
    show_full_result_count = False


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["task", "author", "progress", "status", "review_state", "created_at"]
    list_filter = ["review_state", "status"]
    list_select_related = ["task", "author"]


admin.site.register(Evidence)
admin.site.register(DeadlineExtension)
admin.site.register(Indicator)
admin.site.register(IndicatorReading)

from workplan import admin_reminders  # noqa: E402, F401  (reminder log, working-day overrides)
