"""/api/v1/: the resources of SPEC.md's "API" section, the schema and its page."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("areas", views.AreaViewSet, basename="area")
router.register("tasks", views.TaskViewSet, basename="task")
router.register(r"tasks/(?P<task_pk>\d+)/reports", views.TaskReportViewSet, basename="task-report")
router.register("reports", views.ReportViewSet, basename="report")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register(
    r"indicators/(?P<indicator_pk>\d+)/readings", views.ReadingViewSet, basename="reading"
)
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("extension-requests", views.ExtensionRequestViewSet, basename="extension-request")
router.register("urges", views.UrgeViewSet, basename="urge")
router.register("instructions", views.InstructionViewSet, basename="instruction")

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/overview/", views.OverviewView.as_view(), name="overview"),
    path("v1/", include(router.urls)),
]
