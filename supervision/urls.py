from django.urls import path

from supervision.views import extensions, instructions, urges

app_name = "supervision"

urlpatterns = [
    path("urges/", urges.urge_list, name="urge_list"),
    path("urges/<int:pk>/", urges.urge_detail, name="urge_detail"),
    path("tasks/<int:pk>/urge/", urges.task_urge, name="task_urge"),
    path(
        "urges/received/<int:pk>/acknowledge/",
        urges.urge_acknowledge_view,
        name="urge_acknowledge",
    ),
    path("urges/received/<int:pk>/reply/", urges.urge_reply_view, name="urge_reply"),
    path("instructions/", instructions.instruction_list, name="instruction_list"),
    path("tasks/<int:pk>/instruct/", instructions.task_instruct, name="task_instruct"),
    path(
        "instructions/<int:pk>/answer/",
        instructions.instruction_answer_view,
        name="instruction_answer",
    ),
    path(
        "instructions/<int:pk>/close/",
        instructions.instruction_close_view,
        name="instruction_close",
    ),
    path(
        "tasks/<int:pk>/extension/",
        extensions.extension_request_create_view,
        name="extension_request_create",
    ),
    path(
        "tasks/<int:pk>/extension/withdraw/",
        extensions.extension_request_withdraw_view,
        name="extension_request_withdraw",
    ),
]
