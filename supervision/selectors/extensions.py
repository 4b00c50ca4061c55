"""Reads of the extension requests."""

from __future__ import annotations

import dataclasses

from django.db.models import QuerySet

from supervision.models import ExtensionRequest, ExtensionRequestState
from workplan.models import DeadlineExtension, Task
from workplan.permissions import is_admin, is_supervisor, visible_tasks


@dataclasses.dataclass
class ExtensionPanel:
    latest: ExtensionRequest | None
    extension_count: int


def extension_panel_for(task: Task) -> ExtensionPanel:
    """Return the task's latest request and how many times its deadline was extended (2 queries)."""
    latest = (
        ExtensionRequest.objects.filter(task=task)
        .select_related("decided_by")
        .order_by("-created_at", "-pk")
        .first()
    )
    return ExtensionPanel(
        latest=latest, extension_count=DeadlineExtension.objects.filter(task=task).count()
    )


def extension_requests_for(user) -> QuerySet[ExtensionRequest]:
    """Return the requests `user` decides: all for admins, their areas' for supervisors."""
    requests = ExtensionRequest.objects.all()
    if is_admin(user):
        return requests
    if is_supervisor(user):
        return requests.filter(task__area__supervisors=user)
    return requests.none()


def open_extension_request_count(user) -> int:
    """Return how many requests wait for `user`'s decision (the admin index's count)."""
    return extension_requests_for(user).filter(state=ExtensionRequestState.OPEN).count()


def extension_requests_seen_by(user) -> QuerySet[ExtensionRequest]:
    """Return the requests on the tasks `user` may see: the task page shows them to them."""
    return ExtensionRequest.objects.filter(task__in=visible_tasks(user).values("pk"))
