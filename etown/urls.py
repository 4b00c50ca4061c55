from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import set_language
from etown.health import healthz
from etown.views import bench_floor

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("bench/floor", bench_floor, name="bench-floor"),
    path("api/", include("api.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("supervision.urls")),
    path("", include("workplan.urls")),
]
