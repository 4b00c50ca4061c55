"""Tasks in the admin: the list supervisors work from, and the changes they make to a task."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Prefetch, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin

from accounts.models import Department, User
from etown.admin_lists import AutocompleteAdminMixin
from etown.history_admin import ReadableHistoryHelper, ReadOnlyHistoryAdmin
from etown.resources import LabelledExportForm
from etown.search import CappedSearchMixin
from workplan import caching
from workplan.admin.actions import apply_each, form_action
from workplan.admin.columns import clipped_link
from workplan.admin.filters import (
    AreaFilter,
    LeadDepartmentFilter,
    OwnerFilter,
    TaskReviewFilter,
    UrgencyFilter,
    mark_filters,
)
from workplan.admin.forms import DeadlineExtendForm, ReassignForm, TaskChangeForm
from workplan.admin.scope import AreaScopedAdminMixin
from workplan.admin.urgency import UrgencyChangeList, request_window, urgency_light
from workplan.marks import marks_among, task_marks
from workplan.models import DeadlineExtension, ProgressReport, Task
from workplan.panels import task_admin_actions
from workplan.resources import EXPORT_FORMATS, TaskResource
from workplan.services import (
    deadline_extend,
    task_create,
    task_mark_done,
    task_reassign,
    task_update,
)
from workplan.urgency import URGENCY_ORDER

# Fields that change only through an action, so each change has its reason and its record.
ACTION_FIELDS = ("owner", "due_date", "status", "progress", "completed_at")
# Changes the history view flags, so a moved deadline or a new owner stands out.
KEY_HISTORY_FIELDS = ("due_date", "owner")


class TaskHistoryHelper(ReadableHistoryHelper):
    def context_for_delta_changes(self, delta):
        context = super().context_for_delta_changes(delta)
        for item, change in zip(context, delta.changes, strict=True):
            item["key"] = change.field in KEY_HISTORY_FIELDS
        return context


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    fields = ("created_at", "old_due_date", "new_due_date", "reason", "extended_by")
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
    fields = ("created_at", "author", "progress", "status", "note", "review_state", "reviewed_by")
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


class TaskChangeList(UrgencyChangeList):
    """The task list's rows, each with its marks (workplan/marks.py): one read per mark."""

    def get_results(self, request):
        super().get_results(request)
        marks = marks_among(
            [task.pk for task in self.result_list], on=request_window(request).today
        )
        for task in self.result_list:
            task.marks = marks.get(task.pk, [])


@admin.register(Task)
class TaskAdmin(
    AutocompleteAdminMixin,
    CappedSearchMixin,
    AreaScopedAdminMixin,
    ImportExportMixin,
    ReadOnlyHistoryAdmin,
):
    list_display = [
        "light",
        "title_link",
        "owner",
        "lead_department",
        "due_date",
        "overdue_days",
        "progress_bar",
        "status",
        "extension_count",
    ]
    # The title column draws its own link: Django's cannot carry the row's data-urgency.
    list_display_links = None
    list_filter = [
        AreaFilter,
        "status",
        UrgencyFilter,
        ("lead_department", LeadDepartmentFilter),
        OwnerFilter,
        TaskReviewFilter,
    ]
    list_select_related = ["area", "owner", "lead_department"]
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
    # Django's date_hierarchy reads every task in the list for its years and months (SELECT
    # DISTINCT over up to 100,000 rows) on every request; the urgency filter answers "when?".
    show_full_result_count = False
    # Facet counts would cost one COUNT per filter choice over up to 100,000 tasks.
    show_facets = admin.ShowFacets.NEVER
    # Most urgent first, as every other list of tasks (workplan/urgency.py).
    ordering = URGENCY_ORDER
    readonly_fields = ["version", "created_at", "updated_at", "extension_count"]
    inlines = [DeadlineExtensionInline, ProgressReportInline]
    actions = ["reassign_owner", "extend_deadline", "mark_done"]
    history_list_display = ["due_date", "owner", "status", "progress"]
    object_history_list_template = "admin/workplan/task/object_history_list.html"
    resource_classes = [TaskResource]
    export_form_class = LabelledExportForm
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
        # The extensions of a page's rows in one query, whatever their number.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("extensions", queryset=DeadlineExtension.objects.only("pk", "task_id"))
            )
        )

    def get_changelist(self, request, **kwargs):
        return TaskChangeList

    # The marks the apps above the plan put on tasks: a filter and a column each.
    def get_list_filter(self, request):
        return [*super().get_list_filter(request), *mark_filters()]

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        if task_marks():
            display.append("mark_badges")
        return display

    def get_inlines(self, request, obj):
        # A new task has no extensions or reports yet: no empty tables on its page.
        return self.inlines if obj is not None else []

    def get_search_results_within_caps(self, request, queryset, search_term):
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

    def get_actions(self, request):
        """Add the actions other apps offer on tasks (WORKPLAN_TASK_ADMIN_ACTIONS).

        Each is an `admin.action` function taking (modeladmin, request, queryset) and is offered
        when the user holds the permissions it names, as Django offers the class's own.
        """
        actions = super().get_actions(request)
        if not actions:  # a popup, or no action for this user at all
            return actions
        for action in task_admin_actions():
            permissions = getattr(action, "allowed_permissions", ())
            if all(getattr(self, f"has_{name}_permission")(request) for name in permissions):
                description = getattr(action, "short_description", action.__name__)
                actions[action.__name__] = (action, action.__name__, description)
        return actions

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

    # Deleting tasks changes the portal's cached figures (workplan/caching.py).
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        caching.tasks_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        caching.tasks_changed()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ACTION_FIELDS
        return fields

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    @admin.display(description=_("urgency"), ordering="due_date")
    def light(self, task):
        return urgency_light(task.urgency)

    @admin.display(description=_("task"))
    def title_link(self, task):
        return clipped_link(task.change_link, task, urgency=task.urgency)

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

    @admin.display(description=_("marks"))
    def mark_badges(self, task):
        return format_html_join(
            " ",
            '<span class="mark-badge" data-mark="{}">{}</span>',
            ((mark.key, mark.label) for mark in getattr(task, "marks", [])),
        )

    @admin.display(description=_("extensions"))
    def extension_count(self, task):
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
