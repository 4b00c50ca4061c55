"""The monthly report mails, read-only: the log of what each leader was sent, for admins."""

from django.contrib import admin

from accounts.permissions import is_admin
from supervision.models import MonthlyReportDelivery


@admin.register(MonthlyReportDelivery)
class MonthlyReportDeliveryAdmin(admin.ModelAdmin):
    list_display = ["month", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "month"]
    list_select_related = ["recipient"]
    fields = ("recipient", "month", "status", "attempts", "error", "claimed_at", "sent_at")
    readonly_fields = fields

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
