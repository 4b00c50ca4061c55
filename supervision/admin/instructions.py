"""Leaders' instructions in the back office: read, with their answers; supervisors close them."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.permissions import is_admin, is_supervisor
from etown.history_admin import ReadOnlyHistoryAdmin
from etown.search import CappedSearchMixin
from supervision.admin.urges import ReadOnlyMixin
from supervision.models import Instruction, InstructionAnswer
from supervision.services import instruction_close
from workplan.admin.actions import apply_each
from workplan.admin.scope import AreaScopedAdminMixin


class InstructionAnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = InstructionAnswer
    fields = ("created_at", "author", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("responses")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Instruction)
class InstructionAdmin(
    ReadOnlyMixin, CappedSearchMixin, AreaScopedAdminMixin, ReadOnlyHistoryAdmin
):
    list_display = ["created_at", "text_preview", "task", "area", "author", "respond_by", "state"]
    list_filter = ["state"]
    list_select_related = ["task__area", "area", "author"]
    search_fields = ["text", "task__title", "task__code"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = [
        "author",
        "task",
        "area",
        "text",
        "respond_by",
        "state",
        "created_at",
        "closed_by",
        "closed_at",
    ]
    readonly_fields = fields
    inlines = [InstructionAnswerInline]
    actions = ["close_selected"]

    def has_close_permission(self, request):
        return is_admin(request.user) or is_supervisor(request.user)

    @admin.display(description=_("instruction"))
    def text_preview(self, instruction):
        return instruction.text[:80]

    @admin.action(description=_("Close the selected instructions"), permissions=["close"])
    def close_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda instruction: instruction_close(instruction=instruction, user=request.user),
            lambda n: (
                ngettext("Closed %(count)d instruction.", "Closed %(count)d instructions.", n)
                % {"count": n}
            ),
        )
