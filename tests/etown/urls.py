"""The real URLs plus a few that only the logging tests need."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path
from import_export.admin import ExportMixin

from accounts.models import Department


@login_not_required
def feed(request, token):
    return HttpResponse("BEGIN:VCALENDAR", content_type="text/calendar")


def forbidden(request):
    raise PermissionDenied


class DepartmentExportAdmin(ExportMixin, admin.ModelAdmin):
    pass


# An admin site with an import-export page, until the real admin registers one.
export_site = admin.AdminSite(name="export_test")
export_site.register(Department, DepartmentExportAdmin)

urlpatterns = [
    path("export-admin/", export_site.urls),
    path("calendar/<str:token>.ics", feed, name="test-feed"),
    path("forbidden/", forbidden, name="test-forbidden"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="test-password-reset-confirm",
    ),
    path("", include("etown.urls")),
]
