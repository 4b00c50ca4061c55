from django.urls import path

from workplan import views

app_name = "workplan"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
