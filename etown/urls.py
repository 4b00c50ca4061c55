from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from etown.views import bench_floor
from workplan.views import healthz

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("bench/floor", bench_floor, name="bench-floor"),
    path("", include("workplan.urls")),
]
