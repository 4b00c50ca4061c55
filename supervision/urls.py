from django.urls import path

from supervision.views import extensions

app_name = "supervision"

urlpatterns = [
    path(
        "tasks/<int:pk>/extension/",
        extensions.extension_request_create_view,
        name="extension_request_create",
    ),
]
