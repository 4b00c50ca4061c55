"""Plans, areas, indicators and the records around tasks: mostly read, scoped by area."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from etown.admin_lists import DateHierarchyAdminMixin
from etown.history_admin import ReadOnlyHistoryAdmin
from etown.search import CappedSearchMixin
from workplan import caching
from workplan.admin.scope import AreaScopedAdminMixin
from workplan.models import (
    Area,
    DeadlineExtension,
    Evidence,
    Indicator,
    IndicatorReading,
    Plan,
)


@admin.register(Plan)
class PlanAdmin(CappedSearchMixin, admin.ModelAdmin):
    list_display = ["year", "title", "title_zh"]
    search_fields = ["title", "title_zh"]


@admin.register(Area)
class AreaAdmin(CappedSearchMixin, AreaScopedAdminMixin, ReadOnlyHistoryAdmin):
    area_path = ""
    list_display = ["number", "title", "title_zh", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "title_zh"]
    filter_horizontal = ["supervisors"]
    history_list_display = ["title"]

    # The portal's cached figures read areas and who supervises them (workplan/caching.py):
    # a change here renews them, as the services do for the tasks.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        caching.areas_changed()
        caching.supervisors_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        caching.areas_changed()
        caching.tasks_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        caching.areas_changed()
        caching.tasks_changed()


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(
    CappedSearchMixin, AreaScopedAdminMixin, DateHierarchyAdminMixin, admin.ModelAdmin
):
    area_path = "task__area"
    list_display = ["created_at", "task", "old_due_date", "new_due_date", "reason", "extended_by"]
    list_select_related = ["task__area", "extended_by"]
    search_fields = ["task__title", "task__code", "reason"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = ["task", "old_due_date", "new_due_date", "reason", "extended_by"]

    def has_add_permission(self, request):
        # Extensions are made from a task ("Extend deadline"), which also moves its due date.
        return False

    def has_change_permission(self, request, obj=None):
        return False


def evidence_link(evidence: Evidence):
    """Link to the portal's download of an evidence file, which checks who may read it."""
    return format_html(
        '<a href="{}" class="evidence-download" download>{}</a>',
        reverse("workplan:evidence_download", args=[evidence.pk]),
        evidence.original_name,
    )


@admin.register(Evidence)
class EvidenceAdmin(CappedSearchMixin, AreaScopedAdminMixin, admin.ModelAdmin):
    area_path = "report__task__area"
    list_display = ["original_name", "download", "report", "content_type", "size", "uploaded_at"]
    list_select_related = ["report__task__area", "report__author"]
    search_fields = ["original_name", "report__task__title"]
    # The file is served only by the portal's permission-checked download view, never the
    # storage's own URL.
    fields = ("report", "download", "content_type", "size", "uploaded_at")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("file"))
    def download(self, evidence):
        return evidence_link(evidence)

    def has_add_permission(self, request):
        return False


class ReadingFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            # The row's delete box sits under a "Delete?" heading that names no box either.
            form.fields["DELETE"].widget.attrs["aria-label"] = gettext("Delete")


class IndicatorReadingInline(admin.TabularInline):
    model = IndicatorReading
    formset = ReadingFormSet
    fields = ["period_end", "value", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            # A table's boxes sit under its column headings, which name none of them for a
            # screen reader: each box carries its column's name.
            field.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return field


@admin.register(Indicator)
class IndicatorAdmin(CappedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "plan", "target", "unit", "direction"]
    list_filter = ["plan"]
    search_fields = ["name", "name_zh", "code"]
    inlines = [IndicatorReadingInline]


@admin.register(IndicatorReading)
class IndicatorReadingAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period_end", "value", "on_course", "recorded_by"]
    list_filter = ["indicator"]
    list_select_related = ["indicator", "recorded_by"]
    # A reading is the indicator, the last day of the period it covers, the value and a note:
    # the overview and the dashboard show it against the target at once.
    fields = ["indicator", "period_end", "value", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]

    @admin.display(boolean=True, description=_("on course"))
    def on_course(self, obj):
        return obj.is_met

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
