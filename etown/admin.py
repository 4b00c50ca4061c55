"""Fixes to third-party admin pages (loaded by admin autodiscovery, after django-axes' admin)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils import timezone


class LockoutAdmin(AccessAttemptAdmin):
    """django-axes' lockout list, whose "clean up expired attempts" works outside a sign-in.

    django-axes reads the cool-off threshold from `request.axes_attempt_time`, which only its
    sign-in handler sets: the action raised AttributeError (a 500) from the admin.
    """

    @admin.action(description=AccessAttemptAdmin.cleanup_expired_attempts.short_description)
    def cleanup_expired_attempts(self, request, queryset):
        if not hasattr(request, "axes_attempt_time"):
            request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAdmin)
