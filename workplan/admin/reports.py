"""The review queue: pending progress reports, oldest first, approved or returned here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from etown.history_admin import ReadOnlyHistoryAdmin
from etown.search import CappedSearchMixin
from workplan.admin.actions import apply_each, error_text, form_action
from workplan.admin.columns import clipped_link, clipped_text
from workplan.admin.filters import ReportAreaFilter, ReportUrgencyFilter, ReviewStateFilter
from workplan.admin.forms import ReturnForm
from workplan.admin.plan import evidence_link
from workplan.admin.scope import AreaScopedAdminMixin
from workplan.admin.urgency import UrgencyChangeList, urgency_light
from workplan.models import Evidence, ProgressReport, ReviewState, TaskStatus, choice_label
from workplan.selectors import report_task_changes
from workplan.services import report_approve, report_return


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ("download", "content_type", "size", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("file"))
    def download(self, evidence):
        return evidence_link(evidence)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(CappedSearchMixin, AreaScopedAdminMixin, ReadOnlyHistoryAdmin):
    area_path = "task__area"
    # Each row shows its task's urgency (UrgencyChangeList).
    task_path = "task"
    list_display = [
        "created_at",
        "task_link",
        "author",
        "reported",
        "task_now",
        "task_due",
        "note_excerpt",
        "review_state",
    ]
    list_display_links = ["created_at"]
    list_filter = [ReviewStateFilter, ReportAreaFilter, ReportUrgencyFilter, "status"]
    # The task's owner is not shown: joining it read a user row (password hash and all) per report.
    list_select_related = ["task__area", "author"]
    search_fields = ["task__title", "task__code", "author__username", "author__last_name"]
    ordering = ["created_at", "pk"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["approve_selected", "return_selected"]
    show_facets = admin.ShowFacets.NEVER
    fields = [
        "task",
        "author",
        "created_at",
        "progress",
        "status",
        "note",
        "review_state",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    ]
    readonly_fields = fields
    inlines = [EvidenceInline]

    def has_add_permission(self, request):
        return False

    def get_changelist(self, request, **kwargs):
        return UrgencyChangeList

    @admin.display(description=_("task"), ordering="task__due_date")
    def task_link(self, report):
        return clipped_link(
            reverse("admin:workplan_task_change", args=[report.task_id]),
            report.task,
            urgency=report.task.urgency,
        )

    @admin.display(description=_("reported"))
    def reported(self, report):
        return format_html("{}% · {}", report.progress, choice_label(TaskStatus, report.status))

    @admin.display(description=_("task now"))
    def task_now(self, report):
        task = report.task
        return format_html(
            "{} · {}% · {}",
            urgency_light(task.urgency),
            task.progress,
            choice_label(TaskStatus, task.status),
        )

    @admin.display(description=_("due"), ordering="task__due_date")
    def task_due(self, report):
        return report.task.due_date or "—"

    @admin.display(description=_("note"))
    def note_excerpt(self, report):
        return clipped_text(report.note)

    @admin.action(description=_("Approve selected reports"), permissions=["change"])
    def approve_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.select_related("task__area"),
            lambda report: report_approve(report=report, reviewer=request.user),
            lambda n: (
                ngettext("Approved %(count)d report.", "Approved %(count)d reports.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Return selected reports with a comment…"), permissions=["change"])
    def return_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset.select_related("task__area"),
            form_class=ReturnForm,
            title=_("Return reports to their authors"),
            apply=lambda report, data: report_return(
                report=report, reviewer=request.user, comment=data["comment"]
            ),
            done_message=lambda n: (
                ngettext("Returned %(count)d report.", "Returned %(count)d reports.", n)
                % {"count": n}
            ),
        )

    def changelist_view(self, request, extra_context=None):
        context = {"title": _("Review queue"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, unquote(object_id))
        if request.method == "POST" and report is not None:
            # A report is append-only: the only change made here is its review. A report that
            # does not exist (or is out of scope) gets Django's own answer below.
            return self.review_view(request, report)
        context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_review": bool(
                report
                and report.review_state == ReviewState.PENDING
                and self.has_change_permission(request, report)
            ),
            "review_form": ReturnForm(),
            "task_changes": report_task_changes(report) if report is not None else [],
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def review_view(self, request, report):
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        comment = request.POST.get("comment", "")
        try:
            if "_approve" in request.POST:
                report_approve(report=report, reviewer=request.user, comment=comment)
                self.message_user(request, _("Approved: %s") % report.task, messages.SUCCESS)
            elif "_return" in request.POST:
                report_return(report=report, reviewer=request.user, comment=comment)
                self.message_user(request, _("Returned: %s") % report.task, messages.SUCCESS)
            else:
                return HttpResponseRedirect(request.path)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse("admin:workplan_progressreport_changelist"))
