"""The API's records in the admin, for administrators: who holds a token (revoke one by
deleting it) and which reading each idempotency key recorded (deleted with its reading).
Nothing is added or edited here."""

from django.contrib import admin

from api.models import ApiToken, IdempotencyKey
from etown.history_admin import ReadOnlyHistoryAdmin


class ReadOnlyAdmin(ReadOnlyHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    fields = ["user", "created_at"]
    readonly_fields = fields


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["key", "user", "reading", "created_at"]
    list_select_related = ["user", "reading__indicator"]
    fields = ["key", "user", "fingerprint", "reading", "created_at"]
    readonly_fields = fields
