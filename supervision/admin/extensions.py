"""The extension request queue: open requests of the supervisor's areas, decided here."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from etown.history_admin import ReadOnlyHistoryAdmin
from supervision.models import ExtensionRequest, ExtensionRequestState
from supervision.services.extensions import (
    TEXT_MAX_CHARS,
    extension_request_approve,
    extension_request_deny,
)
from workplan.admin.actions import apply_each, error_text, form_action
from workplan.admin.forms import ActionForm
from workplan.admin.scope import AreaScopedAdminMixin


class DecisionForm(ActionForm):
    comment = forms.CharField(
        label=_("Comment to the official"),
        max_length=TEXT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Required to deny; optional when approving. The official is notified."),
    )


class DenyForm(DecisionForm):
    comment = forms.CharField(
        label=_("Why the requests are denied"),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Each official is notified with this comment."),
    )


class ExtensionRequestStateFilter(admin.SimpleListFilter):
    """The queue opens on the requests awaiting a decision; the others are one click away."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*ExtensionRequestState.choices, ("all", _("All"))]

    def value(self):
        return super().value() or ExtensionRequestState.OPEN

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(state=self.value())


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(AreaScopedAdminMixin, ReadOnlyHistoryAdmin):
    area_path = "task__area"
    list_display = [
        "created_at",
        "task_link",
        "requested_by",
        "current_due_date",
        "new_due_date",
        "reason_excerpt",
        "state",
        "decided_by",
    ]
    list_display_links = ["created_at"]
    list_filter = [ExtensionRequestStateFilter]
    list_select_related = ["task", "requested_by", "decided_by"]
    search_fields = ["task__title", "task__code", "requested_by__username"]
    ordering = ["created_at", "pk"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    actions = ["approve_selected", "deny_selected"]
    fields = [
        "task",
        "requested_by",
        "created_at",
        "current_due_date",
        "new_due_date",
        "reason",
        "state",
        "decided_by",
        "decided_at",
        "decision_comment",
        "extension",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("task"), ordering="task__due_date")
    def task_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:workplan_task_change", args=[obj.task_id]),
            obj.task,
        )

    @admin.display(description=_("reason"))
    def reason_excerpt(self, obj):
        return obj.reason[:80] + ("…" if len(obj.reason) > 80 else "")

    @admin.action(description=_("Approve selected extension requests"), permissions=["change"])
    def approve_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: extension_request_approve(request=obj, user=request.user),
            lambda n: (
                ngettext(
                    "Approved %(count)d extension request.",
                    "Approved %(count)d extension requests.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Deny selected extension requests…"), permissions=["change"])
    def deny_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset.select_related("task"),
            form_class=DenyForm,
            title=_("Deny extension requests"),
            apply=lambda obj, data: extension_request_deny(
                request=obj, user=request.user, comment=data["comment"]
            ),
            done_message=lambda n: (
                ngettext(
                    "Denied %(count)d extension request.", "Denied %(count)d extension requests.", n
                )
                % {"count": n}
            ),
        )

    def changelist_view(self, request, extra_context=None):
        context = {"title": _("Extension requests"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and obj is not None:
            # The only change made here is a decision; a missing or out-of-scope request gets
            # Django's own answer below.
            return self.decision_view(request, obj)
        context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_decide": bool(obj and obj.is_open and self.has_change_permission(request, obj)),
            "decision_form": DecisionForm(),
            "extension_count": obj.task.extensions.count() if obj else 0,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def decision_view(self, request, obj):
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        comment = request.POST.get("comment", "")
        try:
            if "_approve" in request.POST:
                extension_request_approve(request=obj, user=request.user, comment=comment)
                self.message_user(request, _("Extension approved: %s") % obj.task, messages.SUCCESS)
            elif "_deny" in request.POST:
                extension_request_deny(request=obj, user=request.user, comment=comment)
                self.message_user(request, _("Extension denied: %s") % obj.task, messages.SUCCESS)
            else:
                return HttpResponseRedirect(request.path)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse("admin:supervision_extensionrequest_changelist"))
