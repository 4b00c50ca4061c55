"""The notifications, read-only, for admins: event records, so no history of their own."""

from django.contrib import admin

from accounts.permissions import is_admin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "actor", "read_at", "mail_status"]
    list_filter = ["kind", "mail_status"]
    list_select_related = ["recipient", "actor"]
    search_fields = ["recipient__username", "recipient__last_name"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = (
        "recipient",
        "kind",
        "actor",
        "url",
        "params",
        "created_at",
        "read_at",
        "mail_status",
        "mail_claimed_at",
        "mailed_at",
        "mail_attempts",
        "mail_error",
    )
    readonly_fields = fields

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
