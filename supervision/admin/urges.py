"""Urge notices in the back office: the urge action on the task list, and the notices' records.

The action is offered on the task list through the site's WORKPLAN_TASK_ADMIN_ACTIONS setting
(workplan/panels.py), so the plan's admin names no app above it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.permissions import is_admin, is_supervisor
from etown.history_admin import ReadOnlyHistoryAdmin
from etown.search import CappedSearchMixin
from supervision.models import UrgeNotice, UrgeRecipient
from supervision.services import urge_send
from supervision.services.urges import TEXT_MAX_CHARS
from workplan.admin.actions import form_action
from workplan.admin.scope import AreaScopedAdminMixin


class UrgeActionForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Each owner acknowledges and replies from the portal."),
    )

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)


@admin.action(description=_("Urge the owners…"), permissions=["change"])
def urge_tasks(modeladmin, request, queryset):
    """Send one urge notice about the selected tasks to their owners."""
    return form_action(
        modeladmin,
        request,
        queryset.select_related("area", "owner"),
        form_class=UrgeActionForm,
        title=_("Urge the owners"),
        apply=lambda tasks, data: urge_send(
            sender=request.user, tasks=tasks, message=data["message"]
        ),
        done_message=lambda n: (
            ngettext(
                "Urged the owner of %(count)d task.", "Urged the owners of %(count)d tasks.", n
            )
            % {"count": n}
        ),
        together=True,
    )


class ReadOnlyMixin:
    """Written by the portal's services only. Only admins delete them (with their task)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UrgeRecipientInline(ReadOnlyMixin, admin.TabularInline):
    model = UrgeRecipient
    fields = ("task", "recipient", "state", "acknowledged_at", "replied_at", "reply")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task", "recipient")


@admin.register(UrgeNotice)
class UrgeNoticeAdmin(ReadOnlyMixin, CappedSearchMixin, ReadOnlyHistoryAdmin):
    """The notices a supervisor sent (every notice, for an admin), each with its recipients."""

    list_display = ["created_at", "message_preview", "sender"]
    list_select_related = ["sender"]
    search_fields = ["message"]
    show_full_result_count = False
    fields = ["sender", "message", "created_at"]
    readonly_fields = fields
    inlines = [UrgeRecipientInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_admin(request.user):
            return queryset
        if is_supervisor(request.user):
            return queryset.filter(sender=request.user)
        return queryset.none()

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is None or is_admin(request.user):
            return allowed
        return allowed and obj.sender_id == request.user.pk

    @admin.display(description=_("message"))
    def message_preview(self, notice):
        return notice.message[:80]


@admin.register(UrgeRecipient)
class UrgeRecipientAdmin(
    ReadOnlyMixin, CappedSearchMixin, AreaScopedAdminMixin, ReadOnlyHistoryAdmin
):
    """Every task urged in the supervisor's areas, whoever urged it, and its owner's answer."""

    area_path = "task__area"
    list_display = [
        "notice_sent_at",
        "task",
        "recipient",
        "state",
        "acknowledged_at",
        "replied_at",
        "notice_sender",
    ]
    list_filter = ["state"]
    list_select_related = ["notice__sender", "task__area", "recipient"]
    search_fields = ["task__title", "task__code", "notice__message", "reply"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ["-notice__created_at", "-pk"]
    fields = [
        "notice",
        "task",
        "recipient",
        "state",
        "acknowledged_at",
        "replied_at",
        "reply",
        "overdue_reported_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("sent at"), ordering="notice__created_at")
    def notice_sent_at(self, row):
        return row.notice.created_at

    @admin.display(description=_("sender"))
    def notice_sender(self, row):
        return row.notice.sender
