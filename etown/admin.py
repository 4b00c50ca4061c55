"""Fixes to third-party admin pages (loaded by admin autodiscovery, after their apps' admins)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db.models import Model
from django.utils import timezone
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from etown.admin_lists import DateHierarchyAdminMixin


class LockoutAdmin(DateHierarchyAdminMixin, AccessAttemptAdmin):
    """django-axes' lockout list, whose "clean up expired attempts" works outside a sign-in.

    django-axes reads the cool-off threshold from `request.axes_attempt_time`, which only its
    sign-in handler sets: the action raised AttributeError (a 500) from the admin.
    """

    @admin.action(description=AccessAttemptAdmin.cleanup_expired_attempts.short_description)
    def cleanup_expired_attempts(self, request, queryset):
        if not hasattr(request, "axes_attempt_time"):
            request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


class AccessLogListAdmin(DateHierarchyAdminMixin, AccessLogAdmin):
    pass


class AccessFailureLogListAdmin(DateHierarchyAdminMixin, AccessFailureLogAdmin):
    pass


class PeriodicTaskListAdmin(DateHierarchyAdminMixin, PeriodicTaskAdmin):
    pass


# Each of these lists has a date hierarchy: a year out of range is a bad lookup, not a 500
# (etown/admin_lists.py).
REREGISTERED: list[tuple[type[Model], type[admin.ModelAdmin]]] = [
    (AccessAttempt, LockoutAdmin),
    (AccessLog, AccessLogListAdmin),
    (AccessFailureLog, AccessFailureLogListAdmin),
    (PeriodicTask, PeriodicTaskListAdmin),
]
for model, model_admin in REREGISTERED:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
