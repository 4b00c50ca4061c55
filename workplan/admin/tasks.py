"""Tasks in the admin: the list supervisors work from, and the changes they make to a task."""

from __future__ import annotations

from collections import Counter

from django.contrib import admin
from django.db.models import Prefetch, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts.models import Department, User
from etown.history_admin import ReadOnlyHistoryAdmin
from workplan.admin.actions import apply_each, form_action
from workplan.admin.filters import (
    AreaFilter,
    DepartmentFilter,
    DueSoonFilter,
    LeadDepartmentFilter,
    OverdueFilter,
    OwnerFilter,
    TaskReviewFilter,
)
from workplan.admin.forms import DeadlineExtendForm, ReassignForm, TaskChangeForm
from workplan.admin.hierarchy import DateProbeChangeList
from workplan.admin.listing import FAST_CHANGE_LIST, RowCheckboxMixin, load_related
from workplan.admin.scope import AreaScopedAdminMixin
from workplan.models import DeadlineExtension, ProgressReport, Task, TaskStatus
from workplan.permissions import is_admin
from workplan.resources import EXPORT_FORMATS, TaskResource
from workplan.services import (
    deadline_extend,
    task_create,
    task_mark_done,
    task_reassign,
    task_update,
)

DUE_SOON_DAYS = 7
# A supervisor's department filter lists only departments leading tasks in their areas.
DEPARTMENT_FILTER = ("lead_department", LeadDepartmentFilter)
# Fields that change only through an action, so each change has its reason and its record.
ACTION_FIELDS = ("owner", "due_date", "status", "progress", "completed_at")
# Changes the history view flags, so a moved deadline or a new owner stands out.
KEY_HISTORY_FIELDS = ("due_date", "owner")


def traffic_light(task: Task) -> tuple[str, str]:
    """Return (css class, label): red overdue or blocked, amber due within a week, else green."""
    if task.status == TaskStatus.COMPLETED:
        return "done", str(_("Done"))
    if task.is_overdue:
        return "red", str(_("Overdue"))
    if task.status == TaskStatus.BLOCKED:
        return "red", str(_("Blocked"))
    days_left = task.days_left
    if days_left is not None and days_left < DUE_SOON_DAYS:
        return "amber", str(_("Due soon"))
    return "green", str(_("On track"))


class TaskHistoryHelper(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta):
        context = super().context_for_delta_changes(delta)
        for item, change in zip(context, delta.changes, strict=True):
            item["key"] = change.field in KEY_HISTORY_FIELDS
        return context


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    fields = ["created_at", "old_due_date", "new_due_date", "reason", "extended_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("deadline extensions")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("extended_by")


class ProgressReportInline(admin.TabularInline):
    model = ProgressReport
    fields = ["created_at", "author", "progress", "status", "note", "review_state", "reviewed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("progress reports")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "reviewed_by")


class TaskChangeList(DateProbeChangeList):
    """The page's rows with their area, owner, department and extension count, plainly loaded.

    Prefetching them (TaskAdmin.get_queryset, kept for exports) builds a related manager and a
    queryset per row for the extensions alone: 3.5 ms of the page's 7 ms of related loading.
    One `in_bulk()` per foreign key and one list of extended task ids do it in 2 ms.
    """

    def get_results(self, request):
        super().get_results(request)
        page = self.result_list.prefetch_related(None)
        rows = list(page)
        load_related(rows, "area", "owner", "lead_department")
        extended = Counter(
            DeadlineExtension.objects.filter(task__in=[row.pk for row in rows]).values_list(
                "task_id", flat=True
            )
        )
        for row in rows:
            row.extension_total = extended[row.pk]
        self.result_list = page


@admin.register(Task)
class TaskAdmin(RowCheckboxMixin, AreaScopedAdminMixin, ImportExportMixin, ReadOnlyHistoryAdmin):
    list_display = [
        "light",
        "__str__",
        "area",
        "owner",
        "lead_department",
        "due_date",
        "overdue_days",
        "progress_bar",
        "status",
        "extension_count",
    ]
    list_display_links = ["__str__"]
    change_list_template = FAST_CHANGE_LIST
    list_filter = [
        AreaFilter,
        "status",
        OverdueFilter,
        DueSoonFilter,
        DEPARTMENT_FILTER,
        OwnerFilter,
        TaskReviewFilter,
    ]
    # Not select_related: over 100,000 tasks PostgreSQL joins every row before sorting by due
    # date (420 ms); sorting the task table alone and prefetching the page's areas, owners and
    # departments costs 60 ms and three fixed queries. An empty list (not False) keeps Django
    # from adding its own select_related().
    list_select_related = []
    list_per_page = 50
    search_fields = [
        "title",
        "title_zh",
        "code",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
        "lead_department__name",
        "lead_department__code",
    ]
    search_help_text = _("Search titles, codes, owners and lead departments.")
    autocomplete_fields = ["area", "owner", "lead_department", "parent", "supporting_departments"]
    date_hierarchy = "due_date"
    show_full_result_count = False
    # Facet counts would cost one COUNT per filter choice over up to 100,000 tasks.
    show_facets = admin.ShowFacets.NEVER
    ordering = ["due_date", "pk"]
    readonly_fields = ["version", "created_at", "updated_at", "extension_count"]
    inlines = [DeadlineExtensionInline, ProgressReportInline]
    actions = ["reassign_owner", "extend_deadline", "mark_done"]
    history_list_display = ["due_date", "owner", "status", "progress"]
    object_history_list_template = "admin/workplan/task/object_history_list.html"
    resource_classes = [TaskResource]
    formats = EXPORT_FORMATS
    fieldsets = [
        (None, {"fields": ["area", "parent", "code", "title", "title_zh", "description"]}),
        (
            _("Responsibility"),
            {"fields": ["owner", "lead_department", "supporting_departments"]},
        ),
        (
            _("Schedule and progress"),
            {
                "fields": [
                    "start_date",
                    "due_date",
                    "extension_count",
                    "status",
                    "progress",
                    "completed_at",
                    "weight",
                ]
            },
        ),
        (_("Record"), {"fields": ["version", "expected_version", "created_at", "updated_at"]}),
    ]
    form = TaskChangeForm

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # One query for the extensions of the rows on a page, whatever their number.
        return queryset.prefetch_related(
            "area",
            "owner",
            "lead_department",
            Prefetch("extensions", queryset=DeadlineExtension.objects.only("pk", "task_id")),
        )

    def get_changelist(self, request, **kwargs):
        # date_hierarchy stays; its years and months come from index probes (hierarchy.py).
        # The page's related rows are loaded without prefetching.
        return TaskChangeList

    def get_search_results(self, request, queryset, search_term):
        """Match titles and codes, or owners and departments by subquery, never by a join.

        Each word must match somewhere, as in Django's own search. Users and departments are
        small tables: looking them up first keeps the search off a join of 100,000 rows.
        """
        for word in search_term.split():
            owners = User.objects.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            ).values("pk")
            departments = Department.objects.filter(
                Q(name__icontains=word) | Q(name_zh__icontains=word) | Q(code__icontains=word)
            ).values("pk")
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(title_zh__icontains=word)
                | Q(code__icontains=word)
                | Q(owner__in=owners)
                | Q(lead_department__in=departments)
            )
        return queryset, False

    def get_historical_record_context_helper(self, request, historical_record):
        return TaskHistoryHelper(self.model, historical_record)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        task_actions = [(name, self.get_action(name)[2]) for name in self.actions]
        extra_context = {"task_actions": task_actions, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # The form checks its change with the task services, which need to know whose it is.
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        # Through the services, never obj.save(): they lock the row, check the version the form
        # was opened at (checked already while it validated, under the same lock), keep the
        # history and move the version on.
        if change:
            task_update(
                task=obj,
                user=request.user,
                changes=form.task_changes(),
                expected_version=form.task_version(),
            )
        else:
            task_create(task=obj, user=request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ACTION_FIELDS
        return fields

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if is_admin(request.user):
            # Admins see every department: listing them needs no scan of the tasks.
            filters[filters.index(DEPARTMENT_FILTER)] = ("lead_department", DepartmentFilter)
        return filters

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    @admin.display(description="", ordering="due_date")
    def light(self, task):
        css, label = traffic_light(task)
        return format_html(
            '<span class="traffic-light traffic-light-{}" title="{}" aria-label="{}"></span>',
            css,
            label,
            label,
        )

    @admin.display(description=_("days overdue"), ordering="due_date")
    def overdue_days(self, task):
        return task.days_overdue or "—"

    @admin.display(description=_("progress"), ordering="progress")
    def progress_bar(self, task):
        return format_html(
            '<progress class="task-progress" max="100" value="{}">{}%</progress> {}%',
            task.progress,
            task.progress,
            task.progress,
        )

    @admin.display(description=_("extensions"))
    def extension_count(self, task):
        if hasattr(task, "extension_total"):  # counted for the page (TaskChangeList)
            return task.extension_total
        return len(task.extensions.all()) if task.pk else 0

    @admin.action(description=_("Reassign owner…"), permissions=["change"])
    def reassign_owner(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ReassignForm,
            title=_("Reassign owner"),
            apply=lambda task, data: task_reassign(
                task=task, owner=data["owner"], user=request.user
            ),
            done_message=lambda n: (
                ngettext("Reassigned %(count)d task.", "Reassigned %(count)d tasks.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Extend deadline…"), permissions=["change"])
    def extend_deadline(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=DeadlineExtendForm,
            title=_("Extend deadline"),
            apply=lambda task, data: deadline_extend(
                task=task,
                new_due_date=data["new_due_date"],
                reason=data["reason"],
                user=request.user,
            ),
            done_message=lambda n: (
                ngettext(
                    "Extended the deadline of %(count)d task.",
                    "Extended the deadline of %(count)d tasks.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Mark done"), permissions=["change"])
    def mark_done(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda task: task_mark_done(task=task, user=request.user),
            lambda n: (
                ngettext("Marked %(count)d task done.", "Marked %(count)d tasks done.", n)
                % {"count": n}
            ),
        )
